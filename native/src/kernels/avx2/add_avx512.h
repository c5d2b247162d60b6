/* Internal: the int8 ADD of add_s8.h on 16 int32 lanes with AVX-512, shared
 * by add_s8_avx512.c and the FC that fuses the residual add
 * (fcp_s8_vnni.c). Only for files compiled with the avx512f target.
 *
 * Each rescale is voxgate_requantize with srdhm and the rounding shift by e
 * (both halves up) composed into one floor (see requant_avx512.h):
 *   floor((x*m + 2^30 + 2^(30+e)) / 2^(31+e))     (e = 0: without 2^(30+e))
 * For the inputs x = (v - zp) << L, and 2^L divides every term, so
 *   v' = (v*m + [2^(30-L) + 2^(30+e-L) - zp*m]) >> (31 + e - L)
 * with the bracket a per-op int64 constant: one 64-bit multiply, add and
 * arithmetic shift per lane and rescale, and no subtraction or shift
 * before. Bounds: |v*m| and |zp*m| < 2^38, the sum a' + b' < 2^29, so
 * every int64 sum stays below 2^62. */
#ifndef VOXGATE_KERNELS_AVX2_ADD_AVX512_H_
#define VOXGATE_KERNELS_AVX2_ADD_AVX512_H_
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

#include "kernels/add_s8.h"

#define VOXGATE_ADD512_TARGET \
  __attribute__((target("avx2,avx512f,avx512vl,avx512bw")))

typedef struct {
  __m512i ma, na, mb, nb, mo, no, zo, lo, hi;
  __m128i sa, sb, so;
} voxgate_add512;

static inline int64_t voxgate_add512_nudge(int32_t shift, int32_t left) {
  const int e = -shift; /* loader: shifts in [-31, 0], left in [0, 20] */
  return ((int64_t)1 << (30 - left)) +
         (e > 0 ? (int64_t)1 << (30 + e - left) : 0);
}

VOXGATE_ADD512_TARGET static inline voxgate_add512 voxgate_add512_make(
    const voxgate_add_s8_params* p) {
  const int L = p->left_shift;
  voxgate_add512 c;
  c.ma = _mm512_set1_epi64(p->a_mult);
  c.mb = _mm512_set1_epi64(p->b_mult);
  c.mo = _mm512_set1_epi64(p->out_mult);
  c.na = _mm512_set1_epi64(voxgate_add512_nudge(p->a_shift, L) -
                           (int64_t)p->a_zero_point * p->a_mult);
  c.nb = _mm512_set1_epi64(voxgate_add512_nudge(p->b_shift, L) -
                           (int64_t)p->b_zero_point * p->b_mult);
  c.no = _mm512_set1_epi64(voxgate_add512_nudge(p->out_shift, 0));
  c.sa = _mm_cvtsi32_si128(31 - p->a_shift - L);
  c.sb = _mm_cvtsi32_si128(31 - p->b_shift - L);
  c.so = _mm_cvtsi32_si128(31 - p->out_shift);
  c.zo = _mm512_set1_epi32(p->out_zero_point);
  c.lo = _mm512_set1_epi32(p->act_min);
  c.hi = _mm512_set1_epi32(p->act_max);
  return c;
}

/* (x * m + n) >> s per int32 lane, through even and odd int64 lanes. */
VOXGATE_ADD512_TARGET static inline __m512i voxgate_add512_rescale(__m512i x,
                                                                   __m512i m,
                                                                   __m512i n,
                                                                   __m128i s) {
  __m512i ev = _mm512_mul_epi32(x, m);
  __m512i od = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), m);
  ev = _mm512_sra_epi64(_mm512_add_epi64(ev, n), s);
  od = _mm512_sra_epi64(_mm512_add_epi64(od, n), s);
  return _mm512_mask_shuffle_epi32(ev, 0xAAAA, od, _MM_PERM_CDAB);
}

/* a and b: int8 values in int32 lanes; returns y clamped, in int32 lanes. */
VOXGATE_ADD512_TARGET static inline __m512i voxgate_add512_run(
    __m512i a, __m512i b, const voxgate_add512* c) {
  const __m512i sum =
      _mm512_add_epi32(voxgate_add512_rescale(a, c->ma, c->na, c->sa),
                       voxgate_add512_rescale(b, c->mb, c->nb, c->sb));
  __m512i y = voxgate_add512_rescale(sum, c->mo, c->no, c->so);
  y = _mm512_add_epi32(y, c->zo);
  return _mm512_min_epi32(_mm512_max_epi32(y, c->lo), c->hi);
}

#endif
#endif
