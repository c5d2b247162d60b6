/* Shared fixed-point requantization (Jacob et al. 2018): TFLite's
 * MultiplyByQuantizedMultiplier with the final rounding shift of LiteRT's
 * optimized kernels, which round exact halves up (as NEON's vrshl does);
 * TFLite's reference kernels round them away from zero. Measured on
 * ai-edge-litert's builtin CONV_2D / DEPTHWISE_CONV_2D: half up matched
 * every output, half away missed 2.5% of them.
 * A real multiplier M in (0, 1) is stored as int32 `mult` in Q31 with
 * M = mult * 2^(shift - 31); shift > 0 shifts left first. */
#ifndef VOXGATE_KERNELS_REQUANT_H_
#define VOXGATE_KERNELS_REQUANT_H_

#include <stdint.h>

#include "kernels/quant_params.h"

/* round(a * b / 2^31), saturating the one overflowing case. */
static inline int32_t voxgate_srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  int64_t ab = (int64_t)a * (int64_t)b;
  int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/* x / 2^exponent rounded half away from zero. */
static inline int32_t voxgate_rounding_divide_by_pot(int32_t x, int exponent) {
  if (exponent <= 0) return x;
  const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  /* Arithmetic shift of negatives: relied on, and tested, everywhere. */
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/* x / 2^exponent rounded half up: floor(x / 2^e) plus the bit below. */
static inline int32_t voxgate_rounding_shift_right(int32_t x, int exponent) {
  if (exponent <= 0) return x;
  return (x >> exponent) + ((x >> (exponent - 1)) & 1);
}

static inline int32_t voxgate_requantize(int32_t acc, int32_t mult,
                                         int32_t shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  /* Left shift through uint32 so it wraps as TFLite's does, not UB. */
  int32_t shifted = (int32_t)((uint32_t)acc << left);
  return voxgate_rounding_shift_right(voxgate_srdhm(shifted, mult), right);
}

static inline int8_t voxgate_clamp_s8(int32_t v, int32_t lo, int32_t hi) {
  return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}

/* requantize, add the zero point and clamp to int8. The add wraps, as the
 * vector variants' 32-bit adds do: a file's extreme multiplier and shift can
 * take the requantized value to the edge of int32, and a plain int add
 * there is undefined (found by the loader fuzzer). In range it is the same. */
static inline int8_t voxgate_requantize_s8(int32_t acc, int32_t mult,
                                           int32_t shift, int32_t zero_point,
                                           int32_t lo, int32_t hi) {
  const int32_t v = (int32_t)((uint32_t)voxgate_requantize(acc, mult, shift) +
                              (uint32_t)zero_point);
  return voxgate_clamp_s8(v, lo, hi);
}

#endif
