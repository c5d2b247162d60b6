/* ADD: residual add of two frames of different scales (TFLite int8 ADD). */
#include <string.h>

#include "api/status.h"
#include "graph/ops.h"
#include "kernels/add_s8.h"

/* args are the fields of voxgate_add_s8_params, in order. */
enum {
  A_ZP,
  A_MULT,
  A_SHIFT,
  B_ZP,
  B_MULT,
  B_SHIFT,
  O_MULT,
  O_SHIFT,
  O_ZP,
  ACT_MIN,
  ACT_MAX,
  LEFT_SHIFT
};

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  if (info->in_channels[0] != info->in_channels[1])
    return voxgate_fail(VOXGATE_ERR_FORMAT, "op %u (ADD): %u vs %u channels", i,
                        info->in_channels[0], info->in_channels[1]);
  /* TFLite's left shift is 20: 255 << 20 < 2^28, so the two rescaled
   * inputs (multipliers below one: right shifts only) add without
   * overflow. */
  if ((st = voxgate_op_check_io_args(info, i, A_ZP, O_ZP, ACT_MIN, ACT_MAX)) ||
      (st = voxgate_op_check_arg(info, i, B_ZP, -128, 127, "b zero point")) ||
      (st = voxgate_op_check_arg(info, i, LEFT_SHIFT, 0, 20, "left_shift")) ||
      (st = voxgate_op_check_arg(info, i, A_MULT, 0, INT32_MAX, "a_mult")) ||
      (st = voxgate_op_check_arg(info, i, B_MULT, 0, INT32_MAX, "b_mult")) ||
      (st = voxgate_op_check_arg(info, i, O_MULT, 0, INT32_MAX, "out_mult")) ||
      (st = voxgate_op_check_arg(info, i, A_SHIFT, -31, 0, "a_shift")) ||
      (st = voxgate_op_check_arg(info, i, B_SHIFT, -31, 0, "b_shift")) ||
      (st = voxgate_op_check_arg(info, i, O_SHIFT, -31, 0, "out_shift")))
    return st;
  info->out_channels = info->in_channels[0];
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  (void)scratch;
  voxgate_add_s8_params p;
  memcpy(&p, info->entry->args, sizeof p); /* copied, not cast: aliasing */
  voxgate_add_s8(inputs[0], inputs[1], output, info->out_channels, &p);
  return 1;
}

const voxgate_op_def voxgate_op_add = {VOXGATE_OP_ADD, "ADD", 2,   prepare,
                                       NULL,           run,   NULL};
