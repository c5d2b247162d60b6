/* Which op code runs which implementation. */
#include "graph/ops.h"

extern const voxgate_op_def voxgate_op_quantize;
extern const voxgate_op_def voxgate_op_lut;
extern const voxgate_op_def voxgate_op_fc;
extern const voxgate_op_def voxgate_op_conv_time;
extern const voxgate_op_def voxgate_op_dwconv_time;
extern const voxgate_op_def voxgate_op_add;
extern const voxgate_op_def voxgate_op_avgpool_time;
extern const voxgate_op_def voxgate_op_maxpool_time;
extern const voxgate_op_def voxgate_op_statpool;
extern const voxgate_op_def voxgate_op_softmax;
extern const voxgate_op_def voxgate_op_mul;
extern const voxgate_op_def voxgate_op_film;
extern const voxgate_op_def voxgate_op_gru;

/* clang-format off */
static const voxgate_op_def* const kOps[] = {
    &voxgate_op_quantize,
    &voxgate_op_fc,
    &voxgate_op_conv_time,
    &voxgate_op_dwconv_time,
    &voxgate_op_add,
    &voxgate_op_avgpool_time,
    &voxgate_op_maxpool_time,
    &voxgate_op_lut,
    &voxgate_op_softmax,
    &voxgate_op_statpool,
    &voxgate_op_gru,
    &voxgate_op_film,
    &voxgate_op_mul,
};
/* clang-format on */

const voxgate_op_def* voxgate_op_find(uint32_t type) {
  for (size_t i = 0; i < sizeof kOps / sizeof kOps[0]; ++i)
    if (kOps[i]->type == type) return kOps[i];
  return NULL;
}
