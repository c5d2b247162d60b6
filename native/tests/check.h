/* A minimal test harness: CHECK records failures, and check_summary()
 * prints "N passed, N failed" and gives the exit code. */
#ifndef VOXGATE_TESTS_CHECK_H_
#define VOXGATE_TESTS_CHECK_H_

#include <stdio.h>

static int g_passed, g_failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++g_passed;                                                              \
    } else {                                                                   \
      ++g_failed;                                                              \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                          \
  } while (0)

static int check_summary(const char* name) {
  printf("%s: %d passed, %d failed\n", name, g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}

/* Deterministic pseudo-random numbers (xorshift32) for test inputs. */
static unsigned check_rng_state = 2463534242u;
static unsigned check_rand(void) {
  check_rng_state ^= check_rng_state << 13;
  check_rng_state ^= check_rng_state >> 17;
  check_rng_state ^= check_rng_state << 5;
  return check_rng_state;
}

#endif
