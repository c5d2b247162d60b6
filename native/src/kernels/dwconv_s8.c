#include "kernels/dwconv_s8.h"

#include "kernels/pack.h"
#include "kernels/requant.h"

void voxgate_dwconv_s8(const int8_t* const* taps, size_t kernel,
                       size_t channels, const uint8_t* weights, int bits,
                       const int32_t* bias, const voxgate_quant_params* qp,
                       int8_t* scratch, int8_t* y) {
  const size_t row_bytes = voxgate_packed_row_bytes(kernel, bits);
  const int32_t zp = qp->input_zero_point;
  for (size_t c = 0; c < channels; ++c) {
    const int8_t* w = (const int8_t*)weights + c * row_bytes;
    if (bits != 8) {
      voxgate_unpack_row_s8(weights + c * row_bytes, kernel, bits, scratch);
      w = scratch;
    }
    int32_t acc = bias ? bias[c] : 0;
    for (size_t j = 0; j < kernel; ++j)
      acc += (int32_t)(taps[j][c] - zp) * w[j];
    int32_t v = voxgate_requantize(acc, qp->mult[c], qp->shift[c]) +
                qp->output_zero_point;
    y[c] = voxgate_clamp_s8(v, qp->act_min, qp->act_max);
  }
}
