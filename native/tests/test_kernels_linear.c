/* Linear kernels in C: every dot-product variant bit-exact with the
 * reference (this is where NEON runs, under qemu), FC over every bit width
 * against a plain loop, and pack/unpack round trips, all under ASan/UBSan
 * on x86-64. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernels/dot_s8.h"
#include "kernels/fc_s8.h"
#include "kernels/pack.h"
#include "kernels/requant.h"

static int rand_in(int lo, int hi) {
  return lo + (int)(check_rand() % (unsigned)(hi - lo + 1));
}

static void test_dot_variants(void) {
  int16_t x[300];
  int8_t w[300];
  for (int trial = 0; trial < 500; ++trial) {
    size_t n = (size_t)rand_in(0, 300);
    int32_t expect = 0;
    for (size_t i = 0; i < n; ++i) {
      x[i] = (int16_t)rand_in(-255, 255);
      w[i] = (int8_t)rand_in(-127, 127);
      expect += (int32_t)x[i] * w[i];
    }
    CHECK(voxgate_dot_s16s8_ref(x, w, n) == expect);
    CHECK(voxgate_dot_s16s8_avx2(x, w, n) == expect);
    CHECK(voxgate_dot_s16s8_neon(x, w, n) == expect);
    CHECK(voxgate_dot_s16s8(x, w, n) == expect);
  }
#if defined(__aarch64__)
  CHECK(voxgate_kernels_have_neon() == 1);
#endif
}

static void test_pack_round_trip(void) {
  int8_t values[3 * 37], back[37];
  uint8_t packed[3 * 37];
  for (int bits = 2; bits <= 8; ++bits) {
    int limit = (1 << (bits - 1)) - 1;
    for (size_t i = 0; i < sizeof values; ++i)
      values[i] = (int8_t)rand_in(-limit, limit);
    voxgate_pack_weights(values, 3, 37, bits, packed);
    size_t row_bytes = voxgate_packed_row_bytes(37, bits);
    CHECK(row_bytes == (37 * (size_t)bits + 7) / 8);
    for (size_t r = 0; r < 3; ++r) {
      voxgate_unpack_row_s8(packed + r * row_bytes, 37, bits, back);
      CHECK(memcmp(back, values + r * 37, 37) == 0);
    }
  }
}

static void test_fc_all_widths(void) {
  enum { IN = 45, OUT = 7 };
  int8_t x[IN], w[OUT * IN], y[OUT];
  uint8_t packed[OUT * IN];
  int32_t bias[OUT], mult[OUT], shift[OUT];
  void* scratch = malloc(voxgate_fc_s8_scratch_bytes(IN));
  for (int bits = 2; bits <= 8; ++bits) {
    int limit = (1 << (bits - 1)) - 1;
    for (int i = 0; i < IN; ++i) x[i] = (int8_t)rand_in(-128, 127);
    for (int i = 0; i < OUT * IN; ++i) w[i] = (int8_t)rand_in(-limit, limit);
    for (int o = 0; o < OUT; ++o) {
      bias[o] = rand_in(-3000, 3000);
      mult[o] = rand_in(1 << 30, 0x7fffffff);
      shift[o] = rand_in(-10, 0);
    }
    voxgate_pack_weights(w, OUT, IN, bits, packed);
    voxgate_quant_params qp = {mult, shift, -7, 3, -128, 127};
    voxgate_fc_s8(x, IN, packed, bits, bias, OUT, &qp, scratch, y);
    for (int o = 0; o < OUT; ++o) {
      int32_t acc = bias[o];
      for (int i = 0; i < IN; ++i) acc += (x[i] + 7) * w[o * IN + i];
      int32_t v = voxgate_requantize(acc, mult[o], shift[o]) + 3;
      CHECK(y[o] == voxgate_clamp_s8(v, -128, 127));
    }
  }
  free(scratch);
}

int main(void) {
  test_dot_variants();
  test_pack_round_trip();
  test_fc_all_widths();
  return check_summary("test_kernels_linear");
}
