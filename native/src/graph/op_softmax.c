/* SOFTMAX: the classifier's int8 probabilities (scale 1/256, zero point
 * -128), from an exp table made at export for the input scale. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/softmax_s8.h"

enum { T_TABLE };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st = voxgate_op_need_tensor(info, i, T_TABLE, VOXGATE_DTYPE_S32, 1,
                                  "exp table");
  if (st != VOXGATE_OK) return st;
  if (info->tensor[T_TABLE]->dims[0] != VOXGATE_SOFTMAX_S8_TABLE_SIZE ||
      !voxgate_softmax_s8_table_ok(info->tensor_data[T_TABLE]))
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (SOFTMAX): exp table must hold %d entries "
                        "from %d down to 0",
                        i, VOXGATE_SOFTMAX_S8_TABLE_SIZE,
                        VOXGATE_SOFTMAX_S8_ONE);
  if (info->in_channels[0] > VOXGATE_SOFTMAX_S8_MAX_N)
    return voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                        "op %u (SOFTMAX): %u classes, at most %d", i,
                        info->in_channels[0], VOXGATE_SOFTMAX_S8_MAX_N);
  info->out_channels = info->in_channels[0];
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  (void)scratch;
  voxgate_softmax_s8(inputs[0], output, info->out_channels,
                     info->tensor_data[T_TABLE]);
  return 1;
}

const voxgate_op_def voxgate_op_softmax = {
    VOXGATE_OP_SOFTMAX, "SOFTMAX", 1, prepare, NULL, run, NULL};
