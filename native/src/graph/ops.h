/* Internal: the op interface of the graph runner. Each op lives in its own
 * op_<name>.c and registers a voxgate_op_def in ops_registry.c. */
#ifndef VOXGATE_GRAPH_OPS_H_
#define VOXGATE_GRAPH_OPS_H_

#include "graph/model.h"
#include "kernels/quant_params.h"

typedef struct voxgate_op_def {
  uint32_t type;
  const char* name;
  uint32_t num_inputs; /* exact count */
  /* Checks tensors, args and channels (info->in_channels is set) and sets
   * info->out_channels, state_bytes, scratch_bytes. Returns a status with a
   * message (voxgate_fail) naming the op index. */
  int (*prepare)(voxgate_op_info* info, uint32_t op_index);
  /* Puts state back to the start of a stream (may be NULL if stateless). */
  void (*reset)(const voxgate_op_info* info, void* state);
  /* One step. Returns 1 when it wrote `output`, 0 when it only updated its
   * state (a strided op between outputs). */
  int (*run)(const voxgate_op_info* info, void* state, void* scratch,
             const void* const* inputs, void* output);
  /* Frees info->prepared (may be NULL when the op prepares nothing). */
  void (*release)(voxgate_op_info* info);
} voxgate_op_def;

/* Most products summed into one int32 accumulator: 2^15 * 255 * 127 plus a
 * bias of 2^30 stays below 2^31. */
#define VOXGATE_MAX_DOT 32768

const voxgate_op_def* voxgate_op_find(uint32_t type);

/* Helpers for prepare(): each returns VOXGATE_OK or a failed status with a
 * message. */
int voxgate_op_need_tensor(const voxgate_op_info* info, uint32_t op_index,
                           int slot, uint32_t dtype, uint32_t rank,
                           const char* what);
int voxgate_op_check_arg(const voxgate_op_info* info, uint32_t op_index,
                         int slot, int32_t lo, int32_t hi, const char* what);
/* An optional S32 bias of `count` entries (slot -1 in the file is fine). */
int voxgate_op_check_bias(const voxgate_op_info* info, uint32_t op_index,
                          int slot, size_t count);
/* Zero points in int8 range and act_min <= act_max within int8. */
int voxgate_op_check_io_args(const voxgate_op_info* info, uint32_t op_index,
                             int in_zp, int out_zp, int act_min, int act_max);
int voxgate_op_check_requant(const voxgate_op_info* info, uint32_t op_index,
                             int mult_slot, int shift_slot, size_t count);

/* FC, CONV_TIME and DWCONV_TIME share one layout: tensors weights, bias,
 * mult, shift; args in_zp, out_zp, act_min, act_max, then (time ops)
 * kernel, dilation, stride. */
enum {
  VOXGATE_LIN_WEIGHTS,
  VOXGATE_LIN_BIAS,
  VOXGATE_LIN_MULT,
  VOXGATE_LIN_SHIFT
};
enum {
  VOXGATE_LIN_IN_ZP,
  VOXGATE_LIN_OUT_ZP,
  VOXGATE_LIN_ACT_MIN,
  VOXGATE_LIN_ACT_MAX,
  VOXGATE_LIN_KERNEL,
  VOXGATE_LIN_DILATION,
  VOXGATE_LIN_STRIDE
};

/* Bias, multipliers/shifts (`channels` each) and the in/out args of that
 * layout. */
int voxgate_op_check_linear(const voxgate_op_info* info, uint32_t op_index,
                            size_t channels);
/* The kernels' quant params from that layout. */
voxgate_quant_params voxgate_op_linear_qp(const voxgate_op_info* info);
/* FC and CONV_TIME: rearranges the weights for the fast kernel into
 * info->prepared (fcp_s8.h) and adds its scratch. */
int voxgate_op_prepare_fcp(voxgate_op_info* info, uint32_t op_index,
                           uint32_t out_dim, uint32_t in_dim);
void voxgate_op_release_fcp(voxgate_op_info* info);
/* Time ops: checks kernel, dilation and stride, sizes the ring of past
 * frames (state) and the tap pointers (scratch, before `extra` bytes). */
int voxgate_op_time_prepare(voxgate_op_info* info, uint32_t op_index,
                            size_t extra_scratch);
void voxgate_op_time_reset(const voxgate_op_info* info, void* state);
/* Pushes the input frame; returns the taps (oldest first) when this frame
 * completes a stride, else NULL. */
const int8_t** voxgate_op_time_step(const voxgate_op_info* info, void* state,
                                    void* scratch, const void* frame);

#endif
