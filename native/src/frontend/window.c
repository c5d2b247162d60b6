#include "frontend/window.h"

#include <string.h>

int voxgate_window_process(voxgate_window_state* s, const int16_t* samples,
                           size_t num_samples, size_t* num_read) {
  size_t need = s->size - s->input_used;
  size_t take = num_samples < need ? num_samples : need;
  memcpy(s->input + s->input_used, samples, take * sizeof(int16_t));
  s->input_used += take;
  *num_read = take;
  if (s->input_used < s->size) return 0;

  const int32_t round = 1 << (15 - VOXGATE_WINDOW_EXTRA_BITS - 1);
  for (size_t i = 0; i < s->size; ++i) {
    int32_t prod = (int32_t)s->input[i] * s->coefs[i];
    /* Arithmetic shift of a negative value: defined by every compiler we
     * support, and the tests pin it on x86 and AArch64. */
    s->output[i] = (prod + round) >> (15 - VOXGATE_WINDOW_EXTRA_BITS);
  }
  /* Keep the overlap for the next frame. */
  memmove(s->input, s->input + s->step, (s->size - s->step) * sizeof(int16_t));
  s->input_used = s->size - s->step;
  return 1;
}

void voxgate_window_reset(voxgate_window_state* s) {
  s->input_used = 0;
  memset(s->input, 0, s->size * sizeof(int16_t));
  memset(s->output, 0, s->size * sizeof(int32_t));
}
