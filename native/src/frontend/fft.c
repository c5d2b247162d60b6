#include "frontend/fft.h"

#include <string.h>

#define Q30_ROUND ((int64_t)1 << 29)

/* (a + ib) * (c - i s), twiddle in Q30, rounded back to the data scale. */
static inline voxgate_complex32 rotate(voxgate_complex32 v, int32_t c,
                                       int32_t s) {
  voxgate_complex32 r;
  r.re = (int32_t)(((int64_t)v.re * c + (int64_t)v.im * s + Q30_ROUND) >> 30);
  r.im = (int32_t)(((int64_t)v.im * c - (int64_t)v.re * s + Q30_ROUND) >> 30);
  return r;
}

static void complex_fft(voxgate_fft_state* s) {
  const size_t m = s->size / 2;
  voxgate_complex32* w = s->work;
  for (size_t i = 0; i < m; ++i) {
    size_t j = s->bitrev[i];
    w[j].re = s->input[2 * i];
    w[j].im = s->input[2 * i + 1];
  }
  /* The first two stages only rotate by 1 and -i: exact, so done without
   * multiplies (bit-identical to the general loop, 2x fewer operations). */
  for (size_t base = 0; base + 4 <= m; base += 4) {
    voxgate_complex32 a = w[base], b = w[base + 1], c = w[base + 2],
                      d = w[base + 3];
    voxgate_complex32 s0 = {a.re + b.re, a.im + b.im};
    voxgate_complex32 s1 = {a.re - b.re, a.im - b.im};
    voxgate_complex32 s2 = {c.re + d.re, c.im + d.im};
    /* (c - d) * (-i) */
    voxgate_complex32 s3 = {c.im - d.im, d.re - c.re};
    w[base] = (voxgate_complex32){s0.re + s2.re, s0.im + s2.im};
    w[base + 2] = (voxgate_complex32){s0.re - s2.re, s0.im - s2.im};
    w[base + 1] = (voxgate_complex32){s1.re + s3.re, s1.im + s3.im};
    w[base + 3] = (voxgate_complex32){s1.re - s3.re, s1.im - s3.im};
  }
  /* Twiddles of the M-point FFT are every other one of the N-point table. */
  for (size_t len = 8; len <= m; len <<= 1) {
    const size_t half = len / 2;
    const size_t stride = s->size / len;
    for (size_t base = 0; base < m; base += len) {
      {
        /* k = 0 rotates by 1: no multiply. */
        voxgate_complex32 a = w[base], b = w[base + half];
        w[base].re = a.re + b.re;
        w[base].im = a.im + b.im;
        w[base + half].re = a.re - b.re;
        w[base + half].im = a.im - b.im;
      }
      for (size_t k = 1; k < half; ++k) {
        voxgate_complex32 a = w[base + k];
        voxgate_complex32 b = rotate(w[base + k + half], s->cos_q30[k * stride],
                                     s->sin_q30[k * stride]);
        w[base + k].re = a.re + b.re;
        w[base + k].im = a.im + b.im;
        w[base + k + half].re = a.re - b.re;
        w[base + k + half].im = a.im - b.im;
      }
    }
  }
}

void voxgate_fft_process(voxgate_fft_state* s) {
  complex_fft(s);
  const size_t m = s->size / 2;
  const voxgate_complex32* z = s->work;
  /* Split: X[k] = (E + W^k * (-i) * O) / 2 with E = Z[k] + conj(Z[m-k]),
   * O = Z[k] - conj(Z[m-k]); done in int64 and rounded once. */
  for (size_t k = 0; k <= m; ++k) {
    voxgate_complex32 zk = z[k == m ? 0 : k];
    voxgate_complex32 zc = z[k == 0 ? 0 : m - k];
    int64_t er = (int64_t)zk.re + zc.re, ei = (int64_t)zk.im - zc.im;
    int64_t orr = (int64_t)zk.re - zc.re, oi = (int64_t)zk.im + zc.im;
    /* t = -i * O = (oi, -orr); W = c - i s. */
    int64_t c = k < m ? s->cos_q30[k] : -((int64_t)1 << 30);
    int64_t sn = k < m ? s->sin_q30[k] : 0;
    int64_t tr = c * oi - sn * orr;
    int64_t ti = -c * orr - sn * oi;
    const int64_t round = (int64_t)1 << 30;
    s->output[k].re = (int32_t)((er * ((int64_t)1 << 30) + tr + round) >> 31);
    s->output[k].im = (int32_t)((ei * ((int64_t)1 << 30) + ti + round) >> 31);
  }
}

void voxgate_fft_reset(voxgate_fft_state* s) {
  memset(s->input, 0, s->size * sizeof(int32_t));
}
