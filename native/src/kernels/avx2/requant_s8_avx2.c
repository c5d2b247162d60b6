/* AVX2 twin of voxgate_requant_s8_ref, 8 accumulators per step. */
#include "kernels/dot_s8.h"
#include "kernels/requant_avx2.h"
#include "kernels/requant_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

__attribute__((target("avx2"))) void voxgate_requant_s8_avx2(
    const int32_t* acc, size_t n, const int32_t* mult, const int32_t* shift,
    int32_t zero_point, int32_t act_min, int32_t act_max, int8_t* y) {
  if (!voxgate_kernels_have_avx2()) {
    voxgate_requant_s8_ref(acc, n, mult, shift, zero_point, act_min, act_max,
                           y);
    return;
  }
  const __m256i zp = _mm256_set1_epi32(zero_point);
  const __m256i lo = _mm256_set1_epi32(act_min),
                hi = _mm256_set1_epi32(act_max);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i x = _mm256_loadu_si256((const __m256i*)(acc + i));
    __m256i m = _mm256_loadu_si256((const __m256i*)(mult + i));
    __m256i s = _mm256_loadu_si256((const __m256i*)(shift + i));
    __m256i q = voxgate_requantize_avx2(x, m, s);
    q = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(q, zp), lo), hi);
    voxgate_store_s8x8_avx2(q, y + i);
  }
  voxgate_requant_s8_ref(acc + i, n - i, mult + i, shift + i, zero_point,
                         act_min, act_max, y + i);
}

#else
void voxgate_requant_s8_avx2(const int32_t* acc, size_t n, const int32_t* mult,
                             const int32_t* shift, int32_t zero_point,
                             int32_t act_min, int32_t act_max, int8_t* y) {
  voxgate_requant_s8_ref(acc, n, mult, shift, zero_point, act_min, act_max, y);
}
#endif
