#include "kernels/conv_time_s8.h"

#include "kernels/fc_s8.h"

size_t voxgate_conv_time_s8_scratch_bytes(size_t kernel, size_t cin) {
  return voxgate_fc_s8_scratch_bytes(kernel * cin);
}

void voxgate_conv_time_s8(const int8_t* const* taps, size_t kernel, size_t cin,
                          const uint8_t* weights, int bits, const int32_t* bias,
                          size_t cout, const voxgate_quant_params* qp,
                          void* scratch, int8_t* y) {
  /* Gather the taps into one centred vector: then it is an FC over
   * kernel * cin inputs, on the same (SIMD) dot product. */
  const size_t n = kernel * cin;
  int16_t* xc = scratch;
  for (size_t j = 0; j < kernel; ++j)
    for (size_t c = 0; c < cin; ++c)
      xc[j * cin + c] = (int16_t)(taps[j][c] - qp->input_zero_point);
  voxgate_fc_s8_centred(xc, n, weights, bits, bias, cout, qp, (int8_t*)(xc + n),
                        y);
}
