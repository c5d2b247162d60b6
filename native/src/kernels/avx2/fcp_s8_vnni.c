/* AVX-512 VNNI twin of voxgate_fcp_acc_ref on 256-bit vectors: dpbusd
 * multiplies 4 unsigned weights by 4 signed inputs and adds into int32
 * with no intermediate saturation, so one instruction serves every bit
 * width. */
#include "kernels/avx2/fcp_x86.h"
#include "kernels/fcp_s8.h"
#include "kernels/requant_avx2.h"
#include "kernels/requant_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#include <string.h>

#define TARGET __attribute__((target("avx2,avx512f,avx512vl,avx512vnni")))

int voxgate_kernels_have_vnni(void) {
  static int have = -1; /* cached: the CPU cannot change under us */
  if (have < 0) {
    __builtin_cpu_init();
    have = __builtin_cpu_supports("avx512vnni") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2");
  }
  return have;
}

/* Eight blocks (64 rows) per pass share each input broadcast, and 8
 * independent dpbusd chains hide its latency. */
#define PASS 8
#define DP(s, w, x) \
  s = _mm256_dpbusd_epi32(s, _mm256_loadu_si256((const __m256i*)(w)), x)
TARGET static void pass_bytes(const uint8_t* const* w, const int8_t* x,
                              uint32_t groups, __m256i* s) {
  __m256i s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
  __m256i s4 = s[4], s5 = s[5], s6 = s[6], s7 = s[7];
  const uint8_t *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
  const uint8_t *w4 = w[4], *w5 = w[5], *w6 = w[6], *w7 = w[7];
  for (uint32_t g = 0; g < groups; ++g) {
    const __m256i xa = voxgate_fcp_bcast4(x + 4 * g);
    const size_t o = 32 * (size_t)g;
    DP(s0, w0 + o, xa);
    DP(s1, w1 + o, xa);
    DP(s2, w2 + o, xa);
    DP(s3, w3 + o, xa);
    DP(s4, w4 + o, xa);
    DP(s5, w5 + o, xa);
    DP(s6, w6 + o, xa);
    DP(s7, w7 + o, xa);
  }
  s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3;
  s[4] = s4, s[5] = s5, s[6] = s6, s[7] = s7;
}

#define DPN(s, v, m, xa, xb)                                                 \
  do {                                                                       \
    s = _mm256_dpbusd_epi32(s, _mm256_and_si256(v, m), xa);                  \
    s = _mm256_dpbusd_epi32(s, _mm256_and_si256(_mm256_srli_epi16(v, 4), m), \
                            xb);                                             \
  } while (0)
#define LD(w) _mm256_loadu_si256((const __m256i*)(w))
TARGET static void pass_nibbles(const uint8_t* const* w, const int8_t* x,
                                uint32_t pairs, __m256i* s) {
  const __m256i m = _mm256_set1_epi8(0x0F);
  __m256i s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
  __m256i s4 = s[4], s5 = s[5], s6 = s[6], s7 = s[7];
  const uint8_t *w0 = w[0], *w1 = w[1], *w2 = w[2], *w3 = w[3];
  const uint8_t *w4 = w[4], *w5 = w[5], *w6 = w[6], *w7 = w[7];
  for (uint32_t h = 0; h < pairs; ++h) {
    const __m256i xa = voxgate_fcp_bcast4(x + 8 * h),
                  xb = voxgate_fcp_bcast4(x + 8 * h + 4);
    const size_t o = 32 * (size_t)h;
    const __m256i v0 = LD(w0 + o), v1 = LD(w1 + o), v2 = LD(w2 + o),
                  v3 = LD(w3 + o);
    DPN(s0, v0, m, xa, xb);
    DPN(s1, v1, m, xa, xb);
    DPN(s2, v2, m, xa, xb);
    DPN(s3, v3, m, xa, xb);
    const __m256i v4 = LD(w4 + o), v5 = LD(w5 + o), v6 = LD(w6 + o),
                  v7 = LD(w7 + o);
    DPN(s4, v4, m, xa, xb);
    DPN(s5, v5, m, xa, xb);
    DPN(s6, v6, m, xa, xb);
    DPN(s7, v7, m, xa, xb);
  }
  s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3;
  s[4] = s4, s[5] = s5, s[6] = s6, s[7] = s7;
}

/* Sums of blocks [b, b + PASS) (fewer at the end: the missing ones repeat
 * block b and are not stored) into s, bias included. */
TARGET static inline int pass(const voxgate_fcp* p, const int8_t* x, uint32_t b,
                              __m256i corr, __m256i* s) {
  const size_t bb = voxgate_fcp_block_bytes(p);
  const int nb = p->blocks - b < PASS ? (int)(p->blocks - b) : PASS;
  const uint8_t* w[PASS];
  for (int k = 0; k < PASS; ++k) {
    const uint32_t blk = b + (k < nb ? (uint32_t)k : 0);
    s[k] = _mm256_loadu_si256((const __m256i*)(p->bias + 8 * blk));
    w[k] = p->w + blk * bb;
  }
  if (p->nibble)
    pass_nibbles(w, x, p->in_pad / 8, s);
  else
    pass_bytes(w, x, p->in_pad / 4, s);
  for (int k = 0; k < PASS; ++k) s[k] = _mm256_sub_epi32(s[k], corr);
  return nb;
}

/* The whole FC with the requantization done in registers; blocks with
 * fewer than 8 real rows (only the last) go through acc and the
 * reference. */
TARGET void voxgate_fcp_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                                const voxgate_quant_params* qp, int32_t* acc,
                                int8_t* y) {
  const __m256i corr = voxgate_fcp_correction(p, x);
  const __m256i zp = _mm256_set1_epi32(qp->output_zero_point);
  const __m256i lo = _mm256_set1_epi32(qp->act_min);
  const __m256i hi = _mm256_set1_epi32(qp->act_max);
  for (uint32_t b = 0; b < p->blocks; b += PASS) {
    __m256i s[PASS];
    const int nb = pass(p, x, b, corr, s);
    for (int k = 0; k < nb; ++k) {
      const uint32_t o = 8 * (b + k);
      if (o + 8 > p->out_dim) {
        _mm256_storeu_si256((__m256i*)(acc + o), s[k]);
        voxgate_requant_s8_ref(acc + o, p->out_dim - o, p->mult + o,
                               p->shift + o, qp->output_zero_point, qp->act_min,
                               qp->act_max, y + o);
        continue;
      }
      __m256i q =
          voxgate_requant_pre_avx2(s[k], p->rq + (b + k) * VOXGATE_RQ_PRE);
      q = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(q, zp), lo), hi);
      voxgate_store_s8x8_avx2(q, y + o);
    }
  }
}

TARGET void voxgate_fcp_acc_vnni(const voxgate_fcp* p, const int8_t* x,
                                 int32_t* acc) {
  if (!voxgate_kernels_have_vnni()) {
    voxgate_fcp_acc_ref(p, x, acc);
    return;
  }
  const __m256i corr = voxgate_fcp_correction(p, x);
  for (uint32_t b = 0; b < p->blocks; b += PASS) {
    __m256i s[PASS];
    const int nb = pass(p, x, b, corr, s);
    for (int k = 0; k < nb; ++k)
      _mm256_storeu_si256((__m256i*)(acc + 8 * (b + k)), s[k]);
  }
}

#else
int voxgate_kernels_have_vnni(void) { return 0; }
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
