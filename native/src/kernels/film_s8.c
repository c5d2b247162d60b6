#include "kernels/film_s8.h"

#include "kernels/requant.h"

void voxgate_film_s8_ref(const int8_t* x, const int8_t* gamma,
                         const int8_t* beta, int8_t* y, size_t channels,
                         const voxgate_film_s8_params* p) {
  for (size_t c = 0; c < channels; ++c) {
    const int32_t prod = ((int32_t)x[c] - p->x_zero_point) *
                         ((int32_t)gamma[c] - p->gamma_zero_point);
    const int32_t scaled = voxgate_requantize(prod, p->xg_mult, p->xg_shift);
    const int32_t shifted = voxgate_requantize(
        (int32_t)beta[c] - p->beta_zero_point, p->beta_mult, p->beta_shift);
    y[c] = voxgate_clamp_s8(scaled + shifted + p->output_zero_point, p->act_min,
                            p->act_max);
  }
}

void voxgate_film_s8(const int8_t* x, const int8_t* gamma, const int8_t* beta,
                     int8_t* y, size_t channels,
                     const voxgate_film_s8_params* p) {
  voxgate_film_s8_ref(x, gamma, beta, y, channels, p);
}
