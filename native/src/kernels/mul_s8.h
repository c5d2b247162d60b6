/* MUL: elementwise product of two int8 tensors, TFLite int8 MUL semantics:
 *
 *   y[i] = clamp(requant((a[i] - a_zp) * (b[i] - b_zp), mult, shift)
 *                + out_zp, act_min, act_max)
 *
 * with requant = voxgate_requantize (TFLite MultiplyByQuantizedMultiplier)
 * and real multiplier a_scale * b_scale / out_scale = mult * 2^(shift-31).
 * The product of the two offset values is at most 256 * 256 in magnitude,
 * so with shift <= 14 the left shift of requant never wraps.
 *
 * Suggested file layout for the runner (format.h MUL): inputs a, b; no
 * tensors; args in the struct's field order: a_zp, b_zp, out_zp, mult,
 * shift, act_min, act_max. No scratch, no state. */
#ifndef VOXGATE_KERNELS_MUL_S8_H_
#define VOXGATE_KERNELS_MUL_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
typedef struct {
  int32_t a_zero_point; /* -128..127 */
  int32_t b_zero_point; /* -128..127 */
  int32_t output_zero_point;
  int32_t mult;  /* Q31, >= 0 */
  int32_t shift; /* -31..14 */
  int32_t act_min;
  int32_t act_max;
} voxgate_mul_s8_params;

/* y may be a or b (in place); no other overlap. */
void voxgate_mul_s8_ref(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                        const voxgate_mul_s8_params* p);
void voxgate_mul_s8(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                    const voxgate_mul_s8_params* p);
/* cdef-end */

#endif
