/* Fixed-point real FFT on int32 samples, via an N/2-point complex radix-2
 * FFT and a split step. No scaling between stages: callers keep inputs small
 * enough (sum of |x| < 2^30) that every partial sum fits in int32. */
#ifndef VOXGATE_FRONTEND_FFT_H_
#define VOXGATE_FRONTEND_FFT_H_

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int32_t re;
  int32_t im;
} voxgate_complex32;

typedef struct {
  size_t size;               /* N, a power of two, 8..2048 */
  const int32_t* cos_q30;    /* cos(2 pi k / N), k < N/2 */
  const int32_t* sin_q30;    /* sin(2 pi k / N), k < N/2 */
  const uint16_t* bitrev;    /* bit reversal for the N/2-point FFT */
  int32_t* input;            /* N real samples, zero padded by the caller */
  voxgate_complex32* work;   /* N/2 points */
  voxgate_complex32* output; /* N/2 + 1 bins */
} voxgate_fft_state;

/* Transforms s->input into s->output (bins 0..N/2). */
void voxgate_fft_process(voxgate_fft_state* s);
void voxgate_fft_reset(voxgate_fft_state* s);

#endif
