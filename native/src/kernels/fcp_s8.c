#include "kernels/fcp_s8.h"

#include <stdlib.h>
#include <string.h>

#include "kernels/add_s8.h"
#include "kernels/dot_s8.h"
#include "kernels/pack.h"
#include "kernels/requant_avx2.h"
#include "kernels/requant_s8.h"

size_t voxgate_fcp_block_bytes(const voxgate_fcp* p) {
  /* 8 rows x in_pad weights, at 4 or 8 bits each. */
  return (size_t)p->in_pad * (p->nibble ? 4 : 8);
}

size_t voxgate_fcp_scratch_bytes(const voxgate_fcp* p) {
  return (size_t)p->in_pad + 32 + (size_t)p->blocks * 8 * sizeof(int32_t);
}

const uint8_t* voxgate_fcp_block(const voxgate_fcp* p, uint32_t b) {
  return p->w + (size_t)(b / 2) * 2 * voxgate_fcp_block_bytes(p) + b % 2 * 32;
}

/* Byte offset and nibble shift of weight (row r, input i) from its block's
 * first chunk. */
static size_t chunk_pos(const voxgate_fcp* p, uint32_t r, uint32_t i,
                        int* shift) {
  if (!p->nibble) {
    *shift = 0;
    return (size_t)(i / 4) * VOXGATE_FCP_STRIDE + r * 4 + i % 4;
  }
  *shift = (i / 4) % 2 ? 4 : 0;
  return (size_t)(i / 8) * VOXGATE_FCP_STRIDE + r * 4 + i % 4;
}

voxgate_fcp* voxgate_fcp_create(const uint8_t* packed, int bits,
                                const int32_t* bias, int32_t in_zero_point,
                                const int32_t* mult, const int32_t* shift,
                                uint32_t out_dim, uint32_t in_dim) {
  voxgate_fcp* p = calloc(1, sizeof *p);
  int8_t* row = malloc(in_dim ? in_dim : 1);
  if (p == NULL || row == NULL) goto fail;
  p->out_dim = out_dim;
  p->in_dim = in_dim;
  p->in_pad = (in_dim + 7) / 8 * 8;
  p->blocks = (out_dim + 15) / 16 * 2;
  p->bits = bits;
  p->nibble = bits <= 4;
  p->offset = 1 << (bits - 1);
  /* Weights, bias and AVX-512 constants in one block, each part 64-byte
   * aligned (every size below is a multiple of 64): split loads of a
   * 64-byte vector cost as much as the multiply. */
  const size_t w_bytes = (size_t)p->blocks * voxgate_fcp_block_bytes(p);
  const size_t bias_bytes = (size_t)p->blocks * 8 * sizeof(int32_t);
  p->mem = calloc(
      1, 64 + w_bytes + bias_bytes + (size_t)p->blocks / 2 * VOXGATE_RQZ * 4);
  p->rq = malloc((size_t)p->blocks * VOXGATE_RQ_PRE * sizeof(int32_t));
  if (p->mem == NULL || p->rq == NULL) goto fail;
  p->w = (uint8_t*)p->mem + (64 - (uintptr_t)p->mem % 64);
  p->bias = (int32_t*)(void*)(p->w + w_bytes);
  p->rqz = (int32_t*)(void*)(p->w + w_bytes + bias_bytes);
  p->mult = mult;
  p->shift = shift;
  for (uint32_t b = 0; b < p->blocks; ++b) {
    const uint32_t left = out_dim > 8 * b ? out_dim - 8 * b : 0;
    voxgate_requant_pre_fill(mult + 8 * b, shift + 8 * b,
                             (int)(left < 8 ? left : 8),
                             p->rq + b * VOXGATE_RQ_PRE);
    if (b % 2 == 0)
      voxgate_requant_z_fill(mult + 8 * b, shift + 8 * b,
                             (int)(left < 16 ? left : 16),
                             p->rqz + b / 2 * VOXGATE_RQZ);
  }
  const size_t row_bytes = voxgate_packed_row_bytes(in_dim, bits);
  for (uint32_t o = 0; o < out_dim; ++o) {
    voxgate_unpack_row_s8(packed + o * row_bytes, in_dim, bits, row);
    uint8_t* block = (uint8_t*)voxgate_fcp_block(p, o / 8);
    int64_t sum_wu = 0;
    for (uint32_t i = 0; i < in_dim; ++i) {
      const int wu = row[i] + p->offset;
      int nib;
      const size_t at = chunk_pos(p, o % 8, i, &nib);
      block[at] |= (uint8_t)(wu << nib);
      sum_wu += wu;
    }
    const int64_t folded = (bias ? bias[o] : 0) - in_zero_point * sum_wu +
                           (int64_t)p->offset * in_zero_point * in_dim;
    p->bias[o] = (int32_t)(uint32_t)(uint64_t)folded; /* wraps; see header */
  }
  free(row);
  return p;
fail:
  free(row);
  voxgate_fcp_free(p);
  return NULL;
}

void voxgate_fcp_free(voxgate_fcp* p) {
  if (p == NULL) return;
  free(p->mem);
  free(p->rq);
  free(p);
}

void voxgate_fcp_acc_ref(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
  int32_t sum_x = 0;
  for (uint32_t i = 0; i < p->in_pad; ++i) sum_x += x[i];
  const uint32_t corr = (uint32_t)p->offset * (uint32_t)sum_x;
  for (uint32_t o = 0; o < p->blocks * 8; ++o) {
    const uint8_t* block = voxgate_fcp_block(p, o / 8);
    uint32_t s = (uint32_t)p->bias[o] - corr;
    for (uint32_t i = 0; i < p->in_pad; ++i) {
      int nib;
      const size_t at = chunk_pos(p, o % 8, i, &nib);
      const int wu = (block[at] >> nib) & (p->nibble ? 0xF : 0xFF);
      s += (uint32_t)(wu * x[i]);
    }
    acc[o] = (int32_t)s;
  }
}

void voxgate_fcp_acc(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
#if defined(__aarch64__)
  voxgate_fcp_acc_neon(p, x, acc);
#elif defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (voxgate_kernels_have_vnni())
    voxgate_fcp_acc_vnni(p, x, acc);
  else
    voxgate_fcp_acc_avx2(p, x, acc);
#else
  voxgate_fcp_acc_ref(p, x, acc);
#endif
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx2"))) static void voxgate_fcp_requant_avx2(
    const voxgate_fcp* p, const int32_t* acc, const voxgate_quant_params* qp,
    int8_t* y) {
  const __m256i zp = _mm256_set1_epi32(qp->output_zero_point);
  const __m256i lo = _mm256_set1_epi32(qp->act_min);
  const __m256i hi = _mm256_set1_epi32(qp->act_max);
  const uint32_t full = p->out_dim / 8;
  for (uint32_t b = 0; b < full; ++b) {
    __m256i q = voxgate_requant_pre_avx2(
        _mm256_loadu_si256((const __m256i*)(acc + 8 * b)),
        p->rq + b * VOXGATE_RQ_PRE);
    q = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(q, zp), lo), hi);
    voxgate_store_s8x8_avx2(q, y + 8 * b);
  }
  voxgate_requant_s8_ref(acc + 8 * full, p->out_dim - 8 * full,
                         p->mult + 8 * full, p->shift + 8 * full,
                         qp->output_zero_point, qp->act_min, qp->act_max,
                         y + 8 * full);
}
#endif

/* The input as in_pad bytes: x itself when in_dim is a multiple of 8,
 * else a zero-padded copy at the start of scratch. */
static const int8_t* padded_input(const voxgate_fcp* p, const int8_t* x,
                                  int8_t* scratch) {
  if (p->in_dim == p->in_pad) return x;
  memcpy(scratch, x, p->in_dim);
  memset(scratch + p->in_dim, 0, p->in_pad - p->in_dim);
  return scratch;
}

/* The accumulators' place in scratch, after the padded input. */
static int32_t* acc_of(const voxgate_fcp* p, void* scratch) {
  int8_t* end = (int8_t*)scratch + p->in_pad;
  return (int32_t*)(void*)(end + 32 - ((uintptr_t)end & 31));
}

void voxgate_fcp_s8(const voxgate_fcp* p, const int8_t* x,
                    const voxgate_quant_params* qp, void* scratch, int8_t* y) {
  int32_t* acc = acc_of(p, scratch);
  const int8_t* xp = padded_input(p, x, scratch);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (voxgate_kernels_have_vnni()) {
    voxgate_fcp_s8_vnni(p, xp, qp, acc, y);
    return;
  }
#endif
  voxgate_fcp_acc(p, xp, acc);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (voxgate_kernels_have_avx2()) {
    voxgate_fcp_requant_avx2(p, acc, qp, y);
    return;
  }
#endif
  voxgate_requant_s8_ref(acc, p->out_dim, p->mult, p->shift,
                         qp->output_zero_point, qp->act_min, qp->act_max, y);
}

size_t voxgate_fcp_add_scratch_bytes(const voxgate_fcp* p) {
  return voxgate_fcp_scratch_bytes(p) + p->out_dim;
}

void voxgate_fcp_add_s8(const voxgate_fcp* p, const int8_t* x,
                        const voxgate_quant_params* qp, const int8_t* residual,
                        const voxgate_add_s8_params* add, void* scratch,
                        int8_t* y) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (voxgate_kernels_have_vnni()) {
    voxgate_fcp_add_s8_vnni(p, padded_input(p, x, scratch), qp, residual, add,
                            y);
    return;
  }
#endif
  /* The two ops one after the other: the same kernels as unfused. */
  int8_t* fc_out = (int8_t*)scratch + voxgate_fcp_scratch_bytes(p);
  voxgate_fcp_s8(p, x, qp, scratch, fc_out);
  voxgate_add_s8(fc_out, residual, y, p->out_dim, add);
}
