/* FILM: y = x * gamma + beta per channel, gamma and beta computed by other
 * ops from a conditioning input (the enrolled speaker). */
#include <string.h>

#include "api/status.h"
#include "graph/ops.h"
#include "kernels/film_s8.h"

/* args are the fields of voxgate_film_s8_params, in order. */
enum { X_ZP, G_ZP, B_ZP, OUT_ZP, XG_MULT, XG_SHIFT, B_MULT, B_SHIFT, MIN, MAX };

static int prepare(voxgate_op_info* info, uint32_t i) {
  int st;
  const uint32_t c = info->in_channels[0];
  if (info->in_channels[1] != c || info->in_channels[2] != c)
    return voxgate_fail(VOXGATE_ERR_FORMAT,
                        "op %u (FILM): x, gamma, beta channels %u %u %u", i, c,
                        info->in_channels[1], info->in_channels[2]);
  if ((st = voxgate_op_check_io_args(info, i, X_ZP, OUT_ZP, MIN, MAX)) ||
      (st = voxgate_op_check_arg(info, i, G_ZP, -128, 127, "gamma zp")) ||
      (st = voxgate_op_check_arg(info, i, B_ZP, -128, 127, "beta zp")) ||
      (st = voxgate_op_check_arg(info, i, XG_MULT, 0, INT32_MAX, "xg_mult")) ||
      (st = voxgate_op_check_arg(info, i, XG_SHIFT, -31, 13, "xg_shift")) ||
      (st = voxgate_op_check_arg(info, i, B_MULT, 0, INT32_MAX, "b_mult")) ||
      (st = voxgate_op_check_arg(info, i, B_SHIFT, -31, 21, "b_shift")))
    return st;
  info->out_channels = c;
  return VOXGATE_OK;
}

static int run(const voxgate_op_info* info, void* state, void* scratch,
               const void* const* inputs, void* output) {
  (void)state;
  (void)scratch;
  /* args hold the struct fields in order; copied, not cast, so no
   * aliasing rule is bent. */
  voxgate_film_s8_params p;
  memcpy(&p, info->entry->args, sizeof p);
  voxgate_film_s8(inputs[0], inputs[1], inputs[2], output, info->out_channels,
                  &p);
  return 1;
}

const voxgate_op_def voxgate_op_film = {
    VOXGATE_OP_FILM, "FILM", 3, prepare, NULL, run, NULL};
