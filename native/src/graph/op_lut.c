/* LUT: any int8 -> int8 function (sigmoid, tanh, ...) as a 256-entry table
 * made at export from the input and output scales. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/lut_s8.h"

enum { T_TABLE };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st =
      voxgate_op_need_tensor(info, i, T_TABLE, VOXGATE_DTYPE_S8, 1, "table");
  if (st != VOXGATE_OK) return st;
  if (info->tensor[T_TABLE]->dims[0] != 256)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (LUT): table has %d entries, needs 256", i,
                        info->tensor[T_TABLE]->dims[0]);
  info->out_channels = info->in_channels[0];
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  (void)scratch;
  voxgate_lut_s8(inputs[0], output, info->out_channels,
                 info->tensor_data[T_TABLE]);
  return 1;
}

const voxgate_op_def voxgate_op_lut = {VOXGATE_OP_LUT, "LUT", 1,   prepare,
                                       NULL,           run,   NULL};
