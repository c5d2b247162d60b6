#include "kernels/statpool_s8.h"

#include <string.h>

#include "kernels/requant.h"

size_t voxgate_statpool_s8_state_bytes(size_t channels) {
  return (2 * channels + 1) * sizeof(int64_t);
}

void voxgate_statpool_s8_reset(void* state, size_t channels) {
  memset(state, 0, voxgate_statpool_s8_state_bytes(channels));
}

static uint64_t isqrt64(uint64_t v) {
  uint64_t r = 0, bit = (uint64_t)1 << 62;
  while (bit > v) bit >>= 2;
  while (bit) {
    if (v >= r + bit) {
      v -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
    bit >>= 2;
  }
  return r;
}

static int64_t div_round(int64_t num, int64_t den) {
  return num >= 0 ? (num + den / 2) / den : (num - den / 2) / den;
}

void voxgate_statpool_s8(void* state, const int8_t* x, size_t channels,
                         const voxgate_statpool_s8_params* p, int8_t* y) {
  int64_t *sum = state, *sq = sum + channels, *n = sq + channels;
  if (*n < VOXGATE_STATPOOL_MAX_FRAMES) {
    ++*n;
    for (size_t c = 0; c < channels; ++c) {
      int64_t d = x[c] - p->in_zero_point;
      sum[c] += d;
      sq[c] += d * d;
    }
  }
  for (size_t c = 0; c < channels; ++c) {
    int64_t var_n2 = *n * sq[c] - sum[c] * sum[c]; /* >= 0 by Cauchy-Schwarz */
    int32_t mean = (int32_t)div_round(sum[c], *n);
    int32_t sd = (int32_t)div_round((int64_t)isqrt64((uint64_t)var_n2), *n);
    y[c] =
        voxgate_clamp_s8(voxgate_requantize(mean, p->mean_mult, p->mean_shift) +
                             p->mean_zero_point,
                         -128, 127);
    y[channels + c] = voxgate_clamp_s8(
        voxgate_requantize(sd, p->std_mult, p->std_shift) + p->std_zero_point,
        -128, 127);
  }
}
