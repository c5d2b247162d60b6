/* DWCONV_TIME: one output frame of a depthwise causal convolution over
 * time; weights [kernel][channels] (tap-major, so each tap is one
 * contiguous, vectorizable row), packed per tap row:
 *
 *   y[c] = clamp(requant(sum_j (taps[j][c] - in_zp) * W[j, c] + bias[c],
 *                        mult[c], shift[c]) + out_zp) */
#ifndef VOXGATE_KERNELS_DWCONV_S8_H_
#define VOXGATE_KERNELS_DWCONV_S8_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/quant_params.h"

/* cdef-begin */
/* Scratch: int32 sums and one unpacked tap row for `channels`. */
size_t voxgate_dwconv_s8_scratch_bytes(size_t channels);
void voxgate_dwconv_s8(const int8_t* const* taps, size_t kernel,
                       size_t channels, const uint8_t* weights, int bits,
                       const int32_t* bias, const voxgate_quant_params* qp,
                       void* scratch, int8_t* y);
/* cdef-end */

#endif
