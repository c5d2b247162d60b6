#include "kernels/lut_s8.h"

void voxgate_lut_s8_ref(const int8_t* x, int8_t* y, size_t n,
                        const int8_t* table) {
  for (size_t i = 0; i < n; ++i) y[i] = table[(int32_t)x[i] + 128];
}

/* A table lookup has no SIMD form worth its code at these sizes. */
void voxgate_lut_s8(const int8_t* x, int8_t* y, size_t n, const int8_t* table) {
  voxgate_lut_s8_ref(x, y, n, table);
}
