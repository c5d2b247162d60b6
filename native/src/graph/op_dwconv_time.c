/* DWCONV_TIME: depthwise causal convolution over time (one filter per
 * channel), with the same ring of past frames as CONV_TIME. */
#include "api/status.h"
#include "graph/op_time_ring.h"
#include "graph/ops.h"
#include "kernels/dwconv_s8.h"

enum { T_WEIGHTS, T_BIAS, T_MULT, T_SHIFT };
enum { IN_ZP, OUT_ZP, ACT_MIN, ACT_MAX, KERNEL, DILATION, STRIDE };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  const int32_t* a = info->entry->args;
  if ((st = voxgate_op_check_arg(info, i, KERNEL, 1, 64, "kernel")) ||
      (st = voxgate_op_check_arg(info, i, DILATION, 1, 64, "dilation")) ||
      (st = voxgate_op_check_arg(info, i, STRIDE, 1, 64, "stride")) ||
      (st = voxgate_op_need_tensor(info, i, T_WEIGHTS, VOXGATE_DTYPE_PACKED, 2,
                                   "weights")))
    return st;
  const voxgate_tensor_entry* w = info->tensor[T_WEIGHTS];
  const size_t c = info->in_channels[0];
  if ((size_t)w->dims[0] != c || w->dims[1] != a[KERNEL])
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (DWCONV_TIME): weights [%d, %d] do not fit "
                        "kernel %d over %zu channels",
                        i, w->dims[0], w->dims[1], a[KERNEL], c);
  if ((st = voxgate_op_check_bias(info, i, T_BIAS, c)) ||
      (st = voxgate_op_check_requant(info, i, T_MULT, T_SHIFT, c)) ||
      (st = voxgate_op_check_io_args(info, i, IN_ZP, OUT_ZP, ACT_MIN, ACT_MAX)))
    return st;
  const size_t span = voxgate_ring_span(a[KERNEL], a[DILATION]);
  info->out_channels = (uint32_t)c;
  info->state_bytes = voxgate_ring_bytes(span, c);
  info->scratch_bytes = (size_t)a[KERNEL] * (sizeof(int8_t*) + 1);
  info->cache[0] = (int32_t)span;
  return VOXGATE_OK;
}

static void reset(const voxgate_op_info* info, void* state) {
  voxgate_ring_reset(state, (size_t)info->cache[0], info->in_channels[0],
                     info->entry->args[IN_ZP]);
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  const int32_t* a = info->entry->args;
  const size_t span = (size_t)info->cache[0], c = info->in_channels[0];
  if (!voxgate_ring_push(state, span, c, inputs[0], a[STRIDE])) return 0;
  const int8_t** taps = scratch;
  voxgate_ring_taps(state, span, c, a[KERNEL], a[DILATION], taps);
  voxgate_quant_params qp = {info->tensor_data[T_MULT],
                             info->tensor_data[T_SHIFT],
                             a[IN_ZP],
                             a[OUT_ZP],
                             a[ACT_MIN],
                             a[ACT_MAX]};
  voxgate_dwconv_s8(taps, (size_t)a[KERNEL], c, info->tensor_data[T_WEIGHTS],
                    (int)info->tensor[T_WEIGHTS]->bits,
                    info->tensor_data[T_BIAS], &qp, (int8_t*)(taps + a[KERNEL]),
                    output);
  return 1;
}

const voxgate_op_def voxgate_op_dwconv_time = {
    VOXGATE_OP_DWCONV_TIME, "DWCONV_TIME", 1, prepare, reset, run};
