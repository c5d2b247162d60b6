#include "frontend/noise_reduction.h"

#include <string.h>

void voxgate_noise_reduction_process(voxgate_noise_reduction_state* s,
                                     uint64_t* power) {
  const int b = s->smoothing_bits;
  for (size_t c = 0; c < s->num_channels; ++c) {
    uint64_t x = power[c];
    /* Written as two shifts, not (x - e) * coef, so nothing can overflow. */
    uint64_t e = s->estimate[c] - (s->estimate[c] >> b) + (x >> b);
    s->estimate[c] = e;
    uint64_t floor = (x >> 14) * (uint64_t)s->min_signal_q14;
    uint64_t y = x > e ? x - e : 0;
    power[c] = y > floor ? y : floor;
  }
}

void voxgate_noise_reduction_reset(voxgate_noise_reduction_state* s) {
  memset(s->estimate, 0, s->num_channels * sizeof(uint64_t));
}
