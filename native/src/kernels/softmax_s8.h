/* SOFTMAX: int8 softmax over one short vector (a classifier's output), with
 * the output fixed as TFLite's int8 softmax: scale 1/256, zero point -128.
 *
 * Integer recipe (exactly what the kernel computes):
 *
 *   m    = max_i x[i]
 *   d_i  = m - x[i]                       (0..255)
 *   S    = sum_i table[d_i]               (uint32)
 *   q_i  = floor((512 * table[d_i] + S) / (2 * S))   = 256 * table[d_i] / S
 *                                          rounded half up
 *   y[i] = min(q_i - 128, 127)
 *
 * table[d] = round(VOXGATE_SOFTMAX_S8_ONE * exp(-beta * input_scale * d)),
 * d = 0..255, is built at export (sdk/voxgate/luts.py softmax_table) from the
 * input scale (and the softmax beta) and stored with the model; the input
 * zero point cancels in m - x[i]. Requirements, checked by
 * voxgate_softmax_s8_table_ok(): table[0] == VOXGATE_SOFTMAX_S8_ONE and
 * 0 <= table[d] <= VOXGATE_SOFTMAX_S8_ONE; and 1 <= n <=
 * VOXGATE_SOFTMAX_S8_MAX_N, so S <= 2^30 and no step overflows uint32.
 *
 * Accuracy: each table entry is within 1/2 of 2^20 exp(.), so 256 * T/S is
 * within (n + 1) * 2^-13 LSB of 256 * softmax (< 1/2 for every allowed n):
 * y is within 1 LSB of the float softmax quantized to (1/256, -128), and
 * equal to it away from rounding ties. A class with probability 1 reads 127
 * (255/256), as in TFLite. No scratch. */
#ifndef VOXGATE_KERNELS_SOFTMAX_S8_H_
#define VOXGATE_KERNELS_SOFTMAX_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
#define VOXGATE_SOFTMAX_S8_ONE 1048576
#define VOXGATE_SOFTMAX_S8_MAX_N 1024
#define VOXGATE_SOFTMAX_S8_TABLE_SIZE 256

/* 1 if table (256 entries) meets the requirements above, else 0. */
int voxgate_softmax_s8_table_ok(const int32_t* table);
/* x and y hold n values; y may be x (in place). */
void voxgate_softmax_s8_ref(const int8_t* x, int8_t* y, size_t n,
                            const int32_t* table);
void voxgate_softmax_s8(const int8_t* x, int8_t* y, size_t n,
                        const int32_t* table);
/* cdef-end */

#endif
