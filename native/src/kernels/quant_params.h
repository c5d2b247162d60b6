/* Per-op quantization data shared by the int8 kernels (CMSIS-NN's
 * "quant params"): requantization multipliers and shifts per output channel
 * (or one entry), zero points, and the output clamp that also folds ReLU and
 * ReLU6. A real multiplier M is mult * 2^(shift - 31), mult in Q31. */
#ifndef VOXGATE_KERNELS_QUANT_PARAMS_H_
#define VOXGATE_KERNELS_QUANT_PARAMS_H_

#include <stdint.h>

/* cdef-begin */
typedef struct {
  const int32_t* mult;
  const int32_t* shift;
  int32_t input_zero_point;
  int32_t output_zero_point;
  int32_t act_min;
  int32_t act_max;
} voxgate_quant_params;
/* cdef-end */

#endif
