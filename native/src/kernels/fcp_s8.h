/* FC over weights rearranged at load ("prepared"), the fast path of FC and
 * CONV_TIME. Weights are stored unsigned, wu = w + 2^(bits-1), in blocks of
 * 8 output rows: for each group of 4 inputs, 32 bytes hold the 8 rows' 4
 * weights (row-major inside the group). That is the operand order of x86
 * maddubs / VNNI dpbusd and gives 8 int32 sums per vector with no
 * horizontal reduction. Blocks come in pairs (16 rows; the block count is
 * even, the padding rows zero): the two blocks' chunks of the same group
 * sit side by side, so a chunk of one block is VOXGATE_FCP_STRIDE (64)
 * bytes after the previous one and one 64-byte load feeds AVX-512 with 16
 * rows. Weights of 4 bits or fewer stay as nibbles: byte j of a chunk holds
 * group 2h in its low nibble and group 2h+1 in its high nibble (so 2- and
 * 3-bit weights take 4 bits of RAM each).
 *
 * The int8 inputs x are used raw; the zero points are folded in:
 *   sum (wu - o)(x - zp) = sum wu*x + [bias - zp*sum wu + o*zp*n] - o*sum x
 * the bracket is per row and precomputed, sum x is per call. All sums wrap
 * in 32 bits; the true result fits in int32 (loader bounds), so the wrapped
 * sum is exact. Variants (ref, AVX2, AVX-512 VNNI, NEON) are bit-exact. */
#ifndef VOXGATE_KERNELS_FCP_S8_H_
#define VOXGATE_KERNELS_FCP_S8_H_

#include <stddef.h>
#include <stdint.h>

#include "kernels/add_s8.h"
#include "kernels/quant_params.h"

/* cdef-begin */
typedef struct {
  uint32_t out_dim, in_dim;
  uint32_t in_pad; /* in_dim rounded up to 8 */
  uint32_t blocks; /* 8-row blocks: ceil(out_dim / 16) * 2 */
  int32_t bits;
  int32_t nibble;      /* 1: bits <= 4, nibble chunks; 0: byte chunks */
  int32_t offset;      /* 2^(bits-1) */
  int32_t* bias;       /* blocks * 8 folded biases */
  uint8_t* w;          /* blocks * voxgate_fcp_block_bytes, paired */
  const int32_t* mult; /* the model's per-channel requantization */
  const int32_t* shift;
  int32_t* rq;  /* blocks * 48: the same, as AVX2 constants */
  int32_t* rqz; /* blocks / 2 * 112 (requant_avx2.h): for AVX-512 */
  void* mem;    /* the allocation holding w, bias and rqz */
} voxgate_fcp;

#define VOXGATE_FCP_STRIDE 64

/* From packed weights (format.h rows of in_dim `bits`-bit values), an
 * optional bias (NULL = 0), the input zero point and the per-channel
 * multipliers and shifts (kept by pointer: they must outlive p). NULL when
 * out of memory. */
voxgate_fcp* voxgate_fcp_create(const uint8_t* packed, int bits,
                                const int32_t* bias, int32_t in_zero_point,
                                const int32_t* mult, const int32_t* shift,
                                uint32_t out_dim, uint32_t in_dim);
void voxgate_fcp_free(voxgate_fcp* p);
size_t voxgate_fcp_block_bytes(const voxgate_fcp* p);
/* Block b's first chunk; its next chunks follow VOXGATE_FCP_STRIDE apart. */
const uint8_t* voxgate_fcp_block(const voxgate_fcp* p, uint32_t b);
/* Scratch for voxgate_fcp_s8: padded input and the accumulators. */
size_t voxgate_fcp_scratch_bytes(const voxgate_fcp* p);

/* acc[blocks * 8] = bias + sum (w - o)(x - zp) per row, from x holding
 * in_pad int8 (zero tail). Each variant exists in every build (without its
 * ISA it runs the reference). */
void voxgate_fcp_acc_ref(const voxgate_fcp* p, const int8_t* x, int32_t* acc);
void voxgate_fcp_acc_avx2(const voxgate_fcp* p, const int8_t* x, int32_t* acc);
void voxgate_fcp_acc_vnni(const voxgate_fcp* p, const int8_t* x, int32_t* acc);
void voxgate_fcp_acc_neon(const voxgate_fcp* p, const int8_t* x, int32_t* acc);
void voxgate_fcp_acc(const voxgate_fcp* p, const int8_t* x, int32_t* acc);
/* 1 when AVX-512 VNNI (on 256-bit vectors) runs on this machine. */
int voxgate_kernels_have_vnni(void);

/* The whole FC: y[out_dim] from x[in_dim], requantized with p's
 * multipliers and qp's output zero point and clamp (qp's input zero point
 * is already folded in p). */
void voxgate_fcp_s8(const voxgate_fcp* p, const int8_t* x,
                    const voxgate_quant_params* qp, void* scratch, int8_t* y);
/* FC, then TFLite's int8 ADD of its output (the ADD's first input) and
 * `residual` (the second): y = add(fc(x), residual), as one op. Bit-exact
 * with voxgate_fcp_s8 into a temporary followed by voxgate_add_s8, which is
 * what the portable path does; AVX-512 adds while the FC's outputs are in
 * registers. y must not overlap x. */
size_t voxgate_fcp_add_scratch_bytes(const voxgate_fcp* p);
void voxgate_fcp_add_s8(const voxgate_fcp* p, const int8_t* x,
                        const voxgate_quant_params* qp, const int8_t* residual,
                        const voxgate_add_s8_params* add, void* scratch,
                        int8_t* y);
/* cdef-end */
/* Internal: the fused FC + ADD on VNNI (x holds in_pad inputs). Only call
 * when have_vnni. */
void voxgate_fcp_add_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                             const voxgate_quant_params* qp,
                             const int8_t* residual,
                             const voxgate_add_s8_params* add, int8_t* y);
/* Internal: the whole FC on VNNI, requantizing in registers (acc: unused
 * scratch). Only call when have_vnni. */
void voxgate_fcp_s8_vnni(const voxgate_fcp* p, const int8_t* x,
                         const voxgate_quant_params* qp, int32_t* acc,
                         int8_t* y);

#endif
