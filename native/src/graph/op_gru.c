/* GRU: an integer GRU cell stepped once per frame; the Q15 hidden state is
 * the op's per-stream state. Layout (format.h): tensors w_x S8 [3H, I],
 * w_h S8 [3H, H], bias S32 [2, 3H] (x then h) or -1, requant S32 [4, 3H]
 * (mult_x, shift_x, mult_h, shift_h), tables S8 [3, 256] (z, r, n);
 * args x_zp, z_zp, r_zp, n_zp. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/gru_s8.h"

enum { T_WX, T_WH, T_BIAS, T_REQUANT, T_TABLES };
enum { X_ZP, Z_ZP, R_ZP, N_ZP };

static void params_of(const voxgate_op_info* info, voxgate_gru_s8_params* p) {
  const int32_t h = (int32_t)info->out_channels;
  const int32_t* rq = info->tensor_data[T_REQUANT];
  const int32_t* bias = info->tensor_data[T_BIAS];
  const int8_t* tables = info->tensor_data[T_TABLES];
  p->input_size = (int32_t)info->in_channels[0];
  p->hidden_size = h;
  p->w_x = info->tensor_data[T_WX];
  p->w_h = info->tensor_data[T_WH];
  p->bias_x = bias;
  p->bias_h = bias ? bias + 3 * h : NULL;
  p->mult_x = rq;
  p->shift_x = rq + 3 * h;
  p->mult_h = rq + 6 * h;
  p->shift_h = rq + 9 * h;
  p->table_z = tables;
  p->table_r = tables + 256;
  p->table_n = tables + 512;
  p->x_zero_point = info->entry->args[X_ZP];
  p->z_zero_point = info->entry->args[Z_ZP];
  p->r_zero_point = info->entry->args[R_ZP];
  p->n_zero_point = info->entry->args[N_ZP];
}

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  if ((st =
           voxgate_op_need_tensor(info, i, T_WX, VOXGATE_DTYPE_S8, 2, "w_x")) ||
      (st =
           voxgate_op_need_tensor(info, i, T_WH, VOXGATE_DTYPE_S8, 2, "w_h")) ||
      (st = voxgate_op_need_tensor(info, i, T_REQUANT, VOXGATE_DTYPE_S32, 2,
                                   "requant")) ||
      (st = voxgate_op_need_tensor(info, i, T_TABLES, VOXGATE_DTYPE_S8, 2,
                                   "tables")))
    return st;
  const int32_t h = info->tensor[T_WH]->dims[1];
  const voxgate_tensor_entry *wx = info->tensor[T_WX], *wh = info->tensor[T_WH];
  const voxgate_tensor_entry *rq = info->tensor[T_REQUANT],
                             *tb = info->tensor[T_TABLES],
                             *b = info->tensor[T_BIAS];
  int shapes_ok =
      wx->dims[0] == 3 * h && (uint32_t)wx->dims[1] == info->in_channels[0] &&
      wh->dims[0] == 3 * h && rq->dims[0] == 4 && rq->dims[1] == 3 * h &&
      tb->dims[0] == 3 && tb->dims[1] == 256;
  if (b != NULL)
    shapes_ok = shapes_ok && b->dtype == VOXGATE_DTYPE_S32 && b->rank == 2 &&
                b->dims[0] == 2 && b->dims[1] == 3 * h;
  if (!shapes_ok)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (GRU): tensor shapes do not fit hidden size "
                        "%d and %u inputs",
                        i, h, info->in_channels[0]);
  info->out_channels = (uint32_t)h;
  voxgate_gru_s8_params p;
  params_of(info, &p);
  if (!voxgate_gru_s8_params_ok(&p))
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (GRU): sizes, zero points or requantization "
                        "out of range",
                        i);
  info->state_bytes = (size_t)h * sizeof(int16_t);
  info->scratch_bytes = voxgate_gru_s8_scratch_bytes(h);
  return VOXGATE_OK;
}

static void reset(const voxgate_op_info* info, void* state) {
  voxgate_gru_s8_reset(state, (int32_t)info->out_channels);
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  voxgate_gru_s8_params p;
  params_of(info, &p);
  voxgate_gru_s8(&p, inputs[0], state, output, scratch);
  return 1;
}

const voxgate_op_def voxgate_op_gru = {VOXGATE_OP_GRU, "GRU", 1,   prepare,
                                       reset,          run,   NULL};
