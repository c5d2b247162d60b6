#include "kernels/add_s8.h"

#include "kernels/dot_s8.h"
#include "kernels/fcp_s8.h"
#include "kernels/requant.h"

void voxgate_add_s8_ref(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                        const voxgate_add_s8_params* p) {
  for (size_t i = 0; i < n; ++i) {
    /* (x - zp) is within +-255, so << 20 stays inside int32. */
    int32_t sa = (int32_t)((uint32_t)(a[i] - p->a_zero_point) << p->left_shift);
    int32_t sb = (int32_t)((uint32_t)(b[i] - p->b_zero_point) << p->left_shift);
    int32_t ra = voxgate_requantize(sa, p->a_mult, p->a_shift);
    int32_t rb = voxgate_requantize(sb, p->b_mult, p->b_shift);
    int32_t v = voxgate_requantize(ra + rb, p->out_mult, p->out_shift) +
                p->out_zero_point;
    y[i] = voxgate_clamp_s8(v, p->act_min, p->act_max);
  }
}

void voxgate_add_s8(const int8_t* a, const int8_t* b, int8_t* y, size_t n,
                    const voxgate_add_s8_params* p) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static int avx2 = -1, avx512 = -1;
  if (avx2 < 0) avx2 = voxgate_kernels_have_avx2();
  if (avx512 < 0) avx512 = voxgate_kernels_have_vnni();
  if (avx512) {
    voxgate_add_s8_avx512(a, b, y, n, p);
    return;
  }
  if (avx2) {
    voxgate_add_s8_avx2(a, b, y, n, p);
    return;
  }
#endif
  voxgate_add_s8_ref(a, b, y, n, p);
}
