/* MUL: elementwise product of two frames (TFLite int8 MUL). */
#include <string.h>

#include "api/status.h"
#include "graph/ops.h"
#include "kernels/mul_s8.h"

/* args are the fields of voxgate_mul_s8_params, in order. */
enum { A_ZP, B_ZP, OUT_ZP, MULT, SHIFT, ACT_MIN, ACT_MAX };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  if (info->in_channels[0] != info->in_channels[1])
    return voxgate_fail(VOXGATE_ERR_FORMAT, "op %u (MUL): %u vs %u channels", i,
                        info->in_channels[0], info->in_channels[1]);
  if ((st =
           voxgate_op_check_io_args(info, i, A_ZP, OUT_ZP, ACT_MIN, ACT_MAX)) ||
      (st = voxgate_op_check_arg(info, i, B_ZP, -128, 127, "b zero point")) ||
      (st = voxgate_op_check_arg(info, i, MULT, 0, INT32_MAX, "mult")) ||
      (st = voxgate_op_check_arg(info, i, SHIFT, -31, 14, "shift")))
    return st;
  info->out_channels = info->in_channels[0];
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  (void)scratch;
  /* args hold the struct fields in order; copied, not cast, so no
   * aliasing rule is bent. */
  voxgate_mul_s8_params p;
  memcpy(&p, info->entry->args, sizeof p);
  voxgate_mul_s8(inputs[0], inputs[1], output, info->out_channels, &p);
  return 1;
}

const voxgate_op_def voxgate_op_mul = {VOXGATE_OP_MUL, "MUL", 2,   prepare,
                                       NULL,           run,   NULL};
