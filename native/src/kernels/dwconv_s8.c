#include "kernels/dwconv_s8.h"

#include "kernels/dot_s8.h"
#include "kernels/pack.h"
#include "kernels/requant_s8.h"

size_t voxgate_dwconv_s8_scratch_bytes(size_t channels) {
  return channels * sizeof(int32_t) + channels + 16;
}

void voxgate_dwconv_s8(const int8_t* const* taps, size_t kernel,
                       size_t channels, const uint8_t* weights, int bits,
                       const int32_t* bias, const voxgate_quant_params* qp,
                       void* scratch, int8_t* y) {
  const size_t row_bytes = voxgate_packed_row_bytes(channels, bits);
  const int32_t zp = qp->input_zero_point;
  int32_t* acc = scratch;
  int8_t* row = (int8_t*)(acc + channels);
  for (size_t c = 0; c < channels; ++c) acc[c] = bias ? bias[c] : 0;
  for (size_t j = 0; j < kernel; ++j) {
    const int8_t* w = (const int8_t*)weights + j * row_bytes;
    if (bits != 8) {
      voxgate_unpack_row_s8(weights + j * row_bytes, channels, bits, row);
      w = row;
    }
    /* Channels are contiguous in the frame and the tap row. */
    voxgate_mac_s8(acc, taps[j], w, zp, channels);
  }
  voxgate_requant_s8(acc, channels, qp->mult, qp->shift, qp->output_zero_point,
                     qp->act_min, qp->act_max, y);
}
