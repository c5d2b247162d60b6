/* The load-time ("prepared") FC and depthwise kernels: every variant
 * (reference, AVX2, AVX-512 VNNI, NEON under qemu) bit-exact with the
 * plain kernels on packed weights (fc_s8, dwconv_s8), over random shapes,
 * bit widths, zero points and clamps. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernels/dwconv_s8.h"
#include "kernels/dwp_s8.h"
#include "kernels/fc_s8.h"
#include "kernels/fcp_s8.h"
#include "kernels/pack.h"

static int rand_in(int lo, int hi) {
  return lo + (int)(check_rand() % (unsigned)(hi - lo + 1));
}

static void random_qp(int32_t* mult, int32_t* shift, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    mult[i] = (int32_t)((1u << 30) + (check_rand() % (1u << 30)));
    shift[i] = rand_in(-14, 1);
    /* Now and then the extremes: multiplier 0 or 2^31 - 1, right shifts to
     * 31 (AVX-512 folds the rounding shift into int64); left shifts stay
     * small so that the reference's "+ zero point" cannot overflow. */
    if (check_rand() % 8 == 0) {
      mult[i] = check_rand() % 2 ? 0 : INT32_MAX;
      shift[i] = rand_in(-31, 4);
    } else if (check_rand() % 8 == 0) {
      shift[i] = rand_in(-31, 4);
    }
  }
}

static void test_fcp(void) {
  enum { MAX_IN = 300, MAX_OUT = 70 };
  static int8_t x[MAX_IN], w[MAX_OUT * MAX_IN], y0[MAX_OUT], y1[MAX_OUT];
  static uint8_t packed[MAX_OUT * MAX_IN];
  static int32_t bias[MAX_OUT], mult[MAX_OUT], shift[MAX_OUT];
  static int32_t a0[MAX_OUT + 16], a1[MAX_OUT + 16];
  static char scratch[4 * MAX_IN + 4096];
  static int8_t xp[MAX_IN + 8];
  for (int trial = 0; trial < 300; ++trial) {
    const int bits = rand_in(2, 8), limit = (1 << (bits - 1)) - 1;
    const uint32_t in = (uint32_t)rand_in(1, MAX_IN);
    const uint32_t out = (uint32_t)rand_in(1, MAX_OUT);
    const int32_t zp = rand_in(-128, 127);
    for (uint32_t i = 0; i < in; ++i) x[i] = (int8_t)rand_in(-128, 127);
    for (uint32_t i = 0; i < in * out; ++i)
      w[i] = (int8_t)(trial % 5 ? rand_in(-limit, limit)
                                : (i % 2 ? limit : -limit));
    for (uint32_t o = 0; o < out; ++o) bias[o] = rand_in(-100000, 100000);
    random_qp(mult, shift, out);
    voxgate_pack_weights(w, out, in, bits, packed);
    const int32_t lo = rand_in(-128, 0), hi = rand_in(lo, 127);
    voxgate_quant_params qp = {mult, shift, zp, rand_in(-128, 127), lo, hi};
    voxgate_fcp* p = voxgate_fcp_create(packed, bits, trial % 7 ? bias : NULL,
                                        zp, mult, shift, out, in);
    CHECK(p != NULL);
    if (p == NULL) continue;
    CHECK(voxgate_fcp_scratch_bytes(p) <= sizeof scratch);
    voxgate_fc_s8(x, in, packed, bits, trial % 7 ? bias : NULL, out, &qp,
                  scratch, y0);
    voxgate_fcp_s8(p, x, &qp, scratch, y1);
    CHECK(memcmp(y0, y1, out) == 0);
    memcpy(xp, x, in);
    memset(xp + in, 0, p->in_pad - in);
    voxgate_fcp_acc_ref(p, xp, a0);
    voxgate_fcp_acc_avx2(p, xp, a1);
    CHECK(memcmp(a0, a1, out * sizeof(int32_t)) == 0);
    voxgate_fcp_acc_vnni(p, xp, a1);
    CHECK(memcmp(a0, a1, out * sizeof(int32_t)) == 0);
    voxgate_fcp_acc_neon(p, xp, a1);
    CHECK(memcmp(a0, a1, out * sizeof(int32_t)) == 0);
    voxgate_fcp_free(p);
  }
}

static void test_dwp(void) {
  enum { MAX_C = 150, MAX_K = 9 };
  static int8_t frames[MAX_K][MAX_C], w[MAX_K * MAX_C], y0[MAX_C], y1[MAX_C];
  static uint8_t packed[MAX_K * MAX_C];
  static int32_t bias[MAX_C], mult[MAX_C], shift[MAX_C];
  static char scratch[MAX_C * 8 + 64];
  const int8_t* taps[MAX_K];
  for (int trial = 0; trial < 300; ++trial) {
    const int bits = rand_in(2, 8), limit = (1 << (bits - 1)) - 1;
    const uint32_t c = (uint32_t)rand_in(1, MAX_C);
    const uint32_t k = (uint32_t)rand_in(1, MAX_K);
    const int32_t zp = rand_in(-128, 127);
    for (uint32_t j = 0; j < k; ++j) {
      for (uint32_t i = 0; i < c; ++i)
        frames[j][i] = (int8_t)rand_in(-128, 127);
      taps[j] = frames[j];
    }
    for (uint32_t i = 0; i < k * c; ++i) w[i] = (int8_t)rand_in(-limit, limit);
    for (uint32_t i = 0; i < c; ++i) bias[i] = rand_in(-100000, 100000);
    random_qp(mult, shift, c);
    voxgate_pack_weights(w, k, c, bits, packed);
    const int32_t lo = rand_in(-128, 0), hi = rand_in(lo, 127);
    voxgate_quant_params qp = {mult, shift, zp, rand_in(-128, 127), lo, hi};
    voxgate_dwp* p = voxgate_dwp_create(packed, bits, trial % 7 ? bias : NULL,
                                        zp, mult, shift, k, c);
    CHECK(p != NULL);
    if (p == NULL) continue;
    voxgate_dwconv_s8(taps, k, c, packed, bits, trial % 7 ? bias : NULL, &qp,
                      scratch, y0);
    voxgate_dwp_s8_ref(p, taps, &qp, y1);
    CHECK(memcmp(y0, y1, c) == 0);
    memset(y1, 0, sizeof y1);
    voxgate_dwp_s8_avx2(p, taps, &qp, y1);
    CHECK(memcmp(y0, y1, c) == 0);
    memset(y1, 0, sizeof y1);
    voxgate_dwp_s8_avx512(p, taps, &qp, y1);
    CHECK(memcmp(y0, y1, c) == 0);
    memset(y1, 0, sizeof y1);
    voxgate_dwp_s8(p, taps, &qp, y1);
    CHECK(memcmp(y0, y1, c) == 0);
    voxgate_dwp_free(p);
  }
}

int main(void) {
  test_fcp();
  test_dwp();
  return check_summary("test_kernels_prepared");
}
