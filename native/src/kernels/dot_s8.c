#include "kernels/dot_s8.h"

int32_t voxgate_dot_s16s8_ref(const int16_t* x, const int8_t* w, size_t n) {
  int32_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc += (int32_t)x[i] * w[i];
  return acc;
}

void voxgate_dot4_s16s8_ref(const int16_t* x, const int8_t* w,
                            size_t row_stride, size_t n, int32_t* out) {
  for (int r = 0; r < 4; ++r)
    out[r] = voxgate_dot_s16s8_ref(x, w + (size_t)r * row_stride, n);
}

void voxgate_dot4_s16s8(const int16_t* x, const int8_t* w, size_t row_stride,
                        size_t n, int32_t* out) {
#if defined(__aarch64__)
  for (int r = 0; r < 4; ++r)
    out[r] = voxgate_dot_s16s8_neon(x, w + (size_t)r * row_stride, n);
#elif defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static int avx2 = -1;
  if (avx2 < 0) avx2 = voxgate_kernels_have_avx2();
  if (avx2)
    voxgate_dot4_s16s8_avx2(x, w, row_stride, n, out);
  else
    voxgate_dot4_s16s8_ref(x, w, row_stride, n, out);
#else
  voxgate_dot4_s16s8_ref(x, w, row_stride, n, out);
#endif
}

void voxgate_mac_s8_ref(int32_t* acc, const int8_t* x, const int8_t* w,
                        int32_t zero_point, size_t n) {
  for (size_t i = 0; i < n; ++i) acc[i] += (int32_t)(x[i] - zero_point) * w[i];
}

void voxgate_mac_s8(int32_t* acc, const int8_t* x, const int8_t* w,
                    int32_t zero_point, size_t n) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static int avx2 = -1;
  if (avx2 < 0) avx2 = voxgate_kernels_have_avx2();
  if (avx2) {
    voxgate_mac_s8_avx2(acc, x, w, zero_point, n);
    return;
  }
#endif
  voxgate_mac_s8_ref(acc, x, w, zero_point, n);
}

int32_t voxgate_dot_s16s4_ref(const int16_t* xe, const int16_t* xo,
                              const uint8_t* w, size_t nbytes) {
  int32_t acc = 0;
  for (size_t i = 0; i < nbytes; ++i) {
    int lo = w[i] & 0xF, hi = w[i] >> 4;
    acc += (int32_t)xe[i] * ((lo ^ 8) - 8) + (int32_t)xo[i] * ((hi ^ 8) - 8);
  }
  return acc;
}

int32_t voxgate_dot_s16s4(const int16_t* xe, const int16_t* xo,
                          const uint8_t* w, size_t nbytes) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static int avx2 = -1;
  if (avx2 < 0) avx2 = voxgate_kernels_have_avx2();
  if (avx2) return voxgate_dot_s16s4_avx2(xe, xo, w, nbytes);
#endif
  return voxgate_dot_s16s4_ref(xe, xo, w, nbytes);
}

int32_t voxgate_dot_s16s8(const int16_t* x, const int8_t* w, size_t n) {
#if defined(__aarch64__)
  return voxgate_dot_s16s8_neon(x, w, n);
#elif defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  /* Checked once; the answer cannot change while the process runs. */
  static int avx2 = -1;
  if (avx2 < 0) avx2 = voxgate_kernels_have_avx2();
  return avx2 ? voxgate_dot_s16s8_avx2(x, w, n)
              : voxgate_dot_s16s8_ref(x, w, n);
#else
  return voxgate_dot_s16s8_ref(x, w, n);
#endif
}
