/* LUT: elementwise int8 -> int8 through a 256-entry table,
 *
 *   y[i] = table[x[i] + 128],
 *
 * the one kernel behind every int8 activation (sigmoid, tanh, anything):
 * the table folds the input (scale, zero point), the function and the
 * output (scale, zero point). sdk/voxgate/luts.py builds the tables at
 * export; the engine never evaluates a float function. */
#ifndef VOXGATE_KERNELS_LUT_S8_H_
#define VOXGATE_KERNELS_LUT_S8_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
/* table: 256 entries, entry k for input k - 128. x and y may be the same
 * buffer (in place); otherwise they must not overlap. */
void voxgate_lut_s8_ref(const int8_t* x, int8_t* y, size_t n,
                        const int8_t* table);
void voxgate_lut_s8(const int8_t* x, int8_t* y, size_t n, const int8_t* table);
/* cdef-end */

#endif
