/* NEON twin of voxgate_dot_s16s8_ref: 8 widening multiply-adds per step. */
#include "kernels/dot_s8.h"

#if defined(__aarch64__)
#include <arm_neon.h>

int voxgate_kernels_have_neon(void) { return 1; }

int32_t voxgate_dot_s16s8_neon(const int16_t* x, const int8_t* w, size_t n) {
  int32x4_t acc0 = vdupq_n_s32(0), acc1 = vdupq_n_s32(0);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    int16x8_t xv = vld1q_s16(x + i);
    int16x8_t wv = vmovl_s8(vld1_s8(w + i));
    acc0 = vmlal_s16(acc0, vget_low_s16(xv), vget_low_s16(wv));
    acc1 = vmlal_s16(acc1, vget_high_s16(xv), vget_high_s16(wv));
  }
  int32_t total = vaddvq_s32(vaddq_s32(acc0, acc1));
  return total + voxgate_dot_s16s8_ref(x + i, w + i, n - i);
}
#else
int voxgate_kernels_have_neon(void) { return 0; }
int32_t voxgate_dot_s16s8_neon(const int16_t* x, const int8_t* w, size_t n) {
  return voxgate_dot_s16s8_ref(x, w, n);
}
#endif
