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

/* ---- Models and streams ----------------------------------------------------
 * A voxgate_model is immutable once loaded and may be shared by any number
 * of streams and threads. A voxgate_stream holds one audio stream's state
 * (frontend, ring buffers, recurrent state, activations) and belongs to one
 * thread at a time. The model must outlive its streams; a model loaded from
 * a borrowed buffer needs that buffer to outlive it. */
typedef struct voxgate_model voxgate_model;
typedef struct voxgate_stream voxgate_stream;

/* Reads and validates a .vgm file (see voxgate/format.h). */
int voxgate_model_load_file(const char* path, voxgate_model** out);
/* From memory. copy = 0 borrows `data` (e.g. flash; it must stay valid and
 * 16-byte aligned), copy = 1 takes a private copy. */
int voxgate_model_load_buffer(const void* data, size_t bytes, int copy,
                              voxgate_model** out);
void voxgate_model_free(voxgate_model* model);

/* Metadata lookup: *out_type is VOXGATE_META_*, *out_data points into the
 * model (little-endian i64/f64 arrays, or bytes); VOXGATE_ERR_ARGUMENT if
 * the key is absent. */
int voxgate_model_meta(const voxgate_model* model, const char* key,
                       uint32_t* out_type, uint32_t* out_count,
                       const void** out_data, size_t* out_bytes);
int voxgate_model_meta_count(const voxgate_model* model);
/* The key of metadata entry i (0 <= i < meta_count), or NULL. */
const char* voxgate_model_meta_key(const voxgate_model* model, int index);
int voxgate_model_input_channels(const voxgate_model* model);
int voxgate_model_input_dtype(const voxgate_model* model);
int voxgate_model_num_outputs(const voxgate_model* model);
/* Channels of output i (its values are int8). */
int voxgate_model_output_channels(const voxgate_model* model, int index);
int voxgate_model_num_ops(const voxgate_model* model);

int voxgate_stream_state_bytes(const voxgate_model* model, size_t* out_bytes);
int voxgate_stream_init_in(const voxgate_model* model, void* buf,
                           size_t buf_bytes, voxgate_stream** out);
int voxgate_stream_create(const voxgate_model* model, voxgate_stream** out);
/* Steps the graph by one input frame (input_channels int16 or int8 values,
 * per voxgate_model_input_dtype). *out_updated: bit i set when output i was
 * written by this step (strided models update outputs every few frames). */
int voxgate_stream_accept_frame(voxgate_stream* stream, const void* frame,
                                uint32_t* out_updated);
/* Copies output `index` (its latest frame) into out[0..channels). */
int voxgate_stream_read_output(const voxgate_stream* stream, int index,
                               int8_t* out, size_t capacity);
/* Called once per updated output frame by accept_waveform/accept_frames. */
typedef void (*voxgate_output_fn)(void* user_data, uint64_t frame, int output,
                                  const int8_t* values, size_t channels);
/* Steps over num_frames consecutive frames; the callback (may be NULL) sees
 * every output update. Identical to calling accept_frame in a loop. */
int voxgate_stream_accept_frames(voxgate_stream* stream, const void* frames,
                                 size_t num_frames, voxgate_output_fn fn,
                                 void* user_data);
/* Audio in: runs the model's own frontend (from its "frontend" metadata,
 * int16 input models only) and steps once per feature frame. */
int voxgate_stream_accept_waveform(voxgate_stream* stream,
                                   const int16_t* samples, size_t num_samples,
                                   voxgate_output_fn fn, void* user_data);
/* Frames stepped since create/reset. */
uint64_t voxgate_stream_frames(const voxgate_stream* stream);
int voxgate_stream_reset(voxgate_stream* stream);
void voxgate_stream_destroy(voxgate_stream* stream);

/* cdef-end */

#ifdef __cplusplus
}
#endif

#endif /* VOXGATE_VOXGATE_H_ */
