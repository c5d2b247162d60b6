/* AVX2 twin of voxgate_fcp_acc_ref. maddubs multiplies the unsigned weights
 * by the signed inputs in pairs into int16: no saturation while weights are
 * at most 7 bits (2 * 127 * 128 < 2^15), and for nibbles up to 8 such
 * results can be summed in int16 (8 * 2 * 15 * 128 < 2^15) before widening.
 * 8-bit weights would saturate, so they widen to int16 and use madd. */
#include "kernels/avx2/fcp_x86.h"
#include "kernels/dot_s8.h"
#include "kernels/fcp_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <string.h>

#define TARGET __attribute__((target("avx2")))

TARGET static __m256i block_nibble(const uint8_t* w, const int8_t* x,
                                   uint32_t pairs) {
  const __m256i mask = _mm256_set1_epi8(0x0F), ones = _mm256_set1_epi16(1);
  __m256i acc = _mm256_setzero_si256();
  for (uint32_t h0 = 0; h0 < pairs; h0 += 4) {
    const uint32_t h1 = pairs - h0 < 4 ? pairs : h0 + 4;
    __m256i s16 = _mm256_setzero_si256();
    for (uint32_t h = h0; h < h1; ++h) {
      const __m256i v =
          _mm256_loadu_si256((const __m256i*)(w + VOXGATE_FCP_STRIDE * h));
      const __m256i lo = _mm256_and_si256(v, mask);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), mask);
      s16 = _mm256_add_epi16(
          s16, _mm256_maddubs_epi16(lo, voxgate_fcp_bcast4(x + 8 * h)));
      s16 = _mm256_add_epi16(
          s16, _mm256_maddubs_epi16(hi, voxgate_fcp_bcast4(x + 8 * h + 4)));
    }
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(s16, ones));
  }
  return acc;
}

TARGET static __m256i block_byte7(const uint8_t* w, const int8_t* x,
                                  uint32_t groups) {
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i acc = _mm256_setzero_si256();
  for (uint32_t g = 0; g < groups; ++g) {
    const __m256i v =
        _mm256_loadu_si256((const __m256i*)(w + VOXGATE_FCP_STRIDE * g));
    const __m256i p = _mm256_maddubs_epi16(v, voxgate_fcp_bcast4(x + 4 * g));
    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p, ones));
  }
  return acc;
}

/* 8-bit: rows 0-3 and 4-7 widen to int16 (two 16-byte halves); madd with
 * the inputs gives pair sums per row, reduced once at the end. */
TARGET static __m256i block_byte8(const uint8_t* w, const int8_t* x,
                                  uint32_t groups) {
  __m256i a0 = _mm256_setzero_si256(), a1 = _mm256_setzero_si256();
  for (uint32_t g = 0; g < groups; ++g) {
    int64_t x4;
    int32_t v;
    memcpy(&v, x + 4 * g, 4);
    x4 = v;
    const __m256i xs = _mm256_broadcastq_epi64(
        _mm_cvtepi8_epi16(_mm_cvtsi64_si128((long long)x4)));
    const __m128i lo =
        _mm_loadu_si128((const __m128i*)(w + VOXGATE_FCP_STRIDE * g));
    const __m128i hi =
        _mm_loadu_si128((const __m128i*)(w + VOXGATE_FCP_STRIDE * g + 16));
    a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(_mm256_cvtepu8_epi16(lo), xs));
    a1 = _mm256_add_epi32(a1, _mm256_madd_epi16(_mm256_cvtepu8_epi16(hi), xs));
  }
  /* a0 lanes: r0a r0b r1a r1b | r2a r2b r3a r3b; hadd pairs them up. */
  const __m256i h = _mm256_hadd_epi32(a0, a1); /* r0 r1 r4 r5 | r2 r3 r6 r7 */
  return _mm256_permutevar8x32_epi32(h,
                                     _mm256_setr_epi32(0, 1, 4, 5, 2, 3, 6, 7));
}

TARGET void voxgate_fcp_acc_avx2(const voxgate_fcp* p, const int8_t* x,
                                 int32_t* acc) {
  if (!voxgate_kernels_have_avx2()) {
    voxgate_fcp_acc_ref(p, x, acc);
    return;
  }
  const __m256i corr = voxgate_fcp_correction(p, x);
  for (uint32_t b = 0; b < p->blocks; ++b) {
    const uint8_t* w = voxgate_fcp_block(p, b);
    __m256i s;
    if (p->nibble)
      s = block_nibble(w, x, p->in_pad / 8);
    else if (p->bits < 8)
      s = block_byte7(w, x, p->in_pad / 4);
    else
      s = block_byte8(w, x, p->in_pad / 4);
    const __m256i bias = _mm256_loadu_si256((const __m256i*)(p->bias + 8 * b));
    s = _mm256_sub_epi32(_mm256_add_epi32(s, bias), corr);
    _mm256_storeu_si256((__m256i*)(acc + 8 * b), s);
  }
}

#else
void voxgate_fcp_acc_avx2(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
  voxgate_fcp_acc_ref(p, x, acc);
}
#endif
