#include "kernels/fc_s8.h"

#include "kernels/dot_s8.h"
#include "kernels/pack.h"
#include "kernels/requant_s8.h"

size_t voxgate_fc_s8_scratch_bytes(size_t in_dim) {
  /* centred input, then one unpacked row or (4-bit) the input split by
   * parity, 2 * ceil(in_dim / 2) int16. */
  return in_dim * sizeof(int16_t) + (in_dim + 2) * sizeof(int16_t) + 32;
}

/* Outputs go in blocks of 8 so their requantization runs as one vector. */
#define BLOCK 8

void voxgate_fc_s8_centred(const int16_t* xc, size_t in_dim,
                           const uint8_t* weights, int bits,
                           const int32_t* bias, size_t out_dim,
                           const voxgate_quant_params* qp, int8_t* row,
                           int8_t* y) {
  const size_t row_bytes = voxgate_packed_row_bytes(in_dim, bits);
  int16_t *xe = (int16_t*)(void*)row, *xo = xe + row_bytes;
  if (bits == 4) {
    /* Split the inputs by parity once; then every row is one nibble dot
     * product with no unpacking. */
    for (size_t i = 0; i < row_bytes; ++i) {
      xe[i] = xc[2 * i];
      xo[i] = 2 * i + 1 < in_dim ? xc[2 * i + 1] : 0;
    }
  }
  int32_t acc[BLOCK];
  for (size_t o0 = 0; o0 < out_dim; o0 += BLOCK) {
    const size_t m = out_dim - o0 < BLOCK ? out_dim - o0 : BLOCK;
    size_t k = 0;
    if (bits == 8)
      for (; k + 4 <= m; k += 4)
        voxgate_dot4_s16s8(xc, (const int8_t*)weights + (o0 + k) * row_bytes,
                           row_bytes, in_dim, acc + k);
    for (; k < m; ++k) {
      const uint8_t* packed = weights + (o0 + k) * row_bytes;
      int32_t a;
      if (bits == 4) {
        a = voxgate_dot_s16s4(xe, xo, packed, row_bytes);
      } else if (bits == 8) {
        a = voxgate_dot_s16s8(xc, (const int8_t*)packed, in_dim);
      } else {
        voxgate_unpack_row_s8(packed, in_dim, bits, row);
        a = voxgate_dot_s16s8(xc, row, in_dim);
      }
      acc[k] = a;
    }
    if (bias)
      for (k = 0; k < m; ++k) acc[k] += bias[o0 + k];
    voxgate_requant_s8(acc, m, qp->mult + o0, qp->shift + o0,
                       qp->output_zero_point, qp->act_min, qp->act_max, y + o0);
  }
}

void voxgate_fc_s8(const int8_t* x, size_t in_dim, const uint8_t* weights,
                   int bits, const int32_t* bias, size_t out_dim,
                   const voxgate_quant_params* qp, void* scratch, int8_t* y) {
  int16_t* xc = scratch;
  int8_t* row = (int8_t*)(xc + in_dim);
  for (size_t i = 0; i < in_dim; ++i)
    xc[i] = (int16_t)(x[i] - qp->input_zero_point);
  voxgate_fc_s8_centred(xc, in_dim, weights, bits, bias, out_dim, qp, row, y);
}
