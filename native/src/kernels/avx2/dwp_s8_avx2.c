/* AVX2 twin of voxgate_dwp_s8_ref: 16 channels per step, two taps per
 * madd (interleaved int16 products summed into int32), requantized in
 * registers. */
#include "kernels/dot_s8.h"
#include "kernels/dwp_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include "kernels/requant_avx2.h"

#define TARGET __attribute__((target("avx2")))

TARGET static inline __m256i load16(const int8_t* x) {
  return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)x));
}

TARGET void voxgate_dwp_s8_avx2(const voxgate_dwp* p, const int8_t* const* taps,
                                const voxgate_quant_params* qp, int8_t* y) {
  voxgate_dwp_s8_avx2_from(p, taps, qp, 0, y);
}

TARGET void voxgate_dwp_s8_avx2_from(const voxgate_dwp* p,
                                     const int8_t* const* taps,
                                     const voxgate_quant_params* qp,
                                     uint32_t g0, int8_t* y) {
  if (!voxgate_kernels_have_avx2()) {
    voxgate_dwp_s8_tail(p, taps, qp, 16 * g0, y);
    return;
  }
  const __m256i zp = _mm256_set1_epi32(qp->output_zero_point);
  const __m256i lo = _mm256_set1_epi32(qp->act_min);
  const __m256i hi = _mm256_set1_epi32(qp->act_max);
  for (uint32_t g = g0; g < p->groups; ++g) {
    const uint32_t c = 16 * g;
    const int32_t* perm = p->perm + g * 16;
    const int32_t* rq = p->rq + g * 2 * VOXGATE_RQ_PRE;
    __m256i a0 = _mm256_loadu_si256((const __m256i*)perm);
    __m256i a1 = _mm256_loadu_si256((const __m256i*)(perm + 8));
    const int16_t* w = p->w_pairs + (size_t)g * p->pairs * 32;
    for (uint32_t q = 0; q < p->pairs; ++q, w += 32) {
      const uint32_t ja = 2 * q, jb = ja + 1 < p->kernel ? ja + 1 : ja;
      const __m256i xa = load16(taps[ja] + c), xb = load16(taps[jb] + c);
      a0 = _mm256_add_epi32(
          a0, _mm256_madd_epi16(_mm256_unpacklo_epi16(xa, xb),
                                _mm256_loadu_si256((const __m256i*)w)));
      a1 = _mm256_add_epi32(
          a1, _mm256_madd_epi16(_mm256_unpackhi_epi16(xa, xb),
                                _mm256_loadu_si256((const __m256i*)(w + 16))));
    }
    a0 = voxgate_requant_pre_avx2(a0, rq);
    a1 = voxgate_requant_pre_avx2(a1, rq + VOXGATE_RQ_PRE);
    a0 = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(a0, zp), lo), hi);
    a1 = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(a1, zp), lo), hi);
    /* packs works per 128-bit lane: (0-3, 4-7 | 8-11, 12-15) in order. */
    const __m256i w16 = _mm256_packs_epi32(a0, a1);
    const __m128i b = _mm_packs_epi16(_mm256_castsi256_si128(w16),
                                      _mm256_extracti128_si256(w16, 1));
    _mm_storeu_si128((__m128i*)(y + c), b);
  }
  voxgate_dwp_s8_tail(p, taps, qp, 16 * p->groups, y);
}

#else
void voxgate_dwp_s8_avx2(const voxgate_dwp* p, const int8_t* const* taps,
                         const voxgate_quant_params* qp, int8_t* y) {
  voxgate_dwp_s8_ref(p, taps, qp, y);
}
void voxgate_dwp_s8_avx2_from(const voxgate_dwp* p, const int8_t* const* taps,
                              const voxgate_quant_params* qp, uint32_t g0,
                              int8_t* y) {
  voxgate_dwp_s8_tail(p, taps, qp, 16 * g0, y);
}
#endif
