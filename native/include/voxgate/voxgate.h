/*
 * voxgate.h - the public C API of voxgate, the only header a C user needs.
 *
 * Usage (audio frontend):
 *
 *   voxgate_frontend_config cfg = voxgate_frontend_default_config();
 *   voxgate_frontend *fe = NULL;
 *   if (voxgate_frontend_create(&cfg, &fe) != VOXGATE_OK) { ... }
 *   int16_t feats[8 * VOXGATE_FRONTEND_MAX_CHANNELS];
 *   size_t used = 0, frames = 0;
 *   while (have_audio) {
 *     // pcm: 16 kHz mono int16, any chunk size.
 *     voxgate_frontend_process(fe, pcm, n, feats, 8, &used, &frames);
 *     // `frames` rows of cfg.num_channels features are in `feats`;
 *     // call again with pcm + used while used < n.
 *   }
 *   voxgate_frontend_destroy(fe);
 *
 * Memory: every object can live in memory the caller owns. `*_state_bytes()`
 * tells the size, `*_init_in(buf, size, ...)` builds the object there and
 * never allocates; `*_create()` is the same over one malloc, released by
 * `*_destroy()`. Nothing allocates after create/init.
 *
 * Threads: objects hold no global state and take no locks. One object may be
 * used by one thread at a time; different objects may be used concurrently.
 *
 * Errors: every call that can fail returns a voxgate_status (0 ok, negative
 * on error); voxgate_status_str() names it and voxgate_last_error() gives a
 * message with details for the calling thread's last failure.
 */
#ifndef VOXGATE_VOXGATE_H_
#define VOXGATE_VOXGATE_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* cdef-begin: the declarations below are also read by the cffi build. */

typedef enum {
  VOXGATE_OK = 0,
  VOXGATE_ERR_ARGUMENT = -1,    /* a NULL pointer, out-of-range value, ... */
  VOXGATE_ERR_MEMORY = -2,      /* allocation failed or buffer too small */
  VOXGATE_ERR_FORMAT = -3,      /* a model file is malformed */
  VOXGATE_ERR_VERSION = -4,     /* a model file has an unknown version */
  VOXGATE_ERR_UNSUPPORTED = -5, /* valid, but this build cannot run it */
  VOXGATE_ERR_IO = -6           /* a file could not be read */
} voxgate_status;

const char* voxgate_status_str(int status);
/* Details of the calling thread's last error ("" if none). */
const char* voxgate_last_error(void);
const char* voxgate_version(void);

/* ---- Audio frontend -------------------------------------------------------
 * 16 kHz mono int16 in; one frame of num_channels int16 features every
 * hop_ms. The first frame is emitted once window_ms of audio has arrived.
 *
 * Stages: Hann window -> 2^k-point fixed-point real FFT -> power spectrum ->
 * triangular mel filterbank -> [noise reduction] -> log2 -> [PCAN].
 *
 * Scale: feature = round(512 * log2(P)), P the mel power of the frame: the
 * sum over FFT bins of w * |X|^2, X the DFT of the Hann-windowed frame with
 * samples in int16 units and w the triangular weight in [0, 1]. P is floored
 * at 2^-10 (feature -5120) and features saturate to int16. With PCAN on, the
 * feature is round(512 * (log2(P) - strength * log2(M + 2^eps_log2))),
 * M the smoothed mel power of that channel. */
#define VOXGATE_FRONTEND_MAX_CHANNELS 128
#define VOXGATE_FRONTEND_FEATURE_SCALE 512

typedef struct {
  int32_t sample_rate_hz;      /* only 16000 */
  int32_t window_ms;           /* 10..64, default 30 */
  int32_t hop_ms;              /* 1..window_ms, default 10 */
  int32_t num_channels;        /* 1..128, default 40 */
  int32_t lower_band_hz;       /* default 125 */
  int32_t upper_band_hz;       /* <= sample_rate_hz / 2, default 7500 */
  int32_t noise_reduction;     /* 0 or 1, default 0 */
  int32_t nr_smoothing_bits;   /* noise estimate update 2^-bits, default 6 */
  int32_t nr_min_signal_q14;   /* floor, fraction of the input, default 0.05 */
  int32_t pcan;                /* 0 or 1, default 0 */
  int32_t pcan_strength_q15;   /* exponent on the smoothed power, 0.95 */
  int32_t pcan_smoothing_bits; /* smoothed power update 2^-bits, default 5 */
  int32_t pcan_eps_log2;       /* offset added to M, as log2, default 10 */
} voxgate_frontend_config;

typedef struct voxgate_frontend voxgate_frontend;

voxgate_frontend_config voxgate_frontend_default_config(void);
/* Checks a config; VOXGATE_ERR_ARGUMENT with a message if it is invalid. */
int voxgate_frontend_config_check(const voxgate_frontend_config* config);
int voxgate_frontend_state_bytes(const voxgate_frontend_config* config,
                                 size_t* out_bytes);
int voxgate_frontend_init_in(const voxgate_frontend_config* config, void* buf,
                             size_t buf_bytes, voxgate_frontend** out);
int voxgate_frontend_create(const voxgate_frontend_config* config,
                            voxgate_frontend** out);
/* Consumes samples until input runs out or `max_frames` frames are written
 * (then it still takes samples that would complete no further frame).
 * *out_consumed: samples used; *out_frames: frames written to `features`
 * (row-major, num_channels per frame). */
int voxgate_frontend_process(voxgate_frontend* fe, const int16_t* samples,
                             size_t num_samples, int16_t* features,
                             size_t max_frames, size_t* out_consumed,
                             size_t* out_frames);
/* Back to the state right after init: empty window, fresh noise estimates. */
int voxgate_frontend_reset(voxgate_frontend* fe);
int voxgate_frontend_num_channels(const voxgate_frontend* fe);
int voxgate_frontend_hop_samples(const voxgate_frontend* fe);
int voxgate_frontend_window_samples(const voxgate_frontend* fe);
void voxgate_frontend_destroy(voxgate_frontend* fe);

/* cdef-end */

#ifdef __cplusplus
}
#endif

#endif /* VOXGATE_VOXGATE_H_ */
