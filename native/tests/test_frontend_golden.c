/* The frontend against the golden vectors in tests/golden/frontend/ (made by
 * tests/golden/make_frontend_golden.py). Run from the repository root. Run
 * on AArch64 under qemu too, so it pins bit-identical output across CPUs. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "voxgate/voxgate.h"

#define GOLDEN_DIR "tests/golden/frontend/"

static int16_t* read_i16(const char* path, size_t* count) {
  FILE* f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
    return NULL;
  }
  fseek(f, 0, SEEK_END);
  long bytes = ftell(f);
  fseek(f, 0, SEEK_SET);
  int16_t* data = malloc((size_t)bytes);
  size_t got = fread(data, 1, (size_t)bytes, f);
  fclose(f);
  *count = got / 2;
  /* The files are little-endian; so is every target we build for. */
  return data;
}

static void check_golden(const char* name, voxgate_frontend_config cfg,
                         const int16_t* pcm, size_t samples) {
  char path[256];
  snprintf(path, sizeof path, GOLDEN_DIR "%s.i16", name);
  size_t expected_count = 0;
  int16_t* expected = read_i16(path, &expected_count);
  CHECK(expected != NULL);
  if (expected == NULL) return;
  voxgate_frontend* fe = NULL;
  CHECK(voxgate_frontend_create(&cfg, &fe) == VOXGATE_OK);
  size_t max_frames = samples / 160 + 1;
  int16_t* got = malloc(max_frames * (size_t)cfg.num_channels * 2);
  size_t used = 0, frames = 0;
  CHECK(voxgate_frontend_process(fe, pcm, samples, got, max_frames, &used,
                                 &frames) == VOXGATE_OK);
  CHECK(used == samples);
  CHECK(frames * (size_t)cfg.num_channels == expected_count);
  size_t mismatches = 0;
  for (size_t i = 0; i < expected_count && i < frames * cfg.num_channels; ++i)
    mismatches += got[i] != expected[i];
  if (mismatches) fprintf(stderr, "%s: %zu values differ\n", name, mismatches);
  CHECK(mismatches == 0);
  free(got);
  free(expected);
  voxgate_frontend_destroy(fe);
}

int main(void) {
  size_t samples = 0;
  int16_t* pcm = read_i16(GOLDEN_DIR "input.i16", &samples);
  CHECK(pcm != NULL);
  if (pcm == NULL) return check_summary("test_frontend_golden");
  voxgate_frontend_config cfg = voxgate_frontend_default_config();
  check_golden("default", cfg, pcm, samples);
  cfg.noise_reduction = 1;
  cfg.pcan = 1;
  check_golden("nr_pcan", cfg, pcm, samples);
  cfg = voxgate_frontend_default_config();
  cfg.window_ms = 25;
  cfg.num_channels = 32;
  cfg.upper_band_hz = 8000;
  check_golden("w25_c32", cfg, pcm, samples);
  free(pcm);
  return check_summary("test_frontend_golden");
}
