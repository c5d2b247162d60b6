#include "kernels/softmax_s8.h"

int voxgate_softmax_s8_table_ok(const int32_t* table) {
  if (table == NULL || table[0] != VOXGATE_SOFTMAX_S8_ONE) return 0;
  for (int d = 1; d < VOXGATE_SOFTMAX_S8_TABLE_SIZE; ++d)
    if (table[d] < 0 || table[d] > VOXGATE_SOFTMAX_S8_ONE) return 0;
  return 1;
}

void voxgate_softmax_s8_ref(const int8_t* x, int8_t* y, size_t n,
                            const int32_t* table) {
  if (n == 0) return;
  int32_t m = x[0];
  for (size_t i = 1; i < n; ++i)
    if (x[i] > m) m = x[i];
  uint32_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += (uint32_t)table[m - x[i]];
  const uint32_t den = 2u * sum; /* > 0: the max contributes table[0] */
  for (size_t i = 0; i < n; ++i) {
    const uint32_t num = 512u * (uint32_t)table[m - x[i]] + sum;
    const int32_t q = (int32_t)(num / den);
    y[i] = (int8_t)(q - 128 > 127 ? 127 : q - 128);
  }
}

void voxgate_softmax_s8(const int8_t* x, int8_t* y, size_t n,
                        const int32_t* table) {
  voxgate_softmax_s8_ref(x, y, n, table);
}
