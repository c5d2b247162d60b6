/* FiLM: feature-wise affine conditioning of one frame by a per-channel
 * scale and shift (gamma, beta), computed once per enrolled speaker:
 *
 *   y[c] = clamp(requant((x[c] - x_zp) * (gamma[c] - gamma_zp),
 *                        xg_mult, xg_shift)
 *                + requant(beta[c] - beta_zp, beta_mult, beta_shift)
 *                + out_zp, act_min, act_max)
 *
 * requant = voxgate_requantize (TFLite MultiplyByQuantizedMultiplier), each
 * term rounded once, then the two int32 terms are added. This is TFLite's
 * MUL followed by ADD with the MUL's int8 rounding and the ADD's input
 * rescaling folded into single multipliers:
 *
 *   xg_mult * 2^(xg_shift - 31)     = x_scale * gamma_scale / out_scale
 *   beta_mult * 2^(beta_shift - 31) = beta_scale / out_scale
 *
 * so y is round(x*gamma / s_y) + round(beta / s_y) + out_zp in real terms
 * (at most 1 LSB from round((x*gamma + beta) / s_y), as two roundings).
 * gamma is the multiplier itself: a "1 + gamma" parametrisation is folded
 * into the gamma tensor by the exporter. Offset products are at most 2^16 in
 * magnitude and offset betas 2^8, so with xg_shift <= 13 and
 * beta_shift <= 21 requant's left shift never wraps and each term stays
 * below 2^30 (the int32 sum cannot overflow).
 *
 * Suggested file layout for the runner (format.h FILM): inputs x, gamma,
 * beta (gamma and beta are values the speaker branch writes once per
 * enrolment and holds); no tensors; args in the struct's field order:
 * x_zp, gamma_zp, beta_zp, out_zp, xg_mult, xg_shift, beta_mult,
 * beta_shift, act_min, act_max. No scratch, no state. */
#ifndef VOXGATE_KERNELS_FILM_S8_H_
#define VOXGATE_KERNELS_FILM_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
typedef struct {
  int32_t x_zero_point;     /* -128..127 */
  int32_t gamma_zero_point; /* -128..127 */
  int32_t beta_zero_point;  /* -128..127 */
  int32_t output_zero_point;
  int32_t xg_mult;    /* Q31 >= 0: x_scale * gamma_scale / out_scale */
  int32_t xg_shift;   /* -31..13 */
  int32_t beta_mult;  /* Q31 >= 0: beta_scale / out_scale */
  int32_t beta_shift; /* -31..21 */
  int32_t act_min;
  int32_t act_max;
} voxgate_film_s8_params;

/* One frame of `channels` values; gamma and beta hold `channels` each.
 * y may be x (in place); no other overlap. */
void voxgate_film_s8_ref(const int8_t* x, const int8_t* gamma,
                         const int8_t* beta, int8_t* y, size_t channels,
                         const voxgate_film_s8_params* p);
void voxgate_film_s8(const int8_t* x, const int8_t* gamma, const int8_t* beta,
                     int8_t* y, size_t channels,
                     const voxgate_film_s8_params* p);
/* cdef-end */

#endif
