/* The inner product behind FC and CONV_TIME: int16 activations (already
 * minus their zero point) times int8 weights, summed exactly in int32.
 * Reference, AVX2 and NEON variants are bit-exact (integer sums do not
 * depend on order); voxgate_dot_s16s8 picks the best the CPU has. */
#ifndef VOXGATE_KERNELS_DOT_S8_H_
#define VOXGATE_KERNELS_DOT_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
int32_t voxgate_dot_s16s8_ref(const int16_t* x, const int8_t* w, size_t n);
/* These exist in every build; without the ISA they call the reference. */
int32_t voxgate_dot_s16s8_avx2(const int16_t* x, const int8_t* w, size_t n);
int32_t voxgate_dot_s16s8_neon(const int16_t* x, const int8_t* w, size_t n);
int32_t voxgate_dot_s16s8(const int16_t* x, const int8_t* w, size_t n);
/* Four consecutive int8 rows (row_stride bytes apart) against one input:
 * out[r] = dot(x, w + r * row_stride). */
void voxgate_dot4_s16s8_ref(const int16_t* x, const int8_t* w,
                            size_t row_stride, size_t n, int32_t* out);
void voxgate_dot4_s16s8_avx2(const int16_t* x, const int8_t* w,
                             size_t row_stride, size_t n, int32_t* out);
void voxgate_dot4_s16s8(const int16_t* x, const int8_t* w, size_t row_stride,
                        size_t n, int32_t* out);
/* The same for packed 4-bit weights, without unpacking: byte i of w holds
 * weight 2i (low nibble) and 2i+1 (high nibble), signed; xe and xo hold the
 * even- and odd-indexed inputs (nbytes each, zero-padded). */
int32_t voxgate_dot_s16s4_ref(const int16_t* xe, const int16_t* xo,
                              const uint8_t* w, size_t nbytes);
int32_t voxgate_dot_s16s4_avx2(const int16_t* xe, const int16_t* xo,
                               const uint8_t* w, size_t nbytes);
int32_t voxgate_dot_s16s4(const int16_t* xe, const int16_t* xo,
                          const uint8_t* w, size_t nbytes);
/* acc[i] += (x[i] - zero_point) * w[i]: the depthwise conv's per-tap step
 * over contiguous channels. */
void voxgate_mac_s8_ref(int32_t* acc, const int8_t* x, const int8_t* w,
                        int32_t zero_point, size_t n);
void voxgate_mac_s8_avx2(int32_t* acc, const int8_t* x, const int8_t* w,
                         int32_t zero_point, size_t n);
void voxgate_mac_s8(int32_t* acc, const int8_t* x, const int8_t* w,
                    int32_t zero_point, size_t n);
/* 1 when the variant really runs its SIMD code on this machine. */
int voxgate_kernels_have_avx2(void);
int voxgate_kernels_have_neon(void);
/* cdef-end */

#endif
