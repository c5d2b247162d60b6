/* STATPOOL: running mean and standard deviation over the whole stream. */
#include <string.h>

#include "api/status.h"
#include "graph/ops.h"
#include "kernels/statpool_s8.h"

/* args are the fields of voxgate_statpool_s8_params, in order. */
enum { IN_ZP, MEAN_ZP, STD_ZP, MEAN_MULT, MEAN_SHIFT, STD_MULT, STD_SHIFT };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  if ((st = voxgate_op_check_arg(info, i, IN_ZP, -128, 127, "in_zp")) ||
      (st = voxgate_op_check_arg(info, i, MEAN_ZP, -128, 127, "mean_zp")) ||
      (st = voxgate_op_check_arg(info, i, STD_ZP, -128, 127, "std_zp")) ||
      (st = voxgate_op_check_arg(info, i, MEAN_MULT, 0, INT32_MAX, "mult")) ||
      (st = voxgate_op_check_arg(info, i, STD_MULT, 0, INT32_MAX, "mult")) ||
      (st = voxgate_op_check_arg(info, i, MEAN_SHIFT, -31, 7, "shift")) ||
      (st = voxgate_op_check_arg(info, i, STD_SHIFT, -31, 7, "shift")))
    return st;
  info->out_channels = 2 * info->in_channels[0];
  info->state_bytes = voxgate_statpool_s8_state_bytes(info->in_channels[0]);
  return VOXGATE_OK;
}

static void reset(const voxgate_op_info* info, void* state) {
  voxgate_statpool_s8_reset(state, info->in_channels[0]);
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)scratch;
  voxgate_statpool_s8_params p;
  memcpy(&p, info->entry->args, sizeof p); /* copied, not cast: aliasing */
  voxgate_statpool_s8(state, inputs[0], info->in_channels[0], &p, output);
  return 1;
}

const voxgate_op_def voxgate_op_statpool = {
    VOXGATE_OP_STATPOOL, "STATPOOL", 1, prepare, reset, run, NULL};
