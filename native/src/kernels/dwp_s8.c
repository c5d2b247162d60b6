#include "kernels/dwp_s8.h"

#include <stdlib.h>

#include "kernels/dot_s8.h"
#include "kernels/fcp_s8.h"
#include "kernels/pack.h"
#include "kernels/requant.h"
#include "kernels/requant_avx2.h"

/* Channel held by lane i of a 16-channel group: unpacklo gives 0-3, 8-11,
 * unpackhi 4-7, 12-15. */
static uint32_t lane_channel(uint32_t i) {
  return i % 4 + (i / 4) % 2 * 8 + i / 8 * 4;
}

/* Channel held by int32 lane i of a 32-channel group (lanes 0-15 from
 * unpacklo, 16-31 from unpackhi): per 128-bit lane l, channels 8l..8l+3,
 * then 8l+4..8l+7. */
static uint32_t lane_channel_z(uint32_t i) {
  return i % 16 / 4 * 8 + i / 16 * 4 + i % 4;
}

/* Channel c's taps in pairs (tap 2q, tap 2q + 1; zero past the kernel), one
 * pair per `stride` int16 values: the operand order of pmaddwd / vpdpwssd. */
static void put_tap_pairs(const voxgate_dwp* p, uint32_t c, uint32_t kernel,
                          uint32_t channels, int16_t* dst, size_t stride) {
  for (uint32_t q = 0; q < p->pairs; ++q)
    for (uint32_t t = 0; t < 2; ++t) {
      const uint32_t j = 2 * q + t;
      dst[q * stride + t] = j < kernel ? p->w[j * channels + c] : 0;
    }
}

voxgate_dwp* voxgate_dwp_create(const uint8_t* packed, int bits,
                                const int32_t* bias, int32_t in_zero_point,
                                const int32_t* mult, const int32_t* shift,
                                uint32_t kernel, uint32_t channels) {
  voxgate_dwp* p = calloc(1, sizeof *p);
  if (p == NULL) return NULL;
  p->kernel = kernel;
  p->channels = channels;
  p->pairs = (kernel + 1) / 2;
  p->groups = channels / 16;
  p->w = malloc((size_t)kernel * channels + 1);
  p->bias = malloc(((size_t)channels + 1) * sizeof(int32_t));
  p->w_pairs = calloc((size_t)p->groups * p->pairs * 32 + 1, sizeof(int16_t));
  p->perm = malloc(((size_t)p->groups * 16 + 1) * sizeof(int32_t));
  p->rq =
      malloc(((size_t)p->groups * 2 * VOXGATE_RQ_PRE + 1) * sizeof(int32_t));
  p->groups_z = channels / 32;
  p->w_z = malloc(((size_t)p->groups_z * p->pairs * 64 + 1) * sizeof(int16_t));
  p->bias_z = malloc(((size_t)p->groups_z * 32 + 1) * sizeof(int32_t));
  p->rqz =
      malloc(((size_t)p->groups_z * 2 * VOXGATE_RQZ + 1) * sizeof(int32_t));
  if (!p->w || !p->bias || !p->w_pairs || !p->perm || !p->rq || !p->w_z ||
      !p->bias_z || !p->rqz) {
    voxgate_dwp_free(p);
    return NULL;
  }
  const size_t row_bytes = voxgate_packed_row_bytes(channels, bits);
  for (uint32_t j = 0; j < kernel; ++j)
    voxgate_unpack_row_s8(packed + j * row_bytes, channels, bits,
                          p->w + (size_t)j * channels);
  for (uint32_t c = 0; c < channels; ++c) {
    int32_t sum_w = 0;
    for (uint32_t j = 0; j < kernel; ++j) sum_w += p->w[j * channels + c];
    /* |zp * sum_w| <= 128 * 64 * 128: no overflow with a 2^30 bias. */
    p->bias[c] = (bias ? bias[c] : 0) - in_zero_point * sum_w;
  }
  for (uint32_t g = 0; g < p->groups; ++g) {
    int32_t m[16], s[16];
    for (uint32_t i = 0; i < 16; ++i) {
      m[i] = mult[16 * g + lane_channel(i)];
      s[i] = shift[16 * g + lane_channel(i)];
    }
    voxgate_requant_pre_fill(m, s, 8, p->rq + g * 2 * VOXGATE_RQ_PRE);
    voxgate_requant_pre_fill(m + 8, s + 8, 8,
                             p->rq + (g * 2 + 1) * VOXGATE_RQ_PRE);
    for (uint32_t i = 0; i < 16; ++i) {
      const uint32_t c = 16 * g + lane_channel(i);
      p->perm[g * 16 + i] = p->bias[c];
      put_tap_pairs(p, c, kernel, channels,
                    p->w_pairs + (size_t)g * p->pairs * 32 + 2 * i, 32);
    }
  }
  for (uint32_t g = 0; g < p->groups_z; ++g) {
    int32_t m[32], s[32];
    for (uint32_t i = 0; i < 32; ++i) {
      const uint32_t c = 32 * g + lane_channel_z(i);
      m[i] = mult[c];
      s[i] = shift[c];
      p->bias_z[g * 32 + i] = p->bias[c];
      put_tap_pairs(p, c, kernel, channels,
                    p->w_z + (size_t)g * p->pairs * 64 + 2 * i, 64);
    }
    voxgate_requant_z_fill(m, s, 16, p->rqz + g * 2 * VOXGATE_RQZ);
    voxgate_requant_z_fill(m + 16, s + 16, 16,
                           p->rqz + (g * 2 + 1) * VOXGATE_RQZ);
  }
  return p;
}

void voxgate_dwp_free(voxgate_dwp* p) {
  if (p == NULL) return;
  free(p->w);
  free(p->bias);
  free(p->w_pairs);
  free(p->perm);
  free(p->rq);
  free(p->w_z);
  free(p->bias_z);
  free(p->rqz);
  free(p);
}

/* Channels [c0, channels) from the plain copies. */
void voxgate_dwp_s8_tail(const voxgate_dwp* p, const int8_t* const* taps,
                         const voxgate_quant_params* qp, uint32_t c0,
                         int8_t* y) {
  for (uint32_t c = c0; c < p->channels; ++c) {
    int32_t acc = p->bias[c];
    for (uint32_t j = 0; j < p->kernel; ++j)
      acc += (int32_t)taps[j][c] * p->w[j * p->channels + c];
    y[c] =
        voxgate_requantize_s8(acc, qp->mult[c], qp->shift[c],
                              qp->output_zero_point, qp->act_min, qp->act_max);
  }
}

void voxgate_dwp_s8_ref(const voxgate_dwp* p, const int8_t* const* taps,
                        const voxgate_quant_params* qp, int8_t* y) {
  voxgate_dwp_s8_tail(p, taps, qp, 0, y);
}

void voxgate_dwp_s8(const voxgate_dwp* p, const int8_t* const* taps,
                    const voxgate_quant_params* qp, int8_t* y) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  if (voxgate_kernels_have_vnni()) { /* implies AVX-512 F, BW and VL */
    voxgate_dwp_s8_avx512(p, taps, qp, y);
    return;
  }
  if (voxgate_kernels_have_avx2()) {
    voxgate_dwp_s8_avx2(p, taps, qp, y);
    return;
  }
#endif
  voxgate_dwp_s8_ref(p, taps, qp, y);
}
