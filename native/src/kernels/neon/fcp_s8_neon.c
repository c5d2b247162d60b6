/* NEON twin of voxgate_fcp_acc_ref (plain ARMv8-A, as on a Raspberry Pi 4:
 * no dot-product extension). Weights widen to int16 and multiply-accumulate
 * against the group's 4 inputs; each row keeps 4 int32 lanes, reduced once
 * per block. */
#include "kernels/fcp_s8.h"

#if defined(__aarch64__)
#include <arm_neon.h>

static inline void mac_rows(int32x4_t* a, uint8x16_t v, int16x4_t xs) {
  const int16x8_t w01 = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(v)));
  const int16x8_t w23 = vreinterpretq_s16_u16(vmovl_high_u8(v));
  a[0] = vmlal_s16(a[0], vget_low_s16(w01), xs);
  a[1] = vmlal_s16(a[1], vget_high_s16(w01), xs);
  a[2] = vmlal_s16(a[2], vget_low_s16(w23), xs);
  a[3] = vmlal_s16(a[3], vget_high_s16(w23), xs);
}

static inline int16x4_t load4(const int8_t* x) {
  return vget_low_s16(vmovl_s8(vreinterpret_s8_u32(
      vld1_lane_u32((const uint32_t*)(const void*)x, vdup_n_u32(0), 0))));
}

void voxgate_fcp_acc_neon(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
  int32x4_t sums = vdupq_n_s32(0);
  for (uint32_t i = 0; i < p->in_pad; i += 8)
    sums = vpadalq_s16(sums, vmovl_s8(vld1_s8(x + i)));
  const uint32_t corr = (uint32_t)p->offset * (uint32_t)vaddvq_s32(sums);
  const uint8x16_t mask = vdupq_n_u8(0x0F);
  for (uint32_t b = 0; b < p->blocks; ++b) {
    const uint8_t* w = voxgate_fcp_block(p, b);
    int32x4_t a[8];
    for (int r = 0; r < 8; ++r) a[r] = vdupq_n_s32(0);
    if (p->nibble) {
      for (uint32_t h = 0; h < p->in_pad / 8; ++h) {
        const uint8x16_t v0 = vld1q_u8(w + VOXGATE_FCP_STRIDE * h),
                         v1 = vld1q_u8(w + VOXGATE_FCP_STRIDE * h + 16);
        const int16x4_t xa = load4(x + 8 * h), xb = load4(x + 8 * h + 4);
        mac_rows(a, vandq_u8(v0, mask), xa);
        mac_rows(a + 4, vandq_u8(v1, mask), xa);
        mac_rows(a, vshrq_n_u8(v0, 4), xb);
        mac_rows(a + 4, vshrq_n_u8(v1, 4), xb);
      }
    } else {
      for (uint32_t g = 0; g < p->in_pad / 4; ++g) {
        const int16x4_t xs = load4(x + 4 * g);
        mac_rows(a, vld1q_u8(w + VOXGATE_FCP_STRIDE * g), xs);
        mac_rows(a + 4, vld1q_u8(w + VOXGATE_FCP_STRIDE * g + 16), xs);
      }
    }
    for (int r = 0; r < 8; ++r)
      acc[8 * b + r] = (int32_t)((uint32_t)vaddvq_s32(a[r]) +
                                 (uint32_t)p->bias[8 * b + r] - corr);
  }
}
#else
void voxgate_fcp_acc_neon(const voxgate_fcp* p, const int8_t* x, int32_t* acc) {
  voxgate_fcp_acc_ref(p, x, acc);
}
#endif
