/* PCAN stage (per-channel amplitude normalization), the gain-control part
 * of PCEN: divides the power by its smoothed value raised to `strength`.
 * Worked in the log domain, where that division is a subtraction, so it
 * needs no fixed-point pow. */
#ifndef VOXGATE_FRONTEND_PCAN_H_
#define VOXGATE_FRONTEND_PCAN_H_

#include <stddef.h>
#include <stdint.h>

typedef struct {
  size_t num_channels;
  int smoothing_bits;
  int32_t strength_q15;
  uint64_t eps;            /* added to the smoothed power, internal scale */
  int32_t log2_offset_q16; /* log2 of the internal scale, in Q16 */
  uint64_t* smoothed;
  int started; /* the first frame seeds `smoothed` */
} voxgate_pcan_state;

/* power: this frame's mel power (internal scale); log2_q16: log2 of it in
 * Q16, normalized in place. */
void voxgate_pcan_process(voxgate_pcan_state* s, const uint64_t* power,
                          int32_t* log2_q16);
void voxgate_pcan_reset(voxgate_pcan_state* s);

#endif
