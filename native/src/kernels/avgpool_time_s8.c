#include "kernels/avgpool_time_s8.h"

#include "kernels/requant.h"

void voxgate_avgpool_time_s8(const int8_t* const* taps, size_t kernel,
                             size_t channels, int32_t act_min, int32_t act_max,
                             int8_t* y) {
  const int32_t k = (int32_t)kernel;
  for (size_t c = 0; c < channels; ++c) {
    int32_t sum = 0;
    for (size_t j = 0; j < kernel; ++j) sum += taps[j][c];
    /* C division truncates; TFLite adds half the divisor away from 0. */
    int32_t avg = sum > 0 ? (sum + k / 2) / k : (sum - k / 2) / k;
    y[c] = voxgate_clamp_s8(avg, act_min, act_max);
  }
}
