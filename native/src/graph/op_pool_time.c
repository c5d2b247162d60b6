/* AVGPOOL_TIME and MAXPOOL_TIME: pooling over the last `kernel` frames,
 * with the same ring of past frames as the convolutions. */
#include "api/status.h"
#include "graph/op_time_ring.h"
#include "graph/ops.h"
#include "kernels/avgpool_time_s8.h"
#include "kernels/maxpool_time_s8.h"

enum { ZP, ACT_MIN, ACT_MAX, KERNEL, STRIDE };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  if ((st = voxgate_op_check_io_args(info, i, ZP, ZP, ACT_MIN, ACT_MAX)) ||
      (st = voxgate_op_check_arg(info, i, KERNEL, 1, 256, "kernel")) ||
      (st = voxgate_op_check_arg(info, i, STRIDE, 1, 256, "stride")))
    return st;
  const int32_t k = info->entry->args[KERNEL];
  info->out_channels = info->in_channels[0];
  info->state_bytes = voxgate_ring_bytes((size_t)k, info->in_channels[0]);
  info->scratch_bytes = (size_t)k * sizeof(int8_t*);
  return VOXGATE_OK;
}

static void reset(const voxgate_op_info* info, void* state) {
  voxgate_ring_reset(state, (size_t)info->entry->args[KERNEL],
                     info->in_channels[0], info->entry->args[ZP]);
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  const int32_t* a = info->entry->args;
  const size_t k = (size_t)a[KERNEL], c = info->in_channels[0];
  if (!voxgate_ring_push(state, k, c, inputs[0], a[STRIDE])) return 0;
  const int8_t** taps = scratch;
  voxgate_ring_taps(state, k, c, a[KERNEL], 1, taps);
  if (info->entry->type == VOXGATE_OP_AVGPOOL_TIME)
    voxgate_avgpool_time_s8(taps, k, c, a[ACT_MIN], a[ACT_MAX], output);
  else
    voxgate_maxpool_time_s8(taps, k, c, a[ACT_MIN], a[ACT_MAX], output);
  return 1;
}

const voxgate_op_def voxgate_op_avgpool_time = {
    VOXGATE_OP_AVGPOOL_TIME, "AVGPOOL_TIME", 1, prepare, reset, run, NULL};
const voxgate_op_def voxgate_op_maxpool_time = {
    VOXGATE_OP_MAXPOOL_TIME, "MAXPOOL_TIME", 1, prepare, reset, run, NULL};
