/* MAXPOOL_TIME: the maximum of `kernel` tap frames per channel, clamped. */
#ifndef VOXGATE_KERNELS_MAXPOOL_TIME_S8_H_
#define VOXGATE_KERNELS_MAXPOOL_TIME_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
void voxgate_maxpool_time_s8(const int8_t* const* taps, size_t kernel,
                             size_t channels, int32_t act_min, int32_t act_max,
                             int8_t* y);
/* cdef-end */

#endif
