/* The int8 residual ADD: every variant (AVX2, AVX-512; each runs the
 * reference where its ISA is missing) bit-exact with the reference over
 * random lengths and the loader's full parameter ranges. */
#include <string.h>

#include "check.h"
#include "kernels/add_s8.h"

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

int main(void) {
  test_add_variants();
  return check_summary("test_kernels_add");
}
