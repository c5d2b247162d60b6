/* AVGPOOL_TIME: the mean of `kernel` tap frames per channel, as TFLite's
 * int8 average pool (same scale and zero point in and out, so they
 * cancel): y = clamp(round_half_away(sum_j x[j][c] / kernel)). */
#ifndef VOXGATE_KERNELS_AVGPOOL_TIME_S8_H_
#define VOXGATE_KERNELS_AVGPOOL_TIME_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
void voxgate_avgpool_time_s8(const int8_t* const* taps, size_t kernel,
                             size_t channels, int32_t act_min, int32_t act_max,
                             int8_t* y);
/* cdef-end */

#endif
