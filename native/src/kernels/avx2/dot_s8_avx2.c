/* AVX2 twin of voxgate_dot_s16s8_ref: 16 products per step with madd. */
#include "kernels/dot_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

int voxgate_kernels_have_avx2(void) {
  /* Cached: asking the CPU on every call showed up in profiles. */
  static int have = -1;
  if (have < 0) {
    __builtin_cpu_init();
    have = __builtin_cpu_supports("avx2") != 0;
  }
  return have;
}

__attribute__((target("avx2"))) int32_t voxgate_dot_s16s8_avx2(const int16_t* x,
                                                               const int8_t* w,
                                                               size_t n) {
  if (!voxgate_kernels_have_avx2()) return voxgate_dot_s16s8_ref(x, w, n);
  __m256i acc = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i xv = _mm256_loadu_si256((const __m256i*)(x + i));
    __m256i wv = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(w + i)));
    /* |x| <= 255 and |w| <= 127: each pair sum fits int32 exactly. */
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(xv, wv));
  }
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc),
                            _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  int32_t total = _mm_cvtsi128_si32(s);
  return i == n ? total : total + voxgate_dot_s16s8_ref(x + i, w + i, n - i);
}
__attribute__((target("avx2"))) int32_t voxgate_dot_s16s4_avx2(
    const int16_t* xe, const int16_t* xo, const uint8_t* w, size_t nbytes) {
  if (!voxgate_kernels_have_avx2())
    return voxgate_dot_s16s4_ref(xe, xo, w, nbytes);
  const __m128i low4 = _mm_set1_epi8(0x0F), eight = _mm_set1_epi8(8);
  __m256i acc = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 16 <= nbytes; i += 16) {
    __m128i b = _mm_loadu_si128((const __m128i*)(w + i));
    /* Sign-extend each nibble: (v ^ 8) - 8. */
    __m128i lo =
        _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(b, low4), eight), eight);
    __m128i hi = _mm_sub_epi8(
        _mm_xor_si128(_mm_and_si128(_mm_srli_epi16(b, 4), low4), eight), eight);
    __m256i xe16 = _mm256_loadu_si256((const __m256i*)(xe + i));
    __m256i xo16 = _mm256_loadu_si256((const __m256i*)(xo + i));
    acc = _mm256_add_epi32(acc,
                           _mm256_madd_epi16(xe16, _mm256_cvtepi8_epi16(lo)));
    acc = _mm256_add_epi32(acc,
                           _mm256_madd_epi16(xo16, _mm256_cvtepi8_epi16(hi)));
  }
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc),
                            _mm256_extracti128_si256(acc, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
  int32_t total = _mm_cvtsi128_si32(s);
  return i == nbytes
             ? total
             : total + voxgate_dot_s16s4_ref(xe + i, xo + i, w + i, nbytes - i);
}
/* Four rows against one input: the input is loaded once per step and the
 * four sums are reduced together. */
__attribute__((target("avx2"))) void voxgate_dot4_s16s8_avx2(const int16_t* x,
                                                             const int8_t* w,
                                                             size_t row_stride,
                                                             size_t n,
                                                             int32_t* out) {
  if (!voxgate_kernels_have_avx2()) {
    voxgate_dot4_s16s8_ref(x, w, row_stride, n, out);
    return;
  }
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  const int8_t *w0 = w, *w1 = w + row_stride, *w2 = w1 + row_stride,
               *w3 = w2 + row_stride;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i xv = _mm256_loadu_si256((const __m256i*)(x + i));
#define VOXGATE_ROW(acc, row)                                          \
  acc = _mm256_add_epi32(                                              \
      acc, _mm256_madd_epi16(xv, _mm256_cvtepi8_epi16(_mm_loadu_si128( \
                                     (const __m128i*)((row) + i)))))
    VOXGATE_ROW(a0, w0);
    VOXGATE_ROW(a1, w1);
    VOXGATE_ROW(a2, w2);
    VOXGATE_ROW(a3, w3);
#undef VOXGATE_ROW
  }
  /* Reduce four vectors of 8 partial sums to one vector of 4 totals. */
  __m256i s01 = _mm256_hadd_epi32(a0, a1), s23 = _mm256_hadd_epi32(a2, a3);
  __m256i s = _mm256_hadd_epi32(s01, s23);
  __m128i t =
      _mm_add_epi32(_mm256_castsi256_si128(s), _mm256_extracti128_si256(s, 1));
  _mm_storeu_si128((__m128i*)out, t);
  if (i < n) {
    out[0] += voxgate_dot_s16s8_ref(x + i, w0 + i, n - i);
    out[1] += voxgate_dot_s16s8_ref(x + i, w1 + i, n - i);
    out[2] += voxgate_dot_s16s8_ref(x + i, w2 + i, n - i);
    out[3] += voxgate_dot_s16s8_ref(x + i, w3 + i, n - i);
  }
}
__attribute__((target("avx2"))) void voxgate_mac_s8_avx2(int32_t* acc,
                                                         const int8_t* x,
                                                         const int8_t* w,
                                                         int32_t zero_point,
                                                         size_t n) {
  if (!voxgate_kernels_have_avx2()) {
    voxgate_mac_s8_ref(acc, x, w, zero_point, n);
    return;
  }
  const __m256i zp = _mm256_set1_epi16((int16_t)zero_point);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i xv = _mm256_sub_epi16(
        _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(x + i))), zp);
    __m256i wv = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i*)(w + i)));
    /* |x - zp| <= 255 and |w| <= 127: the int16 product is exact. */
    __m256i p = _mm256_mullo_epi16(xv, wv);
    __m256i lo = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(p));
    __m256i hi = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(p, 1));
    __m256i* a = (__m256i*)(acc + i);
    _mm256_storeu_si256(a, _mm256_add_epi32(_mm256_loadu_si256(a), lo));
    _mm256_storeu_si256(a + 1, _mm256_add_epi32(_mm256_loadu_si256(a + 1), hi));
  }
  if (i < n) voxgate_mac_s8_ref(acc + i, x + i, w + i, zero_point, n - i);
}
#else
int voxgate_kernels_have_avx2(void) { return 0; }
void voxgate_mac_s8_avx2(int32_t* acc, const int8_t* x, const int8_t* w,
                         int32_t zero_point, size_t n) {
  voxgate_mac_s8_ref(acc, x, w, zero_point, n);
}
void voxgate_dot4_s16s8_avx2(const int16_t* x, const int8_t* w,
                             size_t row_stride, size_t n, int32_t* out) {
  voxgate_dot4_s16s8_ref(x, w, row_stride, n, out);
}
int32_t voxgate_dot_s16s4_avx2(const int16_t* xe, const int16_t* xo,
                               const uint8_t* w, size_t nbytes) {
  return voxgate_dot_s16s4_ref(xe, xo, w, nbytes);
}
int32_t voxgate_dot_s16s8_avx2(const int16_t* x, const int8_t* w, size_t n) {
  return voxgate_dot_s16s8_ref(x, w, n);
}
#endif
