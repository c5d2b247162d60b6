/* DWCONV_TIME over weights rearranged at load ("prepared"), its fast path.
 * The input zero point folds into the bias (bias - zp * sum_j W[j, c]), so
 * the kernel multiplies raw int8 taps. For SIMD, taps go in pairs: per 16
 * channels and tap pair, 32 int16 weights interleave (tap 2p, tap 2p+1)
 * per channel in the lane order of AVX2's unpacklo/unpackhi_epi16
 * (channels 0-3, 8-11, then 4-7, 12-15); bias and requantization constants
 * are stored in that order too. Channels past the last full 16 use the plain
 * copies. Variants are bit-exact. */
#ifndef VOXGATE_KERNELS_DWP_S8_H_
#define VOXGATE_KERNELS_DWP_S8_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/quant_params.h"

/* cdef-begin */
typedef struct {
  uint32_t kernel, channels, pairs, groups; /* groups of 16 channels */
  int8_t* w;                                /* plain: [kernel][channels] */
  int32_t* bias;                            /* plain, folded: [channels] */
  int16_t* w_pairs;                         /* [groups][pairs][32] */
  int32_t* perm;                            /* [groups][16]: bias, permuted */
  int32_t* rq; /* [groups][2][48]: requant_avx2.h constants, permuted */
  /* The same for AVX-512 over groups of 32 channels, in the lane order of
   * its unpacklo/unpackhi_epi16 (per 128-bit lane: channels 0-3 then 4-7
   * of that lane's 8): */
  uint32_t groups_z; /* channels / 32 */
  int16_t* w_z;      /* [groups_z][pairs][64] */
  int32_t* bias_z;   /* [groups_z][32] */
  int32_t* rqz;      /* [groups_z][2][112]: requant_avx2.h constants */
} voxgate_dwp;

/* From packed tap-major weights, an optional bias (NULL = 0), the input
 * zero point and the per-channel multipliers and shifts. NULL when out of
 * memory. */
voxgate_dwp* voxgate_dwp_create(const uint8_t* packed, int bits,
                                const int32_t* bias, int32_t in_zero_point,
                                const int32_t* mult, const int32_t* shift,
                                uint32_t kernel, uint32_t channels);
void voxgate_dwp_free(voxgate_dwp* p);
/* y[channels] from kernel taps (oldest first); qp's input zero point is
 * already folded in p. No scratch. */
void voxgate_dwp_s8_ref(const voxgate_dwp* p, const int8_t* const* taps,
                        const voxgate_quant_params* qp, int8_t* y);
void voxgate_dwp_s8_avx2(const voxgate_dwp* p, const int8_t* const* taps,
                         const voxgate_quant_params* qp, int8_t* y);
void voxgate_dwp_s8_avx512(const voxgate_dwp* p, const int8_t* const* taps,
                           const voxgate_quant_params* qp, int8_t* y);
void voxgate_dwp_s8(const voxgate_dwp* p, const int8_t* const* taps,
                    const voxgate_quant_params* qp, int8_t* y);
/* cdef-end */
/* Internal: AVX2 from 16-channel group g0 on (the reference for the rest,
 * and for all of them without AVX2). */
void voxgate_dwp_s8_avx2_from(const voxgate_dwp* p, const int8_t* const* taps,
                              const voxgate_quant_params* qp, uint32_t g0,
                              int8_t* y);
/* Internal: the reference for channels [c0, channels). */
void voxgate_dwp_s8_tail(const voxgate_dwp* p, const int8_t* const* taps,
                         const voxgate_quant_params* qp, uint32_t c0,
                         int8_t* y);

#endif
