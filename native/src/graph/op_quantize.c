/* QUANTIZE: the model's int16 features (or an int8 frame) to int8. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/requant.h"

enum { IN_ZP, OUT_ZP, MULT, SHIFT, ACT_MIN, ACT_MAX };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  const int32_t in_lo = info->in_dtype[0] == VOXGATE_DTYPE_S16 ? -32768 : -128;
  const int32_t in_hi = info->in_dtype[0] == VOXGATE_DTYPE_S16 ? 32767 : 127;
  if ((st = voxgate_op_check_arg(info, i, IN_ZP, in_lo, in_hi, "in_zp")) ||
      (st = voxgate_op_check_arg(info, i, OUT_ZP, -128, 127, "out_zp")) ||
      (st = voxgate_op_check_arg(info, i, MULT, 0, INT32_MAX, "mult")) ||
      (st = voxgate_op_check_arg(info, i, SHIFT, -31, 30, "shift")) ||
      (st = voxgate_op_check_arg(info, i, ACT_MIN, -128, 127, "act_min")) ||
      (st = voxgate_op_check_arg(info, i, ACT_MAX, info->entry->args[ACT_MIN],
                                 127, "act_max")))
    return st;
  info->out_channels = info->in_channels[0];
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  (void)scratch;
  const int32_t* a = info->entry->args;
  int8_t* y = output;
  const uint32_t n = info->out_channels;
  const int s16 = info->in_dtype[0] == VOXGATE_DTYPE_S16;
  for (uint32_t c = 0; c < n; ++c) {
    const int32_t x =
        s16 ? ((const int16_t*)inputs[0])[c] : ((const int8_t*)inputs[0])[c];
    y[c] = voxgate_requantize_s8(x - a[IN_ZP], a[MULT], a[SHIFT], a[OUT_ZP],
                                 a[ACT_MIN], a[ACT_MAX]);
  }
  return 1;
}

const voxgate_op_def voxgate_op_quantize = {
    VOXGATE_OP_QUANTIZE, "QUANTIZE", 1, prepare, NULL, run, NULL};
