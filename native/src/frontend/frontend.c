#include "frontend/frontend.h"

#include <string.h>

#include "frontend/log_scale.h"

/* log2 of the internal scale: powers carry 2^(2 * extra window bits). */
#define LOG2_SCALE_Q16 ((int32_t)(2 * VOXGATE_WINDOW_EXTRA_BITS) << 16)

void voxgate_frontend_compute_frame(voxgate_frontend* fe, int16_t* features) {
  const size_t n = fe->window.size;
  memcpy(fe->fft.input, fe->window.output, n * sizeof(int32_t));
  /* fft.input beyond n stays zero from reset: the zero padding. */
  voxgate_fft_process(&fe->fft);
  voxgate_filterbank_process(&fe->filterbank, fe->fft.output);
  uint64_t* power = fe->filterbank.output;
  if (fe->config.noise_reduction)
    voxgate_noise_reduction_process(&fe->noise, power);
  const size_t channels = fe->filterbank.num_channels;
  for (size_t c = 0; c < channels; ++c)
    fe->log2_q16[c] = voxgate_log2_q16(power[c]) - LOG2_SCALE_Q16;
  if (fe->config.pcan) voxgate_pcan_process(&fe->pcan, power, fe->log2_q16);
  for (size_t c = 0; c < channels; ++c) {
    /* Q16 -> Q9 (scale 512) with round half up, then saturate. */
    int32_t v = (fe->log2_q16[c] + 64) >> 7;
    if (v > INT16_MAX) v = INT16_MAX;
    if (v < INT16_MIN) v = INT16_MIN;
    features[c] = (int16_t)v;
  }
}
