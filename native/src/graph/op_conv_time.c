/* CONV_TIME: causal convolution over time, fed one frame per step; the
 * ring of past frames lives in the stream's state. */
#include <string.h>

#include "api/status.h"
#include "graph/ops.h"
#include "kernels/fcp_s8.h"

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
      (st = voxgate_op_time_prepare(info, i, (size_t)kernel * cin + 32)))
    return st;
  info->out_channels = (uint32_t)out;
  /* Gathering the taps makes it an FC over kernel * cin inputs. */
  return voxgate_op_prepare_fcp(info, i, (uint32_t)out,
                                (uint32_t)(kernel * cin));
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  const int8_t** taps = voxgate_op_time_step(info, state, scratch, inputs[0]);
  if (taps == NULL) return 0;
  const size_t kernel = (size_t)info->entry->args[VOXGATE_LIN_KERNEL];
  const size_t cin = info->in_channels[0];
  voxgate_quant_params qp = voxgate_op_linear_qp(info);
  int8_t* window = (int8_t*)(void*)(taps + kernel);
  for (size_t j = 0; j < kernel; ++j) memcpy(window + j * cin, taps[j], cin);
  voxgate_fcp_s8(info->prepared, window, &qp, window + kernel * cin + 32,
                 output);
  return 1;
}

const voxgate_op_def voxgate_op_conv_time = {
    VOXGATE_OP_CONV_TIME,  "CONV_TIME", 1, prepare, voxgate_op_time_reset, run,
    voxgate_op_release_fcp};
