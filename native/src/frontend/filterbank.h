/* Mel filterbank stage: power spectrum -> per-channel mel power (uint64).
 * Output scale: 2^(2 * VOXGATE_WINDOW_EXTRA_BITS) times the true mel power,
 * weights applied in Q12. */
#ifndef VOXGATE_FRONTEND_FILTERBANK_H_
#define VOXGATE_FRONTEND_FILTERBANK_H_

#include <stddef.h>
#include <stdint.h>

#include "frontend/fft.h"

#define VOXGATE_FILTERBANK_WEIGHT_BITS 12

typedef struct {
  size_t num_channels;
  const int16_t* start_bin;     /* first FFT bin of each channel */
  const int16_t* num_bins;      /* bins in each channel */
  const int32_t* weight_offset; /* index of the channel's first weight */
  const uint16_t* weights; /* Q12 triangle weights, channel after channel */
  uint64_t* output;        /* num_channels mel powers */
} voxgate_filterbank_state;

void voxgate_filterbank_process(voxgate_filterbank_state* s,
                                const voxgate_complex32* bins);

#endif
