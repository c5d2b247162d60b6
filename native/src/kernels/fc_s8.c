#include "kernels/fc_s8.h"

#include "kernels/dot_s8.h"
#include "kernels/pack.h"
#include "kernels/requant.h"

size_t voxgate_fc_s8_scratch_bytes(size_t in_dim) {
  /* centred input, then one unpacked row or (4-bit) the input split by
   * parity, 2 * ceil(in_dim / 2) int16. */
  return in_dim * sizeof(int16_t) + (in_dim + 2) * sizeof(int16_t) + 32;
}

void voxgate_fc_s8_centred(const int16_t* xc, size_t in_dim,
                           const uint8_t* weights, int bits,
                           const int32_t* bias, size_t out_dim,
                           const voxgate_quant_params* qp, int8_t* row,
                           int8_t* y) {
  const size_t row_bytes = voxgate_packed_row_bytes(in_dim, bits);
  if (bits == 4) {
    /* Split the inputs by parity once, then every row is one nibble dot
     * product with no unpacking. `row` has room: in_dim + 2 int16. */
    int16_t *xe = (int16_t*)(void*)row, *xo = xe + row_bytes;
    for (size_t i = 0; i < row_bytes; ++i) {
      xe[i] = xc[2 * i];
      xo[i] = 2 * i + 1 < in_dim ? xc[2 * i + 1] : 0;
    }
    for (size_t o = 0; o < out_dim; ++o) {
      int32_t acc =
          voxgate_dot_s16s4(xe, xo, weights + o * row_bytes, row_bytes) +
          (bias ? bias[o] : 0);
      int32_t v = voxgate_requantize(acc, qp->mult[o], qp->shift[o]) +
                  qp->output_zero_point;
      y[o] = voxgate_clamp_s8(v, qp->act_min, qp->act_max);
    }
    return;
  }
  for (size_t o = 0; o < out_dim; ++o) {
    const uint8_t* packed = weights + o * row_bytes;
    const int8_t* w = (const int8_t*)packed;
    if (bits != 8) {
      voxgate_unpack_row_s8(packed, in_dim, bits, row);
      w = row;
    }
    int32_t acc = voxgate_dot_s16s8(xc, w, in_dim) + (bias ? bias[o] : 0);
    int32_t v = voxgate_requantize(acc, qp->mult[o], qp->shift[o]) +
                qp->output_zero_point;
    y[o] = voxgate_clamp_s8(v, qp->act_min, qp->act_max);
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
