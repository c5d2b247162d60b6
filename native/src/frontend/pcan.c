#include "frontend/pcan.h"

#include <string.h>

#include "frontend/log_scale.h"

void voxgate_pcan_process(voxgate_pcan_state* s, const uint64_t* power,
                          int32_t* log2_q16) {
  const int b = s->smoothing_bits;
  for (size_t c = 0; c < s->num_channels; ++c) {
    uint64_t m = s->started
                     ? s->smoothed[c] - (s->smoothed[c] >> b) + (power[c] >> b)
                     : power[c];
    s->smoothed[c] = m;
    /* log2 of the smoothed power in true units, Q16 */
    int64_t lm = (int64_t)voxgate_log2_q16(m + s->eps) - s->log2_offset_q16;
    int64_t gain = (lm * s->strength_q15 + (1 << 14)) >> 15;
    log2_q16[c] = (int32_t)(log2_q16[c] - gain);
  }
  s->started = 1;
}

void voxgate_pcan_reset(voxgate_pcan_state* s) {
  memset(s->smoothed, 0, s->num_channels * sizeof(uint64_t));
  s->started = 0;
}
