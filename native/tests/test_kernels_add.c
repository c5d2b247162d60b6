/* The int8 residual ADD: every variant (AVX2, AVX-512; each runs the
 * reference where its ISA is missing) bit-exact with the reference over
 * random lengths and the loader's full parameter ranges; and the FC with
 * the ADD fused (voxgate_fcp_add_s8) bit-exact with the plain FC followed
 * by the reference ADD, over random shapes, bit widths and parameters. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernels/add_s8.h"
#include "kernels/fc_s8.h"
#include "kernels/fcp_s8.h"
#include "kernels/pack.h"

static int rand_in(int lo, int hi) {
  return lo + (int)(check_rand() % (unsigned)(hi - lo + 1));
}

static int32_t rand_mult(void) {
  switch (check_rand() % 8) {
    case 0:
      return 0;
    case 1:
      return INT32_MAX;
    default:
      return (int32_t)((1u << 30) + check_rand() % (1u << 30));
  }
}

static voxgate_add_s8_params random_params(void) {
  voxgate_add_s8_params p;
  const int wide = check_rand() % 4 == 0; /* extremes, else typical */
  p.a_zero_point = rand_in(-128, 127);
  p.a_mult = rand_mult();
  p.a_shift = wide ? rand_in(-31, 0) : rand_in(-4, 0);
  p.b_zero_point = rand_in(-128, 127);
  p.b_mult = rand_mult();
  p.b_shift = wide ? rand_in(-31, 0) : rand_in(-4, 0);
  p.out_mult = rand_mult();
  p.out_shift = wide ? rand_in(-31, 0) : rand_in(-24, -10);
  p.out_zero_point = rand_in(-128, 127);
  p.act_min = rand_in(-128, 0);
  p.act_max = rand_in(p.act_min, 127);
  p.left_shift = wide ? rand_in(0, 20) : 20;
  return p;
}

static void test_add_variants(void) {
  enum { MAX_N = 200 };
  int8_t a[MAX_N], b[MAX_N], y0[MAX_N], y1[MAX_N];
  for (int trial = 0; trial < 2000; ++trial) {
    const size_t n = (size_t)rand_in(0, MAX_N);
    const voxgate_add_s8_params p = random_params();
    for (size_t i = 0; i < n; ++i) {
      a[i] = (int8_t)rand_in(-128, 127);
      b[i] = (int8_t)rand_in(-128, 127);
    }
    voxgate_add_s8_ref(a, b, y0, n, &p);
    memset(y1, 0, sizeof y1);
    voxgate_add_s8_avx2(a, b, y1, n, &p);
    CHECK(memcmp(y0, y1, n) == 0);
    memset(y1, 0, sizeof y1);
    voxgate_add_s8_avx512(a, b, y1, n, &p);
    CHECK(memcmp(y0, y1, n) == 0);
    memset(y1, 0, sizeof y1);
    voxgate_add_s8(a, b, y1, n, &p);
    CHECK(memcmp(y0, y1, n) == 0);
  }
}

static void test_fcp_add(void) {
  enum { MAX_IN = 300, MAX_OUT = 70 };
  static int8_t x[MAX_IN], w[MAX_OUT * MAX_IN], r[MAX_OUT];
  static int8_t fc[MAX_OUT], y0[MAX_OUT], y1[MAX_OUT + 16];
  static uint8_t packed[MAX_OUT * MAX_IN];
  static int32_t bias[MAX_OUT], mult[MAX_OUT], shift[MAX_OUT];
  static char scratch[4 * MAX_IN + 4096];
  for (int trial = 0; trial < 500; ++trial) {
    const int bits = rand_in(2, 8), limit = (1 << (bits - 1)) - 1;
    const uint32_t in = (uint32_t)rand_in(1, MAX_IN);
    const uint32_t out = (uint32_t)rand_in(1, MAX_OUT);
    const int32_t zp = rand_in(-128, 127);
    for (uint32_t i = 0; i < in; ++i) x[i] = (int8_t)rand_in(-128, 127);
    for (uint32_t i = 0; i < in * out; ++i)
      w[i] = (int8_t)rand_in(-limit, limit);
    for (uint32_t o = 0; o < out; ++o) {
      bias[o] = rand_in(-100000, 100000);
      mult[o] = (int32_t)((1u << 30) + check_rand() % (1u << 30));
      shift[o] = rand_in(-14, 1);
      r[o] = (int8_t)rand_in(-128, 127);
    }
    voxgate_pack_weights(w, out, in, bits, packed);
    const int32_t lo = rand_in(-128, 0), hi = rand_in(lo, 127);
    voxgate_quant_params qp = {mult, shift, zp, rand_in(-128, 127), lo, hi};
    const voxgate_add_s8_params ap = random_params();
    voxgate_fcp* p =
        voxgate_fcp_create(packed, bits, bias, zp, mult, shift, out, in);
    CHECK(p != NULL);
    if (p == NULL) continue;
    CHECK(voxgate_fcp_add_scratch_bytes(p) <= sizeof scratch);
    voxgate_fc_s8(x, in, packed, bits, bias, out, &qp, scratch, fc);
    voxgate_add_s8_ref(fc, r, y0, out, &ap);
    memset(y1, 0x55, sizeof y1);
    voxgate_fcp_add_s8(p, x, &qp, r, &ap, scratch, y1);
    CHECK(memcmp(y0, y1, out) == 0);
    CHECK(y1[out] == 0x55); /* nothing past the last row */
    voxgate_fcp_free(p);
  }
}

int main(void) {
  test_add_variants();
  test_fcp_add();
  return check_summary("test_kernels_add");
}
