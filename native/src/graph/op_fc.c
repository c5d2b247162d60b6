/* FC: fully connected over one frame (also the pointwise conv). */
#include <string.h>

#include "api/status.h"
#include "graph/ops.h"
#include "kernels/fcp_s8.h"

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st = voxgate_op_need_tensor(info, i, VOXGATE_LIN_WEIGHTS,
                                  VOXGATE_DTYPE_PACKED, 2, "weights");
  if (st != VOXGATE_OK) return st;
  const voxgate_tensor_entry* w = info->tensor[VOXGATE_LIN_WEIGHTS];
  if ((uint32_t)w->dims[1] != info->in_channels[0])
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (FC): weights take %d inputs, input has %u", i,
                        w->dims[1], info->in_channels[0]);
  if (w->dims[1] > VOXGATE_MAX_DOT)
    return voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                        "op %u (FC): %d inputs, at most %d", i, w->dims[1],
                        VOXGATE_MAX_DOT);
  const size_t out = (size_t)w->dims[0];
  if ((st = voxgate_op_check_linear(info, i, out))) return st;
  info->out_channels = (uint32_t)out;
  return voxgate_op_prepare_fcp(info, i, (uint32_t)out, info->in_channels[0]);
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  voxgate_quant_params qp = voxgate_op_linear_qp(info);
  if (info->fused_add != NULL) { /* fuse.c: inputs[1] is the residual */
    voxgate_add_s8_params add;
    memcpy(&add, info->fused_add, sizeof add); /* copied: aliasing */
    voxgate_fcp_add_s8(info->prepared, inputs[0], &qp, inputs[1], &add, scratch,
                       output);
    return 1;
  }
  voxgate_fcp_s8(info->prepared, inputs[0], &qp, scratch, output);
  return 1;
}

const voxgate_op_def voxgate_op_fc = {
    VOXGATE_OP_FC, "FC", 1, prepare, NULL, run, voxgate_op_release_fcp};
