#include "kernels/mul_s8.h"

#include "kernels/requant.h"

void voxgate_mul_s8_ref(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                        const voxgate_mul_s8_params* p) {
  for (size_t i = 0; i < n; ++i) {
    const int32_t prod =
        ((int32_t)a[i] - p->a_zero_point) * ((int32_t)b[i] - p->b_zero_point);
    y[i] = voxgate_clamp_s8(
        voxgate_requantize(prod, p->mult, p->shift) + p->output_zero_point,
        p->act_min, p->act_max);
  }
}

void voxgate_mul_s8(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                    const voxgate_mul_s8_params* p) {
  voxgate_mul_s8_ref(a, b, y, n, p);
}
