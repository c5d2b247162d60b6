/* Internal to the x86 twins of fcp_s8 (AVX2 and VNNI): the input broadcast
 * and the per-call zero-point correction. Only for files compiled with the
 * avx2 target attribute. */
#ifndef VOXGATE_KERNELS_AVX2_FCP_X86_H_
#define VOXGATE_KERNELS_AVX2_FCP_X86_H_
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <string.h>

#include "kernels/fcp_s8.h"

/* 4 input bytes in every int32 lane. */
__attribute__((target("avx2"))) static inline __m256i voxgate_fcp_bcast4(
    const int8_t* x) {
  int32_t v;
  memcpy(&v, x, 4);
  return _mm256_set1_epi32(v);
}

/* o * sum(x) in every lane, from unsigned byte sums of x ^ 0x80 (in_pad is
 * a multiple of 8, so 8-byte steps cover it). */
__attribute__((target("avx2"))) static inline __m256i voxgate_fcp_correction(
    const voxgate_fcp* p, const int8_t* x) {
  const __m128i flip = _mm_set1_epi8((char)0x80);
  __m128i sums = _mm_setzero_si128();
  for (uint32_t i = 0; i < p->in_pad; i += 8)
    sums = _mm_add_epi64(
        sums, _mm_sad_epu8(
                  _mm_xor_si128(_mm_loadl_epi64((const __m128i*)(x + i)), flip),
                  _mm_setzero_si128()));
  const uint32_t biased = (uint32_t)_mm_cvtsi128_si32(sums);
  const uint32_t sum_x = biased - 128u * p->in_pad;
  return _mm256_set1_epi32((int32_t)((uint32_t)p->offset * sum_x));
}

#endif
#endif
