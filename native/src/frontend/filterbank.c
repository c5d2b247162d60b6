#include "frontend/filterbank.h"

void voxgate_filterbank_process(voxgate_filterbank_state* s,
                                const voxgate_complex32* bins) {
  const uint64_t low_mask = (1u << VOXGATE_FILTERBANK_WEIGHT_BITS) - 1;
  for (size_t c = 0; c < s->num_channels; ++c) {
    const voxgate_complex32* b = bins + s->start_bin[c];
    const uint16_t* w = s->weights + s->weight_offset[c];
    uint64_t acc = 0;
    for (int16_t i = 0; i < s->num_bins[c]; ++i) {
      int64_t re = b[i].re, im = b[i].im;
      uint64_t power = (uint64_t)(re * re) + (uint64_t)(im * im);
      /* power < 2^59 and w <= 2^12: split so the product cannot overflow;
       * Parseval bounds the channel sum well below 2^64. */
      uint64_t hi = power >> VOXGATE_FILTERBANK_WEIGHT_BITS;
      uint64_t lo = power & low_mask;
      acc += w[i] * hi + ((w[i] * lo) >> VOXGATE_FILTERBANK_WEIGHT_BITS);
    }
    s->output[c] = acc;
  }
}
