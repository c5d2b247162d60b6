/* DWCONV_TIME: depthwise causal convolution over time (one filter per
 * channel), with the same ring of past frames as CONV_TIME. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/dwp_s8.h"

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
      (st = voxgate_op_time_prepare(info, i, 0)))
    return st;
  info->out_channels = (uint32_t)c;
  /* Unpacked, zero point folded, SIMD order: tiny next to the FC weights. */
  info->prepared = voxgate_dwp_create(
      info->tensor_data[VOXGATE_LIN_WEIGHTS], (int)w->bits,
      info->tensor_data[VOXGATE_LIN_BIAS], info->entry->args[VOXGATE_LIN_IN_ZP],
      info->tensor_data[VOXGATE_LIN_MULT], info->tensor_data[VOXGATE_LIN_SHIFT],
      (uint32_t)kernel, (uint32_t)c);
  if (info->prepared == NULL)
    return voxgate_fail(VOXGATE_ERR_MEMORY,
                        "op %u (DWCONV_TIME): out of memory", i);
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  const int8_t** taps = voxgate_op_time_step(info, state, scratch, inputs[0]);
  if (taps == NULL) return 0;
  voxgate_quant_params qp = voxgate_op_linear_qp(info);
  voxgate_dwp_s8(info->prepared, taps, &qp, output);
  return 1;
}

static void release(voxgate_op_info* info) {
  voxgate_dwp_free(info->prepared);
  info->prepared = NULL;
}

const voxgate_op_def voxgate_op_dwconv_time = {
    VOXGATE_OP_DWCONV_TIME, "DWCONV_TIME", 1,      prepare,
    voxgate_op_time_reset,  run,           release};
