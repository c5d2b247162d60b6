/* AVX2 twin of voxgate_add_s8_ref, 8 elements per step. */
#include "kernels/add_s8.h"
#include "kernels/dot_s8.h"
#include "kernels/requant_avx2.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

__attribute__((target("avx2"))) void voxgate_add_s8_avx2(
    const int8_t* a, const int8_t* b, int8_t* y, size_t n,
    const voxgate_add_s8_params* p) {
  if (!voxgate_kernels_have_avx2()) {
    voxgate_add_s8_ref(a, b, y, n, p);
    return;
  }
  const __m256i za = _mm256_set1_epi32(p->a_zero_point);
  const __m256i zb = _mm256_set1_epi32(p->b_zero_point);
  const voxgate_requant_uniform ra =
      voxgate_requant_uniform_make(p->a_mult, p->a_shift);
  const voxgate_requant_uniform rb =
      voxgate_requant_uniform_make(p->b_mult, p->b_shift);
  const voxgate_requant_uniform ro =
      voxgate_requant_uniform_make(p->out_mult, p->out_shift);
  const __m256i oz = _mm256_set1_epi32(p->out_zero_point);
  const __m256i lo = _mm256_set1_epi32(p->act_min);
  const __m256i hi = _mm256_set1_epi32(p->act_max);
  const __m128i ls = _mm_cvtsi32_si128(p->left_shift);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i va = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i*)(a + i)));
    __m256i vb = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i*)(b + i)));
    va = _mm256_sll_epi32(_mm256_sub_epi32(va, za), ls);
    vb = _mm256_sll_epi32(_mm256_sub_epi32(vb, zb), ls);
    __m256i sum = _mm256_add_epi32(voxgate_requantize_uniform_avx2(va, &ra),
                                   voxgate_requantize_uniform_avx2(vb, &rb));
    __m256i q = _mm256_add_epi32(voxgate_requantize_uniform_avx2(sum, &ro), oz);
    q = _mm256_min_epi32(_mm256_max_epi32(q, lo), hi);
    voxgate_store_s8x8_avx2(q, y + i);
  }
  voxgate_add_s8_ref(a + i, b + i, y + i, n - i, p);
}

#else
void voxgate_add_s8_avx2(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                         const voxgate_add_s8_params* p) {
  voxgate_add_s8_ref(a, b, y, n, p);
}
#endif
