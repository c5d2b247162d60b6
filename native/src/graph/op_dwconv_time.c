/* DWCONV_TIME: depthwise causal convolution over time (one filter per
 * channel), with the same ring of past frames as CONV_TIME. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/dwconv_s8.h"

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st = voxgate_op_need_tensor(info, i, VOXGATE_LIN_WEIGHTS,
                                  VOXGATE_DTYPE_PACKED, 2, "weights");
  if (st != VOXGATE_OK) return st;
  const voxgate_tensor_entry* w = info->tensor[VOXGATE_LIN_WEIGHTS];
  const int32_t kernel = info->entry->args[VOXGATE_LIN_KERNEL];
  const size_t c = info->in_channels[0];
  if (w->dims[0] != kernel || (size_t)w->dims[1] != c)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (DWCONV_TIME): weights [%d, %d] are not "
                        "[kernel %d, %zu channels]",
                        i, w->dims[0], w->dims[1], kernel, c);
  if ((st = voxgate_op_check_linear(info, i, c)) ||
      (st = voxgate_op_time_prepare(info, i,
                                    voxgate_dwconv_s8_scratch_bytes(c))))
    return st;
  info->out_channels = (uint32_t)c;
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  const int8_t** taps = voxgate_op_time_step(info, state, scratch, inputs[0]);
  if (taps == NULL) return 0;
  const size_t kernel = (size_t)info->entry->args[VOXGATE_LIN_KERNEL];
  voxgate_quant_params qp = voxgate_op_linear_qp(info);
  voxgate_dwconv_s8(taps, kernel, info->in_channels[0],
                    info->tensor_data[VOXGATE_LIN_WEIGHTS],
                    (int)info->tensor[VOXGATE_LIN_WEIGHTS]->bits,
                    info->tensor_data[VOXGATE_LIN_BIAS], &qp,
                    (void*)(taps + kernel), output);
  return 1;
}

const voxgate_op_def voxgate_op_dwconv_time = {VOXGATE_OP_DWCONV_TIME,
                                               "DWCONV_TIME",
                                               1,
                                               prepare,
                                               voxgate_op_time_reset,
                                               run};
