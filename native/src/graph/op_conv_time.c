/* CONV_TIME: causal convolution over time, fed one frame per step; the
 * ring of past frames lives in the stream's state. */
#include "api/status.h"
#include "graph/op_time_ring.h"
#include "graph/ops.h"
#include "kernels/conv_time_s8.h"

enum { T_WEIGHTS, T_BIAS, T_MULT, T_SHIFT };
enum { IN_ZP, OUT_ZP, ACT_MIN, ACT_MAX, KERNEL, DILATION, STRIDE };

#define MAX_KERNEL 64
#define MAX_DILATION 64

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  const int32_t* a = info->entry->args;
  if ((st = voxgate_op_check_arg(info, i, KERNEL, 1, MAX_KERNEL, "kernel")) ||
      (st = voxgate_op_check_arg(info, i, DILATION, 1, MAX_DILATION,
                                 "dilation")) ||
      (st = voxgate_op_check_arg(info, i, STRIDE, 1, 64, "stride")) ||
      (st = voxgate_op_need_tensor(info, i, T_WEIGHTS, VOXGATE_DTYPE_PACKED, 3,
                                   "weights")))
    return st;
  const voxgate_tensor_entry* w = info->tensor[T_WEIGHTS];
  if (w->dims[1] != a[KERNEL] || (uint32_t)w->dims[2] != info->in_channels[0])
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (CONV_TIME): weights [%d, %d, %d] do not fit "
                        "kernel %d over %u channels",
                        i, w->dims[0], w->dims[1], w->dims[2], a[KERNEL],
                        info->in_channels[0]);
  if ((int64_t)w->dims[1] * w->dims[2] > VOXGATE_MAX_DOT)
    return voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                        "op %u (CONV_TIME): kernel x channels above %d", i,
                        VOXGATE_MAX_DOT);
  const size_t out = (size_t)w->dims[0];
  if ((st = voxgate_op_check_bias(info, i, T_BIAS, out)) ||
      (st = voxgate_op_check_requant(info, i, T_MULT, T_SHIFT, out)) ||
      (st = voxgate_op_check_io_args(info, i, IN_ZP, OUT_ZP, ACT_MIN, ACT_MAX)))
    return st;
  const size_t cin = info->in_channels[0];
  const size_t span = voxgate_ring_span(a[KERNEL], a[DILATION]);
  info->out_channels = (uint32_t)out;
  info->state_bytes = voxgate_ring_bytes(span, cin);
  info->scratch_bytes =
      (size_t)a[KERNEL] * sizeof(int8_t*) +
      voxgate_conv_time_s8_scratch_bytes((size_t)a[KERNEL], cin);
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
  const size_t span = (size_t)info->cache[0], cin = info->in_channels[0];
  if (!voxgate_ring_push(state, span, cin, inputs[0], a[STRIDE])) return 0;
  const int8_t** taps = scratch;
  voxgate_ring_taps(state, span, cin, a[KERNEL], a[DILATION], taps);
  voxgate_quant_params qp = {info->tensor_data[T_MULT],
                             info->tensor_data[T_SHIFT],
                             a[IN_ZP],
                             a[OUT_ZP],
                             a[ACT_MIN],
                             a[ACT_MAX]};
  voxgate_conv_time_s8(
      taps, (size_t)a[KERNEL], cin, info->tensor_data[T_WEIGHTS],
      (int)info->tensor[T_WEIGHTS]->bits, info->tensor_data[T_BIAS],
      info->out_channels, &qp, (void*)(taps + a[KERNEL]), output);
  return 1;
}

const voxgate_op_def voxgate_op_conv_time = {
    VOXGATE_OP_CONV_TIME, "CONV_TIME", 1, prepare, reset, run};
