/* Internal: voxgate_requantize for 8 int32 lanes in AVX2, bit-exact with
 * requant.h. Only for files compiled with the avx2 target attribute. */
#ifndef VOXGATE_KERNELS_REQUANT_AVX2_H_
#define VOXGATE_KERNELS_REQUANT_AVX2_H_

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
  /* Rounding divide by 2^right, half away from zero. */
  __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  __m256i rem = _mm256_and_si256(r, mask);
  __m256i thr =
      _mm256_add_epi32(_mm256_srai_epi32(mask, 1), _mm256_srli_epi32(r, 31));
  __m256i q = _mm256_srav_epi32(r, right);
  return _mm256_sub_epi32(q, _mm256_cmpgt_epi32(rem, thr));
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
