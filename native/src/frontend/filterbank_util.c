#include "frontend/filterbank_util.h"

#include <math.h>

double voxgate_hz_to_mel(double hz) { return 1127.0 * log(1.0 + hz / 700.0); }

/* Weight of `bin` in channel `ch`, in [0, 1]: a triangle over the mel points
 * ch, ch+1, ch+2 of num_channels + 2 points spread evenly between the band
 * edges. */
static double weight(const voxgate_filterbank_config* c, size_t ch,
                     size_t bin) {
  double lo = voxgate_hz_to_mel(c->lower_band_hz);
  double hi = voxgate_hz_to_mel(c->upper_band_hz);
  double step = (hi - lo) / (double)(c->num_channels + 1);
  double left = lo + step * (double)ch, center = left + step,
         right = center + step;
  double m =
      voxgate_hz_to_mel((double)bin * c->sample_rate_hz / (double)c->fft_size);
  if (m <= left || m >= right) return 0.0;
  return m <= center ? (m - left) / step : (right - m) / step;
}

int voxgate_filterbank_populate(const voxgate_filterbank_config* c,
                                voxgate_arena* arena,
                                voxgate_filterbank_state* s) {
  const size_t num_bins = c->fft_size / 2 + 1;
  const size_t n = c->num_channels;
  int16_t* start = voxgate_arena_take(arena, n * sizeof(int16_t));
  int16_t* count = voxgate_arena_take(arena, n * sizeof(int16_t));
  int32_t* offset = voxgate_arena_take(arena, n * sizeof(int32_t));
  /* Neighbouring triangles overlap by half, so a bin is in <= 2 channels. */
  uint16_t* weights =
      voxgate_arena_take(arena, 2 * num_bins * sizeof(uint16_t));
  s->output = voxgate_arena_take(arena, n * sizeof(uint64_t));
  s->num_channels = n;
  s->start_bin = start;
  s->num_bins = count;
  s->weight_offset = offset;
  s->weights = weights;
  if (arena->base == NULL) return 0;
  const double one = (double)(1 << VOXGATE_FILTERBANK_WEIGHT_BITS);
  int32_t used = 0;
  for (size_t ch = 0; ch < n; ++ch) {
    size_t first = num_bins, last = 0;
    for (size_t b = 0; b < num_bins; ++b) {
      if (floor(weight(c, ch, b) * one + 0.5) > 0) {
        if (first == num_bins) first = b;
        last = b;
      }
    }
    if (first == num_bins) return -1;
    start[ch] = (int16_t)first;
    count[ch] = (int16_t)(last - first + 1);
    offset[ch] = used;
    for (size_t b = first; b <= last; ++b)
      weights[used++] = (uint16_t)floor(weight(c, ch, b) * one + 0.5);
  }
  return 0;
}
