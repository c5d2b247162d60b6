/* Internal: voxgate_requantize for 8 int32 lanes in AVX2, bit-exact with
 * requant.h. Only for files compiled with the avx2 target attribute. */
#ifndef VOXGATE_KERNELS_REQUANT_AVX2_H_
#define VOXGATE_KERNELS_REQUANT_AVX2_H_

#include <stdint.h>
#include <string.h>

/* Per-channel constants of voxgate_requantize_avx2 computed once (at model
 * load) for 8 channels: mult, mult >> 32 lanes, left and right shift, the
 * remainder mask and half of it. voxgate_requant_pre_fill writes them. */
enum { VOXGATE_RQ_PRE = 48 };
static inline void voxgate_requant_pre_fill(const int32_t* mult,
                                            const int32_t* shift, int n,
                                            int32_t* pre) {
  for (int i = 0; i < 8; ++i) {
    const int32_t m = i < n ? mult[i] : 1 << 30, s = i < n ? shift[i] : 0;
    const int32_t right = s > 0 ? 0 : -s;
    pre[i] = m;
    pre[8 + i] = i % 2 ? 0 : (i + 1 < n ? mult[i + 1] : 1 << 30);
    pre[16 + i] = s > 0 ? s : 0;
    pre[24 + i] = right;
    pre[32 + i] = (int32_t)((1u << right) - 1u);
    pre[40 + i] = (int32_t)((1u << right) - 1u) >> 1;
  }
}

/* The constants of voxgate_requant_z_avx512 (requant_avx512.h) for 16
 * channels (n real; the rest get multiplier 0): per lane the multiplier,
 * the odd lanes' multipliers moved to even positions and the left shift;
 * per even and per odd channel an int64 nudge and right shift. */
enum { VOXGATE_RQZ = 112 };
static inline void voxgate_requant_z_fill(const int32_t* mult,
                                          const int32_t* shift, int n,
                                          int32_t* z) {
  for (int i = 0; i < 16; ++i) {
    const int32_t m = i < n ? mult[i] : 0, s = i < n ? shift[i] : 0;
    const int right = s > 0 ? 0 : -s;
    z[i] = m;
    z[16 + i] = i % 2 ? 0 : (i + 1 < n ? mult[i + 1] : 0);
    z[32 + i] = s > 0 ? s : 0;
    const int64_t nudge =
        ((int64_t)1 << 30) + (right ? (int64_t)1 << (30 + right) : 0);
    const int64_t sh = 31 + right;
    const int at = (i % 2 ? 64 : 48) + 2 * (i / 2);
    memcpy(z + at, &nudge, sizeof nudge);
    memcpy(z + at + 32, &sh, sizeof sh);
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <stdint.h>

/* shift > 0 shifts left first; else rounds right by -shift. */
__attribute__((target("avx2"))) static inline __m256i voxgate_requantize_avx2(
    __m256i x, __m256i mult, __m256i shift) {
  const __m256i zero = _mm256_setzero_si256(), one = _mm256_set1_epi32(1);
  const __m256i left = _mm256_max_epi32(shift, zero);
  const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, shift), zero);
  x = _mm256_sllv_epi32(x, left); /* wraps like the uint32 shift */
  /* srdhm(a, b) = (a * b + 2^30) >> 31, lanes 0,2,4,6 then 1,3,5,7. */
  const __m256i half = _mm256_set1_epi64x((long long)1 << 30);
  __m256i even = _mm256_mul_epi32(x, mult);
  __m256i odd =
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32));
  even = _mm256_srli_epi64(_mm256_add_epi64(even, half), 31);
  odd =
      _mm256_slli_epi64(_mm256_srli_epi64(_mm256_add_epi64(odd, half), 31), 32);
  __m256i r = _mm256_blend_epi32(even, odd, 0xAA);
  /* Rounding shift by `right`, halves up (requant.h). */
  __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  __m256i rem = _mm256_and_si256(r, mask);
  __m256i thr = _mm256_srai_epi32(mask, 1);
  __m256i q = _mm256_srav_epi32(r, right);
  return _mm256_sub_epi32(q, _mm256_cmpgt_epi32(rem, thr));
}

__attribute__((target("avx2"))) static inline __m256i voxgate_requant_pre_avx2(
    __m256i x, const int32_t* pre) {
  const __m256i* v = (const __m256i*)(const void*)pre;
  x = _mm256_sllv_epi32(x, _mm256_loadu_si256(v + 2));
  const __m256i half = _mm256_set1_epi64x((long long)1 << 30);
  __m256i even = _mm256_mul_epi32(x, _mm256_loadu_si256(v));
  __m256i odd =
      _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_loadu_si256(v + 1));
  even = _mm256_srli_epi64(_mm256_add_epi64(even, half), 31);
  odd = _mm256_slli_epi64(_mm256_add_epi64(odd, half), 1);
  __m256i r = _mm256_blend_epi32(even, odd, 0xAA);
  __m256i rem = _mm256_and_si256(r, _mm256_loadu_si256(v + 4));
  __m256i thr = _mm256_loadu_si256(v + 5);
  __m256i q = _mm256_srav_epi32(r, _mm256_loadu_si256(v + 3));
  return _mm256_sub_epi32(q, _mm256_cmpgt_epi32(rem, thr));
}
/* The same for one multiplier and shift shared by all lanes (per-tensor,
 * as ADD's three rescales): shifts by scalar counts and constants hoisted
 * out of the caller's loop. */
typedef struct {
  __m256i mult, mask, half_mask;
  __m128i left, right;
} voxgate_requant_uniform;
__attribute__((target("avx2"))) static inline voxgate_requant_uniform
voxgate_requant_uniform_make(int32_t mult, int32_t shift) {
  const int32_t left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  const int32_t mask = (int32_t)((1u << right) - 1u);
  voxgate_requant_uniform u = {_mm256_set1_epi32(mult), _mm256_set1_epi32(mask),
                               _mm256_set1_epi32(mask >> 1),
                               _mm_cvtsi32_si128(left),
                               _mm_cvtsi32_si128(right)};
  return u;
}
__attribute__((target("avx2"))) static inline __m256i
voxgate_requantize_uniform_avx2(__m256i x, const voxgate_requant_uniform* u) {
  const __m256i half = _mm256_set1_epi64x((long long)1 << 30);
  x = _mm256_sll_epi32(x, u->left);
  __m256i even = _mm256_mul_epi32(x, u->mult);
  __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(x, 32), u->mult);
  even = _mm256_srli_epi64(_mm256_add_epi64(even, half), 31);
  odd = _mm256_slli_epi64(_mm256_add_epi64(odd, half), 1);
  const __m256i r = _mm256_blend_epi32(even, odd, 0xAA);
  const __m256i rem = _mm256_and_si256(r, u->mask);
  const __m256i thr = u->half_mask;
  return _mm256_sub_epi32(_mm256_sra_epi32(r, u->right),
                          _mm256_cmpgt_epi32(rem, thr));
}
/* Stores 8 lanes already clamped to int8 range. */
__attribute__((target("avx2"))) static inline void voxgate_store_s8x8_avx2(
    __m256i v, int8_t* y) {
  __m128i lo = _mm256_castsi256_si128(v), hi = _mm256_extracti128_si256(v, 1);
  __m128i w16 = _mm_packs_epi32(lo, hi);
  _mm_storel_epi64((__m128i*)y, _mm_packs_epi16(w16, w16));
}
#endif

#endif
