/* CONV_TIME: causal convolution over time, fed one frame per step; the
 * ring of past frames lives in the stream's state. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/conv_time_s8.h"

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st = voxgate_op_need_tensor(info, i, VOXGATE_LIN_WEIGHTS,
                                  VOXGATE_DTYPE_PACKED, 3, "weights");
  if (st != VOXGATE_OK) return st;
  const voxgate_tensor_entry* w = info->tensor[VOXGATE_LIN_WEIGHTS];
  const int32_t kernel = info->entry->args[VOXGATE_LIN_KERNEL];
  const size_t cin = info->in_channels[0];
  if (w->dims[1] != kernel || (size_t)w->dims[2] != cin)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (CONV_TIME): weights [%d, %d, %d] do not fit "
                        "kernel %d over %zu channels",
                        i, w->dims[0], w->dims[1], w->dims[2], kernel, cin);
  if ((int64_t)w->dims[1] * w->dims[2] > VOXGATE_MAX_DOT)
    return voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                        "op %u (CONV_TIME): kernel x channels above %d", i,
                        VOXGATE_MAX_DOT);
  const size_t out = (size_t)w->dims[0];
  if ((st = voxgate_op_check_linear(info, i, out)) ||
      (st = voxgate_op_time_prepare(
           info, i, voxgate_conv_time_s8_scratch_bytes((size_t)kernel, cin))))
    return st;
  info->out_channels = (uint32_t)out;
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  const int8_t** taps = voxgate_op_time_step(info, state, scratch, inputs[0]);
  if (taps == NULL) return 0;
  const size_t kernel = (size_t)info->entry->args[VOXGATE_LIN_KERNEL];
  voxgate_quant_params qp = voxgate_op_linear_qp(info);
  voxgate_conv_time_s8(taps, kernel, info->in_channels[0],
                       info->tensor_data[VOXGATE_LIN_WEIGHTS],
                       (int)info->tensor[VOXGATE_LIN_WEIGHTS]->bits,
                       info->tensor_data[VOXGATE_LIN_BIAS], info->out_channels,
                       &qp, (void*)(taps + kernel), output);
  return 1;
}

const voxgate_op_def voxgate_op_conv_time = {
    VOXGATE_OP_CONV_TIME, "CONV_TIME", 1, prepare, voxgate_op_time_reset, run};
