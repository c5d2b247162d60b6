/* Log stage: log2 of uint64 powers in Q16, by a 128-segment table with
 * linear interpolation (error < 1e-4 in log2, a twentieth of a feature step).
 */
#ifndef VOXGATE_FRONTEND_LOG_SCALE_H_
#define VOXGATE_FRONTEND_LOG_SCALE_H_

#include <stdint.h>

/* log2(max(x, 1)) in Q16. */
int32_t voxgate_log2_q16(uint64_t x);

#endif
