/* ADD: y = a + b for int8 tensors of different scales, exactly as TFLite's
 * int8 ADD: both inputs are centred, shifted left by `left_shift` (20) and
 * rescaled to a common scale, summed, and rescaled to the output:
 *
 *   a' = requant((a - a_zp) << left_shift, a_mult, a_shift)
 *   b' = requant((b - b_zp) << left_shift, b_mult, b_shift)
 *   y  = clamp(requant(a' + b', out_mult, out_shift) + out_zp)
 *
 * The params struct has the same field order as format.h's ADD args. */
#ifndef VOXGATE_KERNELS_ADD_S8_H_
#define VOXGATE_KERNELS_ADD_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
typedef struct {
  int32_t a_zero_point;
  int32_t a_mult;
  int32_t a_shift;
  int32_t b_zero_point;
  int32_t b_mult;
  int32_t b_shift;
  int32_t out_mult;
  int32_t out_shift;
  int32_t out_zero_point;
  int32_t act_min;
  int32_t act_max;
  int32_t left_shift;
} voxgate_add_s8_params;

void voxgate_add_s8_ref(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                        const voxgate_add_s8_params* p);
/* 8 lanes per step where the CPU has AVX2; bit-exact with the reference. */
void voxgate_add_s8_avx2(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                         const voxgate_add_s8_params* p);
/* 16 lanes per step where the CPU has AVX-512 (F, BW, VL); bit-exact. */
void voxgate_add_s8_avx512(const int8_t* a, const int8_t* b, int8_t* y,
                           size_t n, const voxgate_add_s8_params* p);
void voxgate_add_s8(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                    const voxgate_add_s8_params* p);
/* cdef-end */

#endif
