/* Models and streams from C: load errors, caller-owned stream memory,
 * identical results from create and init_in, reset, and no allocation
 * needed after init. Run from the repository root (reads tests/data). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "voxgate/voxgate.h"

#define MODEL "tests/data/models/fc_w4.vgm"

static void run(voxgate_stream* s, int8_t* out, int frames) {
  int16_t frame[40];
  for (int t = 0; t < frames; ++t) {
    for (int c = 0; c < 40; ++c)
      frame[c] = (int16_t)((t * 37 + c * 101) % 9000);
    uint32_t updated = 0;
    CHECK(voxgate_stream_accept_frame(s, frame, &updated) == VOXGATE_OK);
    CHECK(updated == 1u);
    CHECK(voxgate_stream_read_output(s, 0, out + 3 * t, 3) == VOXGATE_OK);
  }
}

int main(void) {
  voxgate_model* m = NULL;
  CHECK(voxgate_model_load_file("tests/data/models/nope.vgm", &m) ==
        VOXGATE_ERR_IO);
  CHECK(m == NULL);
  CHECK(voxgate_model_load_file("tests/data/models/bad/bad_magic.vgm", &m) ==
        VOXGATE_ERR_FORMAT);
  CHECK(strstr(voxgate_last_error(), "bad magic") != NULL);
  CHECK(voxgate_model_load_file(MODEL, &m) == VOXGATE_OK);
  if (m == NULL) return check_summary("test_stream");
  CHECK(voxgate_model_input_channels(m) == 40);
  CHECK(voxgate_model_num_outputs(m) == 1);
  CHECK(voxgate_model_output_channels(m, 0) == 3);
  CHECK(voxgate_model_output_channels(m, 1) == VOXGATE_ERR_ARGUMENT);

  voxgate_stream *a = NULL, *b = NULL;
  CHECK(voxgate_stream_create(m, &a) == VOXGATE_OK);
  size_t need = 0;
  CHECK(voxgate_stream_state_bytes(m, &need) == VOXGATE_OK);
  unsigned char* buf = malloc(need + 3);
  CHECK(voxgate_stream_init_in(m, buf + 3, need - 1, &b) == VOXGATE_ERR_MEMORY);
  CHECK(voxgate_stream_init_in(m, buf + 3, need, &b) == VOXGATE_OK);

  int8_t out_a[3 * 20], out_b[3 * 20], again[3 * 20];
  run(a, out_a, 20);
  run(b, out_b, 20);
  CHECK(memcmp(out_a, out_b, sizeof out_a) == 0);
  CHECK(voxgate_stream_frames(a) == 20);
  CHECK(voxgate_stream_reset(a) == VOXGATE_OK);
  CHECK(voxgate_stream_frames(a) == 0);
  run(a, again, 20);
  CHECK(memcmp(out_a, again, sizeof out_a) == 0);

  int8_t small[2];
  CHECK(voxgate_stream_read_output(a, 0, small, 2) == VOXGATE_ERR_MEMORY);
  CHECK(voxgate_stream_accept_waveform(a, NULL, 0, NULL, NULL) ==
        VOXGATE_ERR_UNSUPPORTED);

  /* Borrowed buffers: aligned ones load in place, misaligned are refused. */
  FILE* f = fopen(MODEL, "rb");
  CHECK(f != NULL);
  unsigned char* raw = malloc(1 << 16);
  size_t got = f ? fread(raw + 16, 1, (1 << 16) - 16, f) : 0;
  if (f) fclose(f);
  voxgate_model* borrowed = NULL;
  CHECK(voxgate_model_load_buffer(raw + 16, got, 0, &borrowed) == VOXGATE_OK);
  voxgate_model_free(borrowed);
  memmove(raw + 17, raw + 16, got);
  CHECK(voxgate_model_load_buffer(raw + 17, got, 0, &borrowed) ==
        VOXGATE_ERR_ARGUMENT);
  CHECK(voxgate_model_load_buffer(raw + 17, got, 1, &borrowed) == VOXGATE_OK);
  voxgate_model_free(borrowed);
  free(raw);

  voxgate_stream_destroy(b); /* caller-owned: frees nothing */
  free(buf);
  voxgate_stream_destroy(a);
  voxgate_model_free(m);
  return check_summary("test_stream");
}
