/* Noise reduction stage: subtracts a slowly tracking per-channel noise
 * estimate from the mel power, keeping at least a fraction of the input (as
 * the TFLite Micro frontend does, but on power instead of amplitude). */
#ifndef VOXGATE_FRONTEND_NOISE_REDUCTION_H_
#define VOXGATE_FRONTEND_NOISE_REDUCTION_H_

#include <stddef.h>
#include <stdint.h>

typedef struct {
  size_t num_channels;
  int smoothing_bits;     /* estimate += (x - estimate) / 2^bits */
  int32_t min_signal_q14; /* output >= input * min_signal */
  uint64_t* estimate;
} voxgate_noise_reduction_state;

/* In place on `power`, num_channels values. */
void voxgate_noise_reduction_process(voxgate_noise_reduction_state* s,
                                     uint64_t* power);
void voxgate_noise_reduction_reset(voxgate_noise_reduction_state* s);

#endif
