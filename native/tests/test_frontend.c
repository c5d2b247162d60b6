/* Frontend unit tests: streaming invariance, memory ownership, config
 * errors, and the FFT and log2 stages against double-precision math. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "frontend/fft_util.h"
#include "frontend/log_scale.h"
#include "voxgate/voxgate.h"

#define N_SAMPLES 8000
#define MAX_FRAMES 64

static int16_t audio[N_SAMPLES];

static void make_audio(void) {
  for (int i = 0; i < N_SAMPLES; ++i) {
    double t = i / 16000.0;
    double v = 6000.0 * sin(2 * 3.14159265 * 440.0 * t) *
                   (0.5 + 0.5 * sin(2 * 3.14159265 * 3.0 * t)) +
               (double)((int)(check_rand() % 2001) - 1000);
    audio[i] = (int16_t)v;
  }
}

/* Runs the frontend over `audio`, fed in chunks of the given sizes
 * (cycled), and returns the number of frames written to `out`. */
static size_t run_chunked(voxgate_frontend* fe, const size_t* chunks,
                          size_t num_chunks, int16_t* out) {
  size_t pos = 0, frames = 0, k = 0;
  const int ch = voxgate_frontend_num_channels(fe);
  while (pos < N_SAMPLES) {
    size_t n = chunks[k++ % num_chunks];
    if (n > N_SAMPLES - pos) n = N_SAMPLES - pos;
    size_t done = 0;
    while (done < n) {
      size_t used = 0, got = 0;
      /* max_frames of 1 also exercises the "output full" path. */
      int st = voxgate_frontend_process(fe, audio + pos + done, n - done,
                                        out + frames * ch, 1, &used, &got);
      CHECK(st == VOXGATE_OK);
      done += used;
      frames += got;
    }
    pos += n;
  }
  return frames;
}

static void test_chunking(voxgate_frontend_config cfg) {
  voxgate_frontend* fe = NULL;
  CHECK(voxgate_frontend_create(&cfg, &fe) == VOXGATE_OK);
  static int16_t whole[MAX_FRAMES * 40 * 2], pieces[MAX_FRAMES * 40 * 2];
  size_t one_block = N_SAMPLES;
  size_t a = run_chunked(fe, &one_block, 1, whole);
  CHECK(a == (N_SAMPLES - 480) / 160 + 1);
  const size_t odd[] = {1, 7, 160, 333, 2, 479, 1000};
  voxgate_frontend_reset(fe);
  size_t b = run_chunked(fe, odd, 7, pieces);
  CHECK(a == b);
  CHECK(memcmp(whole, pieces, a * cfg.num_channels * sizeof(int16_t)) == 0);
  const size_t single = 1;
  voxgate_frontend_reset(fe);
  size_t c = run_chunked(fe, &single, 1, pieces);
  CHECK(a == c);
  CHECK(memcmp(whole, pieces, a * cfg.num_channels * sizeof(int16_t)) == 0);
  voxgate_frontend_destroy(fe);
}

static void test_caller_memory(void) {
  voxgate_frontend_config cfg = voxgate_frontend_default_config();
  size_t need = 0;
  CHECK(voxgate_frontend_state_bytes(&cfg, &need) == VOXGATE_OK);
  CHECK(need > 0);
  /* An odd offset checks that init_in aligns the buffer itself. */
  unsigned char* buf = malloc(need + 1);
  voxgate_frontend* fe = NULL;
  CHECK(voxgate_frontend_init_in(&cfg, buf + 1, need - 1, &fe) ==
        VOXGATE_ERR_MEMORY);
  CHECK(fe == NULL);
  CHECK(strstr(voxgate_last_error(), "bytes") != NULL);
  CHECK(voxgate_frontend_init_in(&cfg, buf + 1, need, &fe) == VOXGATE_OK);
  static int16_t x[MAX_FRAMES * 40], y[MAX_FRAMES * 40];
  size_t one_block = N_SAMPLES;
  size_t a = run_chunked(fe, &one_block, 1, x);
  voxgate_frontend* fe2 = NULL;
  CHECK(voxgate_frontend_create(&cfg, &fe2) == VOXGATE_OK);
  size_t b = run_chunked(fe2, &one_block, 1, y);
  CHECK(a == b && memcmp(x, y, a * 40 * sizeof(int16_t)) == 0);
  voxgate_frontend_destroy(fe2);
  voxgate_frontend_destroy(fe); /* caller-owned: must not free */
  free(buf);
}

static void test_bad_config(void) {
  voxgate_frontend* fe = NULL;
  voxgate_frontend_config cfg = voxgate_frontend_default_config();
  cfg.sample_rate_hz = 8000;
  CHECK(voxgate_frontend_create(&cfg, &fe) == VOXGATE_ERR_UNSUPPORTED);
  CHECK(strstr(voxgate_last_error(), "sample_rate_hz") != NULL);
  cfg = voxgate_frontend_default_config();
  cfg.num_channels = 0;
  CHECK(voxgate_frontend_create(&cfg, &fe) == VOXGATE_ERR_ARGUMENT);
  CHECK(strstr(voxgate_last_error(), "num_channels") != NULL);
  cfg = voxgate_frontend_default_config();
  cfg.hop_ms = 40;
  CHECK(voxgate_frontend_create(&cfg, &fe) == VOXGATE_ERR_ARGUMENT);
  cfg = voxgate_frontend_default_config();
  cfg.num_channels = 128; /* narrow low channels get no FFT bin */
  CHECK(voxgate_frontend_create(&cfg, &fe) == VOXGATE_ERR_ARGUMENT);
  CHECK(fe == NULL);
  CHECK(voxgate_frontend_create(NULL, &fe) == VOXGATE_ERR_ARGUMENT);
  size_t used, got;
  CHECK(voxgate_frontend_process(NULL, audio, 1, NULL, 0, &used, &got) ==
        VOXGATE_ERR_ARGUMENT);
  CHECK(strcmp(voxgate_status_str(VOXGATE_ERR_FORMAT),
               "malformed model file") == 0);
}

static void test_fft_against_double(void) {
  const size_t n = 512;
  unsigned char mem[16384];
  voxgate_arena arena = {NULL, 0, 0};
  voxgate_fft_state s;
  voxgate_fft_populate(n, &arena, &s);
  CHECK(arena.used <= sizeof mem);
  arena.base = mem;
  arena.capacity = sizeof mem;
  arena.used = 0;
  voxgate_fft_populate(n, &arena, &s);
  static double x[512];
  for (size_t i = 0; i < n; ++i) {
    x[i] = (double)((int)(check_rand() % 2000001) - 1000000);
    s.input[i] = (int32_t)x[i];
  }
  voxgate_fft_process(&s);
  double worst = 0;
  for (size_t k = 0; k <= n / 2; k += 7) {
    double re = 0, im = 0;
    for (size_t t = 0; t < n; ++t) {
      re += x[t] * cos(2 * 3.141592653589793 * k * t / n);
      im -= x[t] * sin(2 * 3.141592653589793 * k * t / n);
    }
    double err = fabs(re - s.output[k].re) + fabs(im - s.output[k].im);
    if (err > worst) worst = err;
  }
  /* One rounding per stage: a few units, against values near 2^27. */
  CHECK(worst < 16.0);
}

static void test_log2(void) {
  double worst = 0;
  for (int i = 0; i < 100000; ++i) {
    uint64_t x =
        ((uint64_t)check_rand() << 32 | check_rand()) >> (check_rand() % 63);
    if (x == 0) x = 1;
    double err = fabs(voxgate_log2_q16(x) / 65536.0 - log2((double)x));
    if (err > worst) worst = err;
  }
  CHECK(worst < 1e-4); /* 1/20 of a feature LSB (1/512) */
  CHECK(voxgate_log2_q16(1) == 0);
  CHECK(voxgate_log2_q16(0) == 0);
  CHECK(voxgate_log2_q16(1024) == 10 * 65536);
}

int main(void) {
  make_audio();
  voxgate_frontend_config cfg = voxgate_frontend_default_config();
  test_chunking(cfg);
  cfg.noise_reduction = 1;
  cfg.pcan = 1;
  test_chunking(cfg);
  test_caller_memory();
  test_bad_config();
  test_fft_against_double();
  test_log2();
  return check_summary("test_frontend");
}
