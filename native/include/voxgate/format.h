/*
 * format.h - the voxgate model file (.vgm), specified here and nowhere else.
 * sdk/voxgate/format.py takes every constant, key and struct layout from
 * this header through cffi.
 *
 * A file is little-endian, with every section starting at a multiple of
 * VOXGATE_FORMAT_ALIGN bytes from the start of the file:
 *
 *   header     voxgate_file_header at offset 0
 *   metadata   meta_count  x voxgate_meta_entry   at meta_offset
 *   values     value_count x voxgate_value_entry  at value_offset
 *   tensors    tensor_count x voxgate_tensor_entry at tensor_offset
 *   ops        op_count    x voxgate_op_entry     at op_offset
 *   blob       keys, metadata values and tensor data, each aligned
 *
 * Every offset is absolute (from the start of the file) and every
 * (offset, bytes) range must lie inside file_bytes; a loader rejects a file
 * otherwise. Reserved fields are zero.
 *
 * Metadata: typed key-value pairs. Keys are UTF-8, NUL-terminated, unique.
 * Values: I64 and F64 arrays (count elements), STR (count bytes, no NUL
 * needed), STR_LIST (count NUL-terminated strings back to back, value_bytes
 * in all). Unknown keys are ignored, so minor versions can add keys.
 *
 * Values (the graph's activations): one frame each. Value 0 is the model
 * input, a frame of `channels` samples (int16 frontend features, or int8).
 * Every other value is written by exactly one op, before any op reads it,
 * in file order. The outputs are the values listed in the "outputs" key.
 *
 * Tensors: constant data (weights, biases, requantization multipliers and
 * shifts, tables). dtype S8/S16/S32 hold plain arrays; PACKED holds signed
 * `bits`-bit weights (2..8) as a little-endian bit stream per row: value i
 * of a row occupies bits i*bits .. i*bits+bits-1 counting from bit 0 of the
 * row's first byte, and each row (dims[0] rows of the product of the other
 * dims) starts on a byte boundary. Values lie in [-(2^(bits-1)-1),
 * 2^(bits-1)-1] (symmetric, as TFLite's int8 weights).
 *
 * Ops run in file order once per input frame. An op runs when its first
 * input was written during this frame; ops with a time stride > 1 write
 * their output on every stride-th run only, so everything downstream of
 * them runs at the lower rate. Per-op layouts of `tensors` and `args`
 * follow the op codes below; unused slots are -1 (tensors) or 0 (args).
 */
#ifndef VOXGATE_FORMAT_H_
#define VOXGATE_FORMAT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* cdef-begin */
#define VOXGATE_FORMAT_MAGIC "VXGM"
#define VOXGATE_FORMAT_VERSION_MAJOR 1
#define VOXGATE_FORMAT_VERSION_MINOR 0
#define VOXGATE_FORMAT_ALIGN 16
#define VOXGATE_FORMAT_MAX_INPUTS 4
#define VOXGATE_FORMAT_MAX_TENSORS 8
#define VOXGATE_FORMAT_MAX_ARGS 16
#define VOXGATE_FORMAT_MAX_RANK 4

/* Metadata value types */
#define VOXGATE_META_I64 1
#define VOXGATE_META_F64 2
#define VOXGATE_META_STR 3
#define VOXGATE_META_STR_LIST 4

/* Metadata keys */
#define VOXGATE_KEY_TASK "task"                  /* STR: kws, speaker, pvad */
#define VOXGATE_KEY_NAME "name"                  /* STR */
#define VOXGATE_KEY_OUTPUTS "outputs"            /* I64[]: value indices */
#define VOXGATE_KEY_SAMPLE_RATE "sample_rate_hz" /* I64 */
#define VOXGATE_KEY_FRONTEND \
  "frontend" /* I64[13]: voxgate_frontend_config fields in order */
#define VOXGATE_KEY_INPUT_QUANT \
  "input_quant" /* F64[2]: scale, zero point of value 0 */
#define VOXGATE_KEY_LABELS                          \
  "labels" /* STR_LIST: one per channel of output 0 \
            */
#define VOXGATE_KEY_THRESHOLDS "thresholds" /* F64[]: default per label */
/* The detection rule the thresholds were set for: a causal moving average of
 * each label's score over this many output frames (zero history after a
 * reset) fires when >= its threshold, then not again for refractory_ms.
 * Absent (models up to kws-tcn-w4a8-v1.7): 3 frames, 1000 ms. */
#define VOXGATE_KEY_SMOOTH_FRAMES "smooth_frames" /* I64 */
#define VOXGATE_KEY_REFRACTORY_MS "refractory_ms" /* I64 */
#define VOXGATE_KEY_OUTPUT_SCALES \
  "output_scales"                     /* F64[2 * outputs]: scale, zero point */
#define VOXGATE_KEY_LICENSE "license" /* STR */
#define VOXGATE_KEY_CREATED_BY "created_by" /* STR */

/* dtypes of values and tensors */
#define VOXGATE_DTYPE_S8 1
#define VOXGATE_DTYPE_S16 2
#define VOXGATE_DTYPE_S32 3
#define VOXGATE_DTYPE_PACKED 4

/* Op codes. tensors[] and args[] per op:
 *
 * QUANTIZE: int16 (or int8) frame -> int8, y = clamp(requant(x - args0,
 *   args2, args3) + args1). args: in_zp, out_zp, mult, shift, act_min,
 *   act_max. No tensors.
 * FC: fully connected (also pointwise conv). tensors: weights PACKED
 *   [out, in], bias S32 [out] or -1, mult S32 [out], shift S32 [out].
 *   args: in_zp, out_zp, act_min, act_max.
 * CONV_TIME: causal conv over time. tensors as FC with weights
 *   [out, kernel, in]. args: in_zp, out_zp, act_min, act_max, kernel,
 *   dilation, stride. The taps are input frames t - (kernel-1-j)*dilation,
 *   j = 0..kernel-1 (oldest first); frames before the stream start are
 *   in_zp (zero in real terms).
 * DWCONV_TIME: depthwise causal conv over time. tensors: weights PACKED
 *   [kernel, channels] (tap-major), bias, mult, shift (per channel). args
 *   as CONV_TIME.
 * ADD: y = a + b as TFLite int8 ADD. inputs a, b. args: a_zp, a_mult,
 *   a_shift, b_zp, b_mult, b_shift, out_mult, out_shift, out_zp, act_min,
 *   act_max, left_shift.
 * AVGPOOL_TIME / MAXPOOL_TIME: over `kernel` frames. args: zp, act_min,
 *   act_max, kernel, stride.
 * LUT: y = table[x + 128]. tensors: table S8 [256].
 * SOFTMAX: output scale 1/256, zero point -128 (as TFLite). tensors:
 *   exp table S32 [256], table[d] = round(2^20 exp(-beta * in_scale * d)).
 *   No args. Recipe in softmax_s8.h.
 * STATPOOL: running mean and standard deviation over the whole stream,
 *   output [means, stds] (2 x channels). args: the fields of
 *   voxgate_statpool_s8_params in order (in_zp, mean_zp, std_zp,
 *   mean_mult, mean_shift, std_mult, std_shift); statpool_s8.h.
 * MUL: inputs a, b. args: the fields of voxgate_mul_s8_params in order
 *   (a_zp, b_zp, out_zp, mult, shift, act_min, act_max); mul_s8.h.
 * FILM: inputs x, gamma, beta. args: the fields of voxgate_film_s8_params
 *   in order (x_zp, gamma_zp, beta_zp, out_zp, xg_mult, xg_shift,
 *   beta_mult, beta_shift, act_min, act_max); film_s8.h.
 * GRU: integer GRU cell (gate order z, r, n; Keras reset_after). tensors:
 *   w_x S8 [3H, I], w_h S8 [3H, H], bias S32 [2, 3H] (x then h) or -1,
 *   requant S32 [4, 3H] (mult_x, shift_x, mult_h, shift_h), tables S8
 *   [3, 256] (z, r, n). args: x_zp, z_zp, r_zp, n_zp. Recipe in gru_s8.h;
 *   output scale 1/128, zero point 0.
 */
#define VOXGATE_OP_QUANTIZE 1
#define VOXGATE_OP_FC 2
#define VOXGATE_OP_CONV_TIME 3
#define VOXGATE_OP_DWCONV_TIME 4
#define VOXGATE_OP_ADD 5
#define VOXGATE_OP_AVGPOOL_TIME 6
#define VOXGATE_OP_MAXPOOL_TIME 7
#define VOXGATE_OP_LUT 8
#define VOXGATE_OP_SOFTMAX 9
#define VOXGATE_OP_STATPOOL 10
#define VOXGATE_OP_GRU 11
#define VOXGATE_OP_FILM 12
#define VOXGATE_OP_MUL 13

typedef struct {
  char magic[4];          /* VOXGATE_FORMAT_MAGIC, no NUL */
  uint16_t version_major; /* a loader rejects any other major */
  uint16_t version_minor; /* newer minors only add metadata keys */
  uint32_t header_bytes;  /* sizeof(voxgate_file_header) */
  uint32_t flags;         /* 0 */
  uint64_t file_bytes;    /* the whole file */
  uint32_t meta_count;
  uint32_t value_count;
  uint32_t tensor_count;
  uint32_t op_count;
  uint64_t meta_offset;
  uint64_t value_offset;
  uint64_t tensor_offset;
  uint64_t op_offset;
} voxgate_file_header; /* 72 bytes */

typedef struct {
  uint64_t key_offset; /* NUL-terminated key */
  uint64_t value_offset;
  uint64_t value_bytes;
  uint32_t key_bytes; /* including the NUL */
  uint32_t type;      /* VOXGATE_META_* */
  uint32_t count;     /* elements; bytes for STR; strings for STR_LIST */
  uint32_t reserved;
} voxgate_meta_entry; /* 40 bytes */

typedef struct {
  uint32_t dtype;      /* S8 or S16 (value 0 only) */
  uint32_t channels;   /* samples per frame */
  int32_t zero_point;  /* for readers; ops carry their own */
  float scale;         /* for readers; the engine never uses floats */
} voxgate_value_entry; /* 16 bytes */

typedef struct {
  uint64_t data_offset;
  uint64_t data_bytes;
  uint32_t dtype; /* VOXGATE_DTYPE_* */
  uint32_t bits;  /* 2..8 for PACKED, else 8 * element size */
  uint32_t rank;  /* 1..VOXGATE_FORMAT_MAX_RANK */
  uint32_t reserved;
  int32_t dims[4];      /* unused dims are 1 */
} voxgate_tensor_entry; /* 48 bytes */

typedef struct {
  uint32_t type; /* VOXGATE_OP_* */
  uint32_t num_inputs;
  uint32_t inputs[4]; /* value indices */
  uint32_t output;    /* value index */
  uint32_t reserved;
  int32_t tensors[8]; /* tensor indices, -1 unused */
  int32_t args[16];
} voxgate_op_entry; /* 128 bytes */
/* cdef-end */

#ifdef __cplusplus
}
#endif

#endif /* VOXGATE_FORMAT_H_ */
