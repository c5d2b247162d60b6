/* The load-time weight rearrangement shared by FC and CONV_TIME. */
#include "api/status.h"
#include "graph/ops.h"
#include "kernels/fcp_s8.h"

int voxgate_op_prepare_fcp(voxgate_op_info* info, uint32_t op_index,
                           uint32_t out_dim, uint32_t in_dim) {
  const voxgate_tensor_entry* w = info->tensor[VOXGATE_LIN_WEIGHTS];
  voxgate_fcp* p = voxgate_fcp_create(
      info->tensor_data[VOXGATE_LIN_WEIGHTS], (int)w->bits,
      info->tensor_data[VOXGATE_LIN_BIAS], info->entry->args[VOXGATE_LIN_IN_ZP],
      info->tensor_data[VOXGATE_LIN_MULT], info->tensor_data[VOXGATE_LIN_SHIFT],
      out_dim, in_dim);
  if (p == NULL)
    return voxgate_fail(VOXGATE_ERR_MEMORY,
                        "op %u: out of memory rearranging weights", op_index);
  info->prepared = p;
  info->scratch_bytes += voxgate_fcp_scratch_bytes(p);
  return VOXGATE_OK;
}

void voxgate_op_release_fcp(voxgate_op_info* info) {
  voxgate_fcp_free(info->prepared);
  info->prepared = NULL;
}
