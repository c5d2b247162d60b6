#include "frontend/fft_util.h"

#include <math.h>

size_t voxgate_fft_size_for(size_t n) {
  size_t size = 1;
  while (size < n) size <<= 1;
  return size;
}

int voxgate_fft_populate(size_t fft_size, voxgate_arena* arena,
                         voxgate_fft_state* s) {
  const size_t m = fft_size / 2;
  int32_t* cos_q30 = voxgate_arena_take(arena, m * sizeof(int32_t));
  int32_t* sin_q30 = voxgate_arena_take(arena, m * sizeof(int32_t));
  uint16_t* bitrev = voxgate_arena_take(arena, m * sizeof(uint16_t));
  s->input = voxgate_arena_take(arena, fft_size * sizeof(int32_t));
  s->work = voxgate_arena_take(arena, m * sizeof(voxgate_complex32));
  s->output = voxgate_arena_take(arena, (m + 1) * sizeof(voxgate_complex32));
  s->size = fft_size;
  s->cos_q30 = cos_q30;
  s->sin_q30 = sin_q30;
  s->bitrev = bitrev;
  if (arena->base == NULL) return 0;
  const double step = 6.283185307179586 / (double)fft_size;
  for (size_t k = 0; k < m; ++k) {
    cos_q30[k] = (int32_t)floor(cos(step * (double)k) * 1073741824.0 + 0.5);
    sin_q30[k] = (int32_t)floor(sin(step * (double)k) * 1073741824.0 + 0.5);
  }
  size_t bits = 0;
  while (((size_t)1 << bits) < m) ++bits;
  for (size_t i = 0; i < m; ++i) {
    size_t r = 0;
    for (size_t b = 0; b < bits; ++b) r |= ((i >> b) & 1u) << (bits - 1 - b);
    bitrev[i] = (uint16_t)r;
  }
  voxgate_fft_reset(s);
  return 0;
}
