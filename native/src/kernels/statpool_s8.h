/* STATPOOL: running statistics pooling over a whole stream (speaker
 * embeddings): per channel the mean and standard deviation of every frame
 * seen since reset, in integers:
 *
 *   d = x - in_zp;  S = sum d;  Q = sum d^2;  n = frames
 *   mean = round_half_away(S / n)
 *   std  = round_half_away(isqrt(n * Q - S^2) / n)     (floor isqrt)
 *   y[c]     = clamp(requant(mean, mult[0], shift[0]) + mean_zp)
 *   y[C + c] = clamp(requant(std,  mult[1], shift[1]) + std_zp)
 *
 * n saturates at 2^24 frames (46 hours at 10 ms) so n * Q fits int64. */
#ifndef VOXGATE_KERNELS_STATPOOL_S8_H_
#define VOXGATE_KERNELS_STATPOOL_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
#define VOXGATE_STATPOOL_MAX_FRAMES 16777216

typedef struct {
  int32_t in_zero_point;
  int32_t mean_zero_point;
  int32_t std_zero_point;
  int32_t mean_mult;
  int32_t mean_shift;
  int32_t std_mult;
  int32_t std_shift;
} voxgate_statpool_s8_params;

/* State: int64 sums for `channels` values, then the frame count. */
size_t voxgate_statpool_s8_state_bytes(size_t channels);
void voxgate_statpool_s8_reset(void* state, size_t channels);
/* Adds frame x, writes the 2 * channels statistics so far to y. */
void voxgate_statpool_s8(void* state, const int8_t* x, size_t channels,
                         const voxgate_statpool_s8_params* p, int8_t* y);
/* cdef-end */

#endif
