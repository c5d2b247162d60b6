/* Load-time fusion. An FC whose output only the ADD right after it reads,
 * as that ADD's first input (the residual block's pointwise conv), runs the
 * ADD too while its outputs are still in registers (voxgate_fcp_add_s8,
 * bit-exact with the two ops): one pass and one dispatch fewer. The runner
 * then hands the FC the ADD's second input and output and skips the ADD,
 * which runs exactly when the FC does, as before (it waited on the FC's
 * output); the plan keeps the ADD's output apart from the FC's input. */
#include "graph/model.h"
#include "graph/ops.h"
#include "kernels/fcp_s8.h"

/* 1 when value v is a model output or an op other than `except` reads it. */
static int read_elsewhere(const voxgate_model* m, uint32_t v, uint32_t except) {
  for (uint32_t k = 0; k < m->num_outputs; ++k)
    if (m->outputs[k] == v) return 1;
  for (uint32_t i = 0; i < m->header->op_count; ++i)
    for (uint32_t k = 0; k < m->ops[i].num_inputs; ++k)
      if (m->ops[i].inputs[k] == v && (i != except || k != 0)) return 1;
  return 0;
}

void voxgate_model_fuse(voxgate_model* m) {
  for (uint32_t i = 0; i + 1 < m->header->op_count; ++i) {
    const voxgate_op_entry* fc = &m->ops[i];
    const voxgate_op_entry* add = &m->ops[i + 1];
    voxgate_op_info* info = &m->op_info[i];
    if (fc->type != VOXGATE_OP_FC || add->type != VOXGATE_OP_ADD ||
        add->inputs[0] != fc->output || info->prepared == NULL ||
        read_elsewhere(m, fc->output, i + 1))
      continue;
    const size_t need = voxgate_fcp_add_scratch_bytes(info->prepared);
    if (need > info->scratch_bytes) info->scratch_bytes = need;
    info->fused_add = add->args;
  }
}
