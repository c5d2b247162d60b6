/* CONV_TIME: one output frame of a causal convolution over time. The
 * runner passes `kernel` tap frames (oldest first, cin values each); the
 * weights are [cout][kernel][cin], packed per output row:
 *
 *   y[o] = clamp(requant(sum_j sum_c (taps[j][c] - in_zp) * W[o, j, c]
 *                        + bias[o], mult[o], shift[o]) + out_zp) */
#ifndef VOXGATE_KERNELS_CONV_TIME_S8_H_
#define VOXGATE_KERNELS_CONV_TIME_S8_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/quant_params.h"

/* cdef-begin */
size_t voxgate_conv_time_s8_scratch_bytes(size_t kernel, size_t cin);
void voxgate_conv_time_s8(const int8_t* const* taps, size_t kernel, size_t cin,
                          const uint8_t* weights, int bits, const int32_t* bias,
                          size_t cout, const voxgate_quant_params* qp,
                          void* scratch, int8_t* y);
/* cdef-end */

#endif
