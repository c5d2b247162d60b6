/* Requantizing a block of int32 accumulators to int8 at once (the output
 * stage of FC, CONV_TIME and DWCONV_TIME): y = clamp(requant(acc, mult,
 * shift) + zp). The AVX2 twin does 8 lanes per step and is bit-exact with
 * the reference (it uses srdhm(a, b) == (a * b + 2^30) >> 31, exact for
 * every multiplier the loader accepts). */
#ifndef VOXGATE_KERNELS_REQUANT_S8_H_
#define VOXGATE_KERNELS_REQUANT_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
/* mult/shift hold n entries (per channel). */
void voxgate_requant_s8_ref(const int32_t* acc, size_t n, const int32_t* mult,
                            const int32_t* shift, int32_t zero_point,
                            int32_t act_min, int32_t act_max, int8_t* y);
void voxgate_requant_s8_avx2(const int32_t* acc, size_t n, const int32_t* mult,
                             const int32_t* shift, int32_t zero_point,
                             int32_t act_min, int32_t act_max, int8_t* y);
void voxgate_requant_s8(const int32_t* acc, size_t n, const int32_t* mult,
                        const int32_t* shift, int32_t zero_point,
                        int32_t act_min, int32_t act_max, int8_t* y);
/* cdef-end */

#endif
