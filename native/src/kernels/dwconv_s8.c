#include "kernels/dwconv_s8.h"

#include "kernels/pack.h"
#include "kernels/requant_s8.h"

#define BLOCK 8

void voxgate_dwconv_s8(const int8_t* const* taps, size_t kernel,
                       size_t channels, const uint8_t* weights, int bits,
                       const int32_t* bias, const voxgate_quant_params* qp,
                       int8_t* scratch, int8_t* y) {
  const size_t row_bytes = voxgate_packed_row_bytes(kernel, bits);
  const int32_t zp = qp->input_zero_point;
  int32_t acc[BLOCK];
  for (size_t c0 = 0; c0 < channels; c0 += BLOCK) {
    const size_t m = channels - c0 < BLOCK ? channels - c0 : BLOCK;
    for (size_t k = 0; k < m; ++k) {
      const size_t c = c0 + k;
      const int8_t* w = (const int8_t*)weights + c * row_bytes;
      if (bits != 8) {
        voxgate_unpack_row_s8(weights + c * row_bytes, kernel, bits, scratch);
        w = scratch;
      }
      int32_t a = bias ? bias[c] : 0;
      for (size_t j = 0; j < kernel; ++j)
        a += (int32_t)(taps[j][c] - zp) * w[j];
      acc[k] = a;
    }
    /* Requantized 8 channels at a time (one vector where there is AVX2). */
    voxgate_requant_s8(acc, m, qp->mult + c0, qp->shift + c0,
                       qp->output_zero_point, qp->act_min, qp->act_max, y + c0);
  }
}
