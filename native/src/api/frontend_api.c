/* The frontend functions voxgate.h declares: config checks, memory layout
 * and the streaming loop. */
#include <stdlib.h>
#include <string.h>

#include "api/status.h"
#include "frontend/fft_util.h"
#include "frontend/filterbank_util.h"
#include "frontend/frontend.h"
#include "frontend/window_util.h"

voxgate_frontend_config voxgate_frontend_default_config(void) {
  voxgate_frontend_config c;
  c.sample_rate_hz = 16000;
  c.window_ms = 30;
  c.hop_ms = 10;
  c.num_channels = 40;
  c.lower_band_hz = 125;
  c.upper_band_hz = 7500;
  c.noise_reduction = 0;
  c.nr_smoothing_bits = 6;
  c.nr_min_signal_q14 = 819; /* 0.05 */
  c.pcan = 0;
  c.pcan_strength_q15 = 31130; /* 0.95 */
  c.pcan_smoothing_bits = 5;
  c.pcan_eps_log2 = 10;
  return c;
}

#define CHECK_RANGE(field, lo, hi)                 \
  if (c->field < (lo) || c->field > (hi))          \
    return voxgate_fail(VOXGATE_ERR_ARGUMENT,      \
                        "frontend config: " #field \
                        " = %ld, must be in "      \
                        "[%ld, %ld]",              \
                        (long)c->field, (long)(lo), (long)(hi));

int voxgate_frontend_config_check(const voxgate_frontend_config* c) {
  if (c == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "frontend config is NULL");
  if (c->sample_rate_hz != 16000)
    return voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                        "frontend config: sample_rate_hz = %ld, only 16000 "
                        "is supported",
                        (long)c->sample_rate_hz);
  CHECK_RANGE(window_ms, 10, 64);
  CHECK_RANGE(hop_ms, 1, c->window_ms);
  CHECK_RANGE(num_channels, 1, VOXGATE_FRONTEND_MAX_CHANNELS);
  CHECK_RANGE(lower_band_hz, 0, c->sample_rate_hz / 2 - 1);
  CHECK_RANGE(upper_band_hz, c->lower_band_hz + 1, c->sample_rate_hz / 2);
  CHECK_RANGE(noise_reduction, 0, 1);
  CHECK_RANGE(nr_smoothing_bits, 1, 16);
  CHECK_RANGE(nr_min_signal_q14, 0, 16384);
  CHECK_RANGE(pcan, 0, 1);
  CHECK_RANGE(pcan_strength_q15, 0, 32768);
  CHECK_RANGE(pcan_smoothing_bits, 1, 16);
  CHECK_RANGE(pcan_eps_log2, 0, 40);
  return VOXGATE_OK;
}

static size_t window_samples(const voxgate_frontend_config* c) {
  return (size_t)c->sample_rate_hz * (size_t)c->window_ms / 1000;
}

/* One pass that lays out (and, with a real arena, builds) a frontend. */
static int populate(const voxgate_frontend_config* c, voxgate_arena* arena,
                    voxgate_frontend* fe) {
  voxgate_window_config wc;
  wc.size_samples = window_samples(c);
  wc.step_samples = (size_t)c->sample_rate_hz * (size_t)c->hop_ms / 1000;
  const size_t fft_size = voxgate_fft_size_for(wc.size_samples);
  voxgate_filterbank_config fc;
  fc.num_channels = (size_t)c->num_channels;
  fc.fft_size = fft_size;
  fc.sample_rate_hz = c->sample_rate_hz;
  fc.lower_band_hz = c->lower_band_hz;
  fc.upper_band_hz = c->upper_band_hz;
  const size_t n = fc.num_channels;

  voxgate_window_populate(&wc, arena, &fe->window);
  voxgate_fft_populate(fft_size, arena, &fe->fft);
  if (voxgate_filterbank_populate(&fc, arena, &fe->filterbank) != 0)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT,
                        "frontend config: %zu channels between %ld and %ld "
                        "Hz leave a channel with no FFT bin; use fewer",
                        n, (long)c->lower_band_hz, (long)c->upper_band_hz);
  fe->noise.num_channels = n;
  fe->noise.smoothing_bits = c->nr_smoothing_bits;
  fe->noise.min_signal_q14 = c->nr_min_signal_q14;
  fe->noise.estimate = voxgate_arena_take(arena, n * sizeof(uint64_t));
  fe->pcan.num_channels = n;
  fe->pcan.smoothing_bits = c->pcan_smoothing_bits;
  fe->pcan.strength_q15 = c->pcan_strength_q15;
  fe->pcan.eps = (uint64_t)1
                 << (c->pcan_eps_log2 + 2 * VOXGATE_WINDOW_EXTRA_BITS);
  fe->pcan.log2_offset_q16 = (2 * VOXGATE_WINDOW_EXTRA_BITS) << 16;
  fe->pcan.smoothed = voxgate_arena_take(arena, n * sizeof(uint64_t));
  fe->log2_q16 = voxgate_arena_take(arena, n * sizeof(int32_t));
  fe->config = *c;
  fe->owned = NULL;
  return VOXGATE_OK;
}

int voxgate_frontend_state_bytes(const voxgate_frontend_config* c,
                                 size_t* out_bytes) {
  if (out_bytes == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "out_bytes is NULL");
  int st = voxgate_frontend_config_check(c);
  if (st != VOXGATE_OK) return st;
  voxgate_arena arena = {NULL, 0, 0};
  voxgate_frontend scratch;
  memset(&scratch, 0, sizeof scratch);
  voxgate_arena_take(&arena, sizeof(voxgate_frontend));
  populate(c, &arena, &scratch);
  /* Room to align an arbitrary caller buffer. */
  *out_bytes = arena.used + VOXGATE_ARENA_ALIGN;
  return VOXGATE_OK;
}

int voxgate_frontend_init_in(const voxgate_frontend_config* c, void* buf,
                             size_t buf_bytes, voxgate_frontend** out) {
  if (buf == NULL || out == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "buf or out is NULL");
  *out = NULL;
  size_t need = 0;
  int st = voxgate_frontend_state_bytes(c, &need);
  if (st != VOXGATE_OK) return st;
  if (buf_bytes < need)
    return voxgate_fail(VOXGATE_ERR_MEMORY,
                        "frontend needs %zu bytes, buffer has %zu", need,
                        buf_bytes);
  uintptr_t addr = (uintptr_t)buf;
  size_t pad =
      (VOXGATE_ARENA_ALIGN - addr % VOXGATE_ARENA_ALIGN) % VOXGATE_ARENA_ALIGN;
  voxgate_arena arena = {(uint8_t*)buf + pad, 0, buf_bytes - pad};
  memset(arena.base, 0, need - VOXGATE_ARENA_ALIGN);
  voxgate_frontend* fe = voxgate_arena_take(&arena, sizeof(voxgate_frontend));
  st = populate(c, &arena, fe);
  if (st != VOXGATE_OK) return st;
  voxgate_frontend_reset(fe);
  *out = fe;
  return VOXGATE_OK;
}

int voxgate_frontend_create(const voxgate_frontend_config* c,
                            voxgate_frontend** out) {
  if (out == NULL) return voxgate_fail(VOXGATE_ERR_ARGUMENT, "out is NULL");
  *out = NULL;
  size_t need = 0;
  int st = voxgate_frontend_state_bytes(c, &need);
  if (st != VOXGATE_OK) return st;
  void* block = malloc(need);
  if (block == NULL)
    return voxgate_fail(VOXGATE_ERR_MEMORY, "malloc(%zu) failed", need);
  st = voxgate_frontend_init_in(c, block, need, out);
  if (st != VOXGATE_OK) {
    free(block);
    return st;
  }
  (*out)->owned = block;
  return VOXGATE_OK;
}

int voxgate_frontend_process(voxgate_frontend* fe, const int16_t* samples,
                             size_t num_samples, int16_t* features,
                             size_t max_frames, size_t* out_consumed,
                             size_t* out_frames) {
  if (fe == NULL || out_consumed == NULL || out_frames == NULL ||
      (samples == NULL && num_samples > 0) ||
      (features == NULL && max_frames > 0))
    return voxgate_fail(VOXGATE_ERR_ARGUMENT,
                        "frontend_process: NULL argument");
  size_t used = 0, frames = 0;
  const size_t channels = (size_t)fe->config.num_channels;
  while (used < num_samples) {
    /* With the output full, still take audio that completes no frame, so
     * a caller that sized `features` for this call never has leftovers. */
    const size_t need = fe->window.size - fe->window.input_used;
    if (frames == max_frames && num_samples - used >= need) break;
    size_t read = 0;
    int ready = voxgate_window_process(&fe->window, samples + used,
                                       num_samples - used, &read);
    used += read;
    if (ready) {
      voxgate_frontend_compute_frame(fe, features + frames * channels);
      ++frames;
    }
  }
  *out_consumed = used;
  *out_frames = frames;
  return VOXGATE_OK;
}

int voxgate_frontend_reset(voxgate_frontend* fe) {
  if (fe == NULL) return voxgate_fail(VOXGATE_ERR_ARGUMENT, "fe is NULL");
  voxgate_window_reset(&fe->window);
  voxgate_fft_reset(&fe->fft);
  voxgate_noise_reduction_reset(&fe->noise);
  voxgate_pcan_reset(&fe->pcan);
  return VOXGATE_OK;
}

int voxgate_frontend_num_channels(const voxgate_frontend* fe) {
  return fe ? fe->config.num_channels : VOXGATE_ERR_ARGUMENT;
}
int voxgate_frontend_hop_samples(const voxgate_frontend* fe) {
  return fe ? (int)fe->window.step : VOXGATE_ERR_ARGUMENT;
}
int voxgate_frontend_window_samples(const voxgate_frontend* fe) {
  return fe ? (int)fe->window.size : VOXGATE_ERR_ARGUMENT;
}

void voxgate_frontend_destroy(voxgate_frontend* fe) {
  if (fe != NULL && fe->owned != NULL) free(fe->owned);
}
