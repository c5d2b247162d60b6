/* AVX-512 VNNI twin of voxgate_fcp_acc_ref: dpbusd multiplies 4 unsigned
 * weights by 4 signed inputs and adds into int32 with no intermediate
 * saturation, so one instruction serves every bit width. It works on
 * 512-bit vectors over a pair of blocks (16 rows): Zen 4 runs them as two
 * 256-bit halves, but one 64-byte load instead of two 32-byte ones was what
 * bounded the 256-bit loop (0.57 vs 0.75 cycles per 256-bit dpbusd). Also
 * the whole FC requantized in registers, and the FC with the residual ADD
 * fused after it (voxgate_fcp_add_s8). */
#include "kernels/avx2/add_avx512.h"
#include "kernels/avx2/requant_avx512.h"
#include "kernels/fcp_s8.h"
#include "kernels/requant_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <string.h>

#define TARGET \
  __attribute__((target("avx2,avx512f,avx512vl,avx512bw,avx512vnni")))
#define INLINE static inline __attribute__((always_inline))

int voxgate_kernels_have_vnni(void) {
  static int have = -1; /* cached: the CPU cannot change under us */
  if (have < 0) {
    __builtin_cpu_init();
    have = __builtin_cpu_supports("avx512vnni") &&
           __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2");
  }
  return have;
}

/* 4 input bytes in every int32 lane. */
TARGET INLINE __m512i bcast4(const int8_t* x) {
  int32_t v;
  memcpy(&v, x, 4);
  return _mm512_set1_epi32(v);
}

/* o * sum(x) in every lane (masked loads: no read past in_pad). */
TARGET INLINE __m512i correction(const voxgate_fcp* p, const int8_t* x) {
  const __m512i ones = _mm512_set1_epi8(1);
  __m512i sums = _mm512_setzero_si512();
  for (uint32_t i = 0; i < p->in_pad; i += 64) {
    const uint32_t n = p->in_pad - i;
    const __mmask64 m = n >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << n) - 1;
    sums = _mm512_dpbusd_epi32(sums, ones, _mm512_maskz_loadu_epi8(m, x + i));
  }
  const uint32_t sum_x = (uint32_t)_mm512_reduce_add_epi32(sums);
  return _mm512_set1_epi32((int32_t)((uint32_t)p->offset * sum_x));
}

/* Sums of block pairs [q, q + n) (n = 1, 2 or 4, a constant once inlined)
 * into s, bias and correction included. Two chains per pair hide dpbusd's
 * latency: bytes split the groups by parity; nibbles keep low and high
 * nibbles apart, the high ones masked in place (16 times their value:
 * |sum| < 15 * 128 * 2^14 < 2^27 with at most 2^15 inputs, so it does not
 * wrap) and shifted back at the end, which saves a shift per load. */
TARGET INLINE void dot_pairs(const voxgate_fcp* p, const int8_t* x, uint32_t q,
                             int n, __m512i corr, __m512i* s) {
  const size_t pb = 2 * voxgate_fcp_block_bytes(p);
  const uint8_t* w = p->w + q * pb;
  __m512i a[4], c[4];
#pragma GCC unroll 4
  for (int k = 0; k < n; ++k) a[k] = c[k] = _mm512_setzero_si512();
  if (p->nibble) {
    const __m512i lo = _mm512_set1_epi8(0x0F), hi = _mm512_set1_epi8(-16);
    for (uint32_t h = 0; h < p->in_pad / 8; ++h, w += 64) {
      const __m512i xa = bcast4(x + 8 * h), xb = bcast4(x + 8 * h + 4);
#pragma GCC unroll 4
      for (int k = 0; k < n; ++k) {
        const __m512i v = _mm512_loadu_si512(w + k * pb);
        a[k] = _mm512_dpbusd_epi32(a[k], _mm512_and_si512(v, lo), xa);
        c[k] = _mm512_dpbusd_epi32(c[k], _mm512_and_si512(v, hi), xb);
      }
    }
#pragma GCC unroll 4
    for (int k = 0; k < n; ++k) c[k] = _mm512_srai_epi32(c[k], 4);
  } else {
    for (uint32_t g = 0; g < p->in_pad / 4; g += 2, w += 128) {
      const __m512i xa = bcast4(x + 4 * g), xb = bcast4(x + 4 * g + 4);
#pragma GCC unroll 4
      for (int k = 0; k < n; ++k) {
        a[k] = _mm512_dpbusd_epi32(a[k], _mm512_loadu_si512(w + k * pb), xa);
        c[k] =
            _mm512_dpbusd_epi32(c[k], _mm512_loadu_si512(w + k * pb + 64), xb);
      }
    }
  }
#pragma GCC unroll 4
  for (int k = 0; k < n; ++k) {
    const __m512i bias = _mm512_loadu_si512(p->bias + 16 * (q + k));
    s[k] = _mm512_sub_epi32(
        _mm512_add_epi32(_mm512_add_epi32(a[k], c[k]), bias), corr);
  }
}

/* Requantizes pair q's sums into y, after the residual ADD when `add` is
 * set (the FC output is the ADD's first input: the clamped int8 values,
 * still in int32 lanes). A last pair with fewer than 16 real rows (its
 * padding rows have multiplier 0) loads and stores only those. */
TARGET INLINE void finish(const voxgate_fcp* p, uint32_t q, __m512i s,
                          const voxgate_quant_params* qp,
                          const voxgate_add512* add, const int8_t* residual,
                          int8_t* y) {
  const uint32_t o = 16 * q, n = p->out_dim - o;
  const __mmask16 m = n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1);
  __m512i r = voxgate_requant_z_avx512(s, p->rqz + q * VOXGATE_RQZ);
  r = _mm512_add_epi32(r, _mm512_set1_epi32(qp->output_zero_point));
  r = _mm512_max_epi32(r, _mm512_set1_epi32(qp->act_min));
  r = _mm512_min_epi32(r, _mm512_set1_epi32(qp->act_max));
  if (add != NULL) {
    const __m128i b = n >= 16 ? _mm_loadu_si128((const __m128i*)(residual + o))
                              : _mm_maskz_loadu_epi8(m, residual + o);
    r = voxgate_add512_run(r, _mm512_cvtepi8_epi32(b), add);
  }
  if (n >= 16)
    _mm_storeu_si128((__m128i*)(y + o), _mm512_cvtepi32_epi8(r));
  else
    _mm_mask_storeu_epi8(y + o, m, _mm512_cvtepi32_epi8(r));
}

/* The whole FC with the requantization (and the fused ADD) in registers.
 * Nibbles: 4 pairs (64 rows) per pass share each input broadcast, then 2,
 * then 1. Bytes (twice the weights, streamed from L2 in a model) go 2
 * pairs per pass: each pass's requantization then overlaps the next
 * pass's loads (bench model: w8 -2%; nibbles by 2 were 5% slower).
 * (Parking the sums until all passes are done, to keep the ADD's
 * constants out of the dot loop's registers, measured slower.) */
TARGET INLINE void fc(const voxgate_fcp* p, const int8_t* x,
                      const voxgate_quant_params* qp, const voxgate_add512* add,
                      const int8_t* residual, int8_t* y) {
  const __m512i corr = correction(p, x);
  const uint32_t pairs = p->blocks / 2, by4 = p->nibble ? pairs / 4 * 4 : 0;
  uint32_t q = 0;
  for (; q < by4; q += 4) {
    __m512i s[4];
    dot_pairs(p, x, q, 4, corr, s);
    for (int k = 0; k < 4; ++k) finish(p, q + k, s[k], qp, add, residual, y);
  }
  for (; pairs - q >= 2; q += 2) {
    __m512i s[2];
    dot_pairs(p, x, q, 2, corr, s);
    finish(p, q, s[0], qp, add, residual, y);
    finish(p, q + 1, s[1], qp, add, residual, y);
  }
  if (pairs > q) {
    __m512i s[1];
    dot_pairs(p, x, q, 1, corr, s);
    finish(p, q, s[0], qp, add, residual, y);
  }
}

TARGET void voxgate_fcp_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                                const voxgate_quant_params* qp, int32_t* acc,
                                int8_t* y) {
  (void)acc;
  fc(p, x, qp, NULL, NULL, y);
}

TARGET void voxgate_fcp_add_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                                    const voxgate_quant_params* qp,
                                    const int8_t* residual,
                                    const voxgate_add_s8_params* add,
                                    int8_t* y) {
  const voxgate_add512 c = voxgate_add512_make(add);
  fc(p, x, qp, &c, residual, y);
}

TARGET __attribute__((noinline)) static void acc_vnni(const voxgate_fcp* p,
                                                      const int8_t* x,
                                                      int32_t* acc) {
  const __m512i corr = correction(p, x);
  for (uint32_t q = 0; q < p->blocks / 2; ++q) {
    __m512i s[1];
    dot_pairs(p, x, q, 1, corr, s);
    _mm512_storeu_si512(acc + 16 * q, s[0]);
  }
}

/* Checked outside the AVX-512 function, whose own prologue and epilogue may
 * use AVX-512 (add_s8_avx512.c). */
void voxgate_fcp_acc_vnni(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
  if (voxgate_kernels_have_vnni())
    acc_vnni(p, x, acc);
  else
    voxgate_fcp_acc_ref(p, x, acc);
}

#else
int voxgate_kernels_have_vnni(void) { return 0; }
void voxgate_fcp_add_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                             const voxgate_quant_params* qp,
                             const int8_t* residual,
                             const voxgate_add_s8_params* add, int8_t* y) {
  (void)p, (void)x, (void)qp, (void)residual, (void)add, (void)y;
}
void voxgate_fcp_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                         const voxgate_quant_params* qp, int32_t* acc,
                         int8_t* y) {
  voxgate_fcp_acc_ref(p, x, acc);
  voxgate_requant_s8_ref(acc, p->out_dim, p->mult, p->shift,
                         qp->output_zero_point, qp->act_min, qp->act_max, y);
}
void voxgate_fcp_acc_vnni(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
  voxgate_fcp_acc_ref(p, x, acc);
}
#endif
