/* FC: fully connected int8 layer with packed 2..8-bit weights (also the
 * pointwise convolution):
 *
 *   y[o] = clamp(requant(sum_i (x[i] - in_zp) * W[o, i] + bias[o],
 *                        mult[o], shift[o]) + out_zp, act_min, act_max)
 *
 * W rows packed as format.h says; bias may be NULL (zeros). */
#ifndef VOXGATE_KERNELS_FC_S8_H_
#define VOXGATE_KERNELS_FC_S8_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/quant_params.h"

/* cdef-begin */
/* Scratch bytes for in_dim inputs: the centred input (int16) and one
 * unpacked weight row. */
size_t voxgate_fc_s8_scratch_bytes(size_t in_dim);
void voxgate_fc_s8(const int8_t* x, size_t in_dim, const uint8_t* weights,
                   int bits, const int32_t* bias, size_t out_dim,
                   const voxgate_quant_params* qp, void* scratch, int8_t* y);
/* The core shared with CONV_TIME: input already centred (x - in_zp) as
 * int16; `row` is the rest of a voxgate_fc_s8_scratch_bytes(in_dim)
 * scratch after the centred input (an unpacked row, or for 4-bit weights
 * the input split by parity). */
void voxgate_fc_s8_centred(const int16_t* xc, size_t in_dim,
                           const uint8_t* weights, int bits,
                           const int32_t* bias, size_t out_dim,
                           const voxgate_quant_params* qp, int8_t* row,
                           int8_t* y);
/* cdef-end */

#endif
