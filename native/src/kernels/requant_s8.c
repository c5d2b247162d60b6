#include "kernels/requant_s8.h"

#include "kernels/dot_s8.h"
#include "kernels/requant.h"

void voxgate_requant_s8_ref(const int32_t* acc, size_t n, const int32_t* mult,
                            const int32_t* shift, int32_t zero_point,
                            int32_t act_min, int32_t act_max, int8_t* y) {
  for (size_t i = 0; i < n; ++i)
    y[i] = voxgate_requantize_s8(acc[i], mult[i], shift[i], zero_point, act_min,
                                 act_max);
}

void voxgate_requant_s8(const int32_t* acc, size_t n, const int32_t* mult,
                        const int32_t* shift, int32_t zero_point,
                        int32_t act_min, int32_t act_max, int8_t* y) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static int avx2 = -1;
  if (avx2 < 0) avx2 = voxgate_kernels_have_avx2();
  if (avx2) {
    voxgate_requant_s8_avx2(acc, n, mult, shift, zero_point, act_min, act_max,
                            y);
    return;
  }
#endif
  voxgate_requant_s8_ref(acc, n, mult, shift, zero_point, act_min, act_max, y);
}
