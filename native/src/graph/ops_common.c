/* Checks shared by the ops' prepare() functions. */
#include "api/status.h"
#include "graph/op_time_ring.h"
#include "graph/ops.h"

int voxgate_op_need_tensor(const voxgate_op_info* info, uint32_t op_index,
                           int slot, uint32_t dtype, uint32_t rank,
                           const char* what) {
  const voxgate_tensor_entry* t = info->tensor[slot];
  if (t == NULL)
    return voxgate_fail(VOXGATE_ERR_FORMAT, "op %u (%s): missing %s tensor",
                        op_index, info->def->name, what);
  if (t->dtype != dtype || t->rank != rank)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (%s): %s tensor has dtype %u rank %u, needs "
                        "dtype %u rank %u",
                        op_index, info->def->name, what, t->dtype, t->rank,
                        dtype, rank);
  return VOXGATE_OK;
}

int voxgate_op_check_arg(const voxgate_op_info* info, uint32_t op_index,
                         int slot, int32_t lo, int32_t hi, const char* what) {
  int32_t v = info->entry->args[slot];
  if (v < lo || v > hi)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (%s): %s = %d, must be in [%d, %d]", op_index,
                        info->def->name, what, v, lo, hi);
  return VOXGATE_OK;
}

int voxgate_op_check_requant(const voxgate_op_info* info, uint32_t op_index,
                             int mult_slot, int shift_slot, size_t count) {
  int st;
  if ((st = voxgate_op_need_tensor(info, op_index, mult_slot, VOXGATE_DTYPE_S32,
                                   1, "multiplier")) ||
      (st = voxgate_op_need_tensor(info, op_index, shift_slot,
                                   VOXGATE_DTYPE_S32, 1, "shift")))
    return st;
  if ((size_t)info->tensor[mult_slot]->dims[0] != count ||
      (size_t)info->tensor[shift_slot]->dims[0] != count)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (%s): needs %zu multipliers and shifts",
                        op_index, info->def->name, count);
  const int32_t* mult = info->tensor_data[mult_slot];
  const int32_t* shift = info->tensor_data[shift_slot];
  for (size_t i = 0; i < count; ++i)
    /* Multipliers are Q31 in [2^30, 2^31) or 0; shifts keep the left
     * shift of the accumulator and the rounding divide defined. */
    if (mult[i] < 0 || shift[i] < -31 || shift[i] > 30)
      return voxgate_fail(VOXGATE_ERR_FORMAT,
                          "op %u (%s): channel %zu has multiplier %d shift %d",
                          op_index, info->def->name, i, mult[i], shift[i]);
  return VOXGATE_OK;
}

int voxgate_op_check_bias(const voxgate_op_info* info, uint32_t op_index,
                          int slot, size_t count) {
  if (info->tensor[slot] == NULL) return VOXGATE_OK; /* optional */
  int st = voxgate_op_need_tensor(info, op_index, slot, VOXGATE_DTYPE_S32, 1,
                                  "bias");
  if (st != VOXGATE_OK) return st;
  if ((size_t)info->tensor[slot]->dims[0] != count)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (%s): %d biases for %zu channels", op_index,
                        info->def->name, info->tensor[slot]->dims[0], count);
  /* With |bias| <= 2^30 and at most VOXGATE_MAX_DOT products of at most
   * 255 * 127, an int32 accumulator cannot overflow. */
  const int32_t* bias = info->tensor_data[slot];
  for (size_t i = 0; i < count; ++i)
    if (bias[i] < -(1 << 30) || bias[i] > (1 << 30))
      return voxgate_fail(VOXGATE_ERR_FORMAT,
                          "op %u (%s): bias %zu = %d exceeds 2^30", op_index,
                          info->def->name, i, bias[i]);
  return VOXGATE_OK;
}

int voxgate_op_check_io_args(const voxgate_op_info* info, uint32_t op_index,
                             int in_zp, int out_zp, int act_min, int act_max) {
  int st;
  if ((st = voxgate_op_check_arg(info, op_index, in_zp, -128, 127,
                                 "input zero point")) ||
      (st = voxgate_op_check_arg(info, op_index, out_zp, -128, 127,
                                 "output zero point")) ||
      (st = voxgate_op_check_arg(info, op_index, act_min, -128, 127,
                                 "act_min")) ||
      (st = voxgate_op_check_arg(info, op_index, act_max,
                                 info->entry->args[act_min], 127, "act_max")))
    return st;
  return VOXGATE_OK;
}

int voxgate_op_check_linear(const voxgate_op_info* info, uint32_t op_index,
                            size_t channels) {
  int st;
  if ((st =
           voxgate_op_check_bias(info, op_index, VOXGATE_LIN_BIAS, channels)) ||
      (st = voxgate_op_check_requant(info, op_index, VOXGATE_LIN_MULT,
                                     VOXGATE_LIN_SHIFT, channels)) ||
      (st = voxgate_op_check_io_args(info, op_index, VOXGATE_LIN_IN_ZP,
                                     VOXGATE_LIN_OUT_ZP, VOXGATE_LIN_ACT_MIN,
                                     VOXGATE_LIN_ACT_MAX)))
    return st;
  return VOXGATE_OK;
}

voxgate_quant_params voxgate_op_linear_qp(const voxgate_op_info* info) {
  const int32_t* a = info->entry->args;
  voxgate_quant_params qp = {info->tensor_data[VOXGATE_LIN_MULT],
                             info->tensor_data[VOXGATE_LIN_SHIFT],
                             a[VOXGATE_LIN_IN_ZP],
                             a[VOXGATE_LIN_OUT_ZP],
                             a[VOXGATE_LIN_ACT_MIN],
                             a[VOXGATE_LIN_ACT_MAX]};
  return qp;
}

int voxgate_op_time_prepare(voxgate_op_info* info, uint32_t op_index,
                            size_t extra_scratch) {
  int st;
  const int32_t* a = info->entry->args;
  if ((st = voxgate_op_check_arg(info, op_index, VOXGATE_LIN_KERNEL, 1, 64,
                                 "kernel")) ||
      (st = voxgate_op_check_arg(info, op_index, VOXGATE_LIN_DILATION, 1, 64,
                                 "dilation")) ||
      (st = voxgate_op_check_arg(info, op_index, VOXGATE_LIN_STRIDE, 1, 64,
                                 "stride")))
    return st;
  const size_t span =
      voxgate_ring_span(a[VOXGATE_LIN_KERNEL], a[VOXGATE_LIN_DILATION]);
  info->state_bytes = voxgate_ring_bytes(span, info->in_channels[0]);
  info->scratch_bytes =
      (size_t)a[VOXGATE_LIN_KERNEL] * sizeof(int8_t*) + extra_scratch;
  info->cache[0] = (int32_t)span;
  return VOXGATE_OK;
}

void voxgate_op_time_reset(const voxgate_op_info* info, void* state) {
  voxgate_ring_reset(state, (size_t)info->cache[0], info->in_channels[0],
                     info->entry->args[VOXGATE_LIN_IN_ZP]);
}

const int8_t** voxgate_op_time_step(const voxgate_op_info* info, void* state,
                                    void* scratch, const void* frame) {
  const int32_t* a = info->entry->args;
  const size_t span = (size_t)info->cache[0], c = info->in_channels[0];
  if (!voxgate_ring_push(state, span, c, frame, a[VOXGATE_LIN_STRIDE]))
    return NULL;
  const int8_t** taps = scratch;
  voxgate_ring_taps(state, span, c, a[VOXGATE_LIN_KERNEL],
                    a[VOXGATE_LIN_DILATION], taps);
  return taps;
}
