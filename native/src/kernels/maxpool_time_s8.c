#include "kernels/maxpool_time_s8.h"

#include "kernels/requant.h"

void voxgate_maxpool_time_s8(const int8_t* const* taps, size_t kernel,
                             size_t channels, int32_t act_min, int32_t act_max,
                             int8_t* y) {
  for (size_t c = 0; c < channels; ++c) {
    int32_t m = taps[0][c];
    for (size_t j = 1; j < kernel; ++j)
      if (taps[j][c] > m) m = taps[j][c];
    y[c] = voxgate_clamp_s8(m, act_min, act_max);
  }
}
