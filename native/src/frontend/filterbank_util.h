/* Filterbank set-up: HTK-style triangular mel filters over FFT bins. */
#ifndef VOXGATE_FRONTEND_FILTERBANK_UTIL_H_
#define VOXGATE_FRONTEND_FILTERBANK_UTIL_H_

#include "frontend/arena.h"
#include "frontend/filterbank.h"

typedef struct {
  size_t num_channels;
  size_t fft_size;
  int32_t sample_rate_hz;
  int32_t lower_band_hz;
  int32_t upper_band_hz;
} voxgate_filterbank_config;

/* mel(f) = 1127 ln(1 + f / 700) */
double voxgate_hz_to_mel(double hz);
/* Returns 0, or -1 if some channel covers no FFT bin (too many channels for
 * the band and FFT size). */
int voxgate_filterbank_populate(const voxgate_filterbank_config* c,
                                voxgate_arena* arena,
                                voxgate_filterbank_state* s);

#endif
