/* FFT stage set-up: twiddle and bit-reversal tables in caller memory. */
#ifndef VOXGATE_FRONTEND_FFT_UTIL_H_
#define VOXGATE_FRONTEND_FFT_UTIL_H_

#include "frontend/arena.h"
#include "frontend/fft.h"

/* Smallest power of two >= n (n >= 1). */
size_t voxgate_fft_size_for(size_t n);
int voxgate_fft_populate(size_t fft_size, voxgate_arena* arena,
                         voxgate_fft_state* s);

#endif
