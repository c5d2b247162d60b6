/* Internal: a loaded model and what load derives from it (per-op info and
 * the stream memory plan). */
#ifndef VOXGATE_GRAPH_MODEL_H_
#define VOXGATE_GRAPH_MODEL_H_

#include <stddef.h>
#include <stdint.h>

#include "voxgate/format.h"
#include "voxgate/voxgate.h"

#define VOXGATE_MAX_OUTPUTS 8
#define VOXGATE_MAX_VALUES 4096
#define VOXGATE_MAX_OPS 4096
#define VOXGATE_MAX_TENSORS 16384
#define VOXGATE_MAX_META 1024
#define VOXGATE_MAX_CHANNELS 65535

/* What load resolves and checks for one op; the op's own prepare() fills
 * state/scratch needs and may cache parsed arguments in `cache`. */
typedef struct {
  const voxgate_op_entry* entry;
  const struct voxgate_op_def* def;
  const voxgate_tensor_entry* tensor[VOXGATE_FORMAT_MAX_TENSORS];
  const void* tensor_data[VOXGATE_FORMAT_MAX_TENSORS];
  uint32_t in_channels[VOXGATE_FORMAT_MAX_INPUTS];
  uint32_t in_dtype[VOXGATE_FORMAT_MAX_INPUTS];
  uint32_t out_channels;
  size_t state_bytes;   /* per-stream, persistent (rings, RNN state) */
  size_t scratch_bytes; /* per-stream, only during run() */
  size_t state_offset;  /* in the stream's state area */
  int32_t cache[8];     /* op-specific values derived at load */
  /* Op-owned data derived at load (rearranged weights), freed with the
   * model through def->release. */
  void* prepared;
  /* Set by voxgate_model_fuse when the next op, an ADD, runs inside this
   * one: that ADD's args. */
  const int32_t* fused_add;
} voxgate_op_info;

struct voxgate_model {
  const uint8_t* data;
  size_t bytes;
  void* owned; /* the copy, when loaded from a file or with copy = 1 */
  const voxgate_file_header* header;
  const voxgate_meta_entry* meta;
  const voxgate_value_entry* values;
  const voxgate_tensor_entry* tensors;
  const voxgate_op_entry* ops;
  voxgate_op_info* op_info; /* op_count entries */
  uint32_t num_outputs;
  uint32_t outputs[VOXGATE_MAX_OUTPUTS];
  /* Memory plan: each value's offset in the activation area. */
  size_t* value_offset;
  size_t activation_bytes;
  size_t state_bytes;   /* sum of op states */
  size_t scratch_bytes; /* max over ops */
  int has_frontend;
  voxgate_frontend_config frontend;
};

/* The tensor's element count (product of dims). */
size_t voxgate_tensor_elements(const voxgate_tensor_entry* t);
/* Bytes of one value frame. */
size_t voxgate_value_frame_bytes(const voxgate_value_entry* v);

/* Fuses ops at load (fuse.c); before the plan, which depends on it. */
void voxgate_model_fuse(voxgate_model* m);
/* Plans activation memory (plan.c). */
int voxgate_model_plan(voxgate_model* m);

#endif
