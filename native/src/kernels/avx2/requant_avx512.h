/* Internal: voxgate_requantize on 16 int32 lanes with AVX-512, bit-exact
 * with requant.h, from per-channel constants computed at load
 * (voxgate_requant_z_fill in requant_avx2.h). srdhm and the rounding shift
 * by e (both halves up) compose into one floor:
 *   floor((floor((x*m + 2^30) / 2^31) + 2^(e-1)) / 2^e)
 *     = (x*m + 2^30 + 2^(30+e)) >> (31 + e)      (e > 0; e = 0: 2^30, 31)
 * exact in int64 (|x*m| < 2^62), so a lane costs one 64-bit multiply, add
 * and arithmetic shift. Only for files compiled with the avx512f target. */
#ifndef VOXGATE_KERNELS_AVX2_REQUANT_AVX512_H_
#define VOXGATE_KERNELS_AVX2_REQUANT_AVX512_H_
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <stdint.h>

#include "kernels/requant_avx2.h"

__attribute__((target("avx2,avx512f"))) static inline __m512i
voxgate_requant_z_avx512(__m512i x, const int32_t* z) {
  const __m512i* v = (const __m512i*)(const void*)z;
  x = _mm512_sllv_epi32(x, _mm512_loadu_si512(v + 2));
  __m512i ev = _mm512_mul_epi32(x, _mm512_loadu_si512(v));
  __m512i od =
      _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_loadu_si512(v + 1));
  ev = _mm512_srav_epi64(_mm512_add_epi64(ev, _mm512_loadu_si512(v + 3)),
                         _mm512_loadu_si512(v + 5));
  od = _mm512_srav_epi64(_mm512_add_epi64(od, _mm512_loadu_si512(v + 4)),
                         _mm512_loadu_si512(v + 6));
  /* Odd lanes take the low half of od's 64-bit lanes. */
  return _mm512_mask_shuffle_epi32(ev, 0xAAAA, od, _MM_PERM_CDAB);
}

#endif
#endif
