/* AVX-512 twin of voxgate_dwp_s8_ref: 32 channels per step, two taps per
 * vpdpwssd (interleaved int16 pairs multiplied and summed into int32, with
 * no saturation: |w * x| <= 127 * 128), requantized in registers with one
 * int64 multiply-add-shift per lane (requant_avx512.h). Channels past the
 * last 32 go through the AVX2 twin. */
#include "kernels/dwp_s8.h"
#include "kernels/fcp_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include "kernels/avx2/requant_avx512.h"

#define TARGET \
  __attribute__((target("avx2,avx512f,avx512vl,avx512bw,avx512vnni")))

TARGET static inline __m512i load32(const int8_t* x) {
  return _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i*)x));
}

TARGET __attribute__((noinline)) static void dwp_avx512(
    const voxgate_dwp* p, const int8_t* const* taps,
    const voxgate_quant_params* qp, int8_t* y) {
  const __m512i zp = _mm512_set1_epi32(qp->output_zero_point);
  const __m512i lo = _mm512_set1_epi32(qp->act_min);
  const __m512i hi = _mm512_set1_epi32(qp->act_max);
  for (uint32_t g = 0; g < p->groups_z; ++g) {
    const uint32_t c = 32 * g;
    __m512i a0 = _mm512_loadu_si512(p->bias_z + 32 * g);
    __m512i a1 = _mm512_loadu_si512(p->bias_z + 32 * g + 16);
    const int16_t* w = p->w_z + (size_t)g * p->pairs * 64;
    for (uint32_t q = 0; q < p->pairs; ++q, w += 64) {
      /* An odd kernel's last pair repeats its tap with weight 0. */
      const uint32_t ja = 2 * q, jb = ja + 1 < p->kernel ? ja + 1 : ja;
      const __m512i xa = load32(taps[ja] + c), xb = load32(taps[jb] + c);
      a0 = _mm512_dpwssd_epi32(a0, _mm512_unpacklo_epi16(xa, xb),
                               _mm512_loadu_si512(w));
      a1 = _mm512_dpwssd_epi32(a1, _mm512_unpackhi_epi16(xa, xb),
                               _mm512_loadu_si512(w + 32));
    }
    const int32_t* rq = p->rqz + g * 2 * VOXGATE_RQZ;
    a0 = _mm512_add_epi32(voxgate_requant_z_avx512(a0, rq), zp);
    a1 = _mm512_add_epi32(voxgate_requant_z_avx512(a1, rq + VOXGATE_RQZ), zp);
    a0 = _mm512_min_epi32(_mm512_max_epi32(a0, lo), hi);
    a1 = _mm512_min_epi32(_mm512_max_epi32(a1, lo), hi);
    /* packs works per 128-bit lane: (0-3, 4-7) of each lane's 8, in order. */
    _mm256_storeu_si256((__m256i*)(y + c),
                        _mm512_cvtsepi16_epi8(_mm512_packs_epi32(a0, a1)));
  }
  voxgate_dwp_s8_avx2_from(p, taps, qp, 2 * p->groups_z, y);
}

/* Checked outside the AVX-512 function, whose own prologue and epilogue may
 * use AVX-512 (add_s8_avx512.c). */
void voxgate_dwp_s8_avx512(const voxgate_dwp* p, const int8_t* const* taps,
                           const voxgate_quant_params* qp, int8_t* y) {
  if (voxgate_kernels_have_vnni())
    dwp_avx512(p, taps, qp, y);
  else
    voxgate_dwp_s8_avx2(p, taps, qp, y);
}

#else
void voxgate_dwp_s8_avx512(const voxgate_dwp* p, const int8_t* const* taps,
                           const voxgate_quant_params* qp, int8_t* y) {
  voxgate_dwp_s8_ref(p, taps, qp, y);
}
#endif
