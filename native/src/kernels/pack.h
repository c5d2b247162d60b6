/* Sub-8-bit weight packing (format.h): signed `bits`-bit values in a
 * little-endian bit stream, each row starting on a byte boundary. */
#ifndef VOXGATE_KERNELS_PACK_H_
#define VOXGATE_KERNELS_PACK_H_

#include <stddef.h>
#include <stdint.h>

/* cdef-begin */
size_t voxgate_packed_row_bytes(size_t row_len, int bits);
/* values: rows x row_len int8 in [-(2^(bits-1)-1), 2^(bits-1)-1]; out:
 * rows * voxgate_packed_row_bytes(row_len, bits) bytes. */
void voxgate_pack_weights(const int8_t* values, size_t rows, size_t row_len,
                          int bits, uint8_t* out);
void voxgate_unpack_row_s8(const uint8_t* packed_row, size_t row_len, int bits,
                           int8_t* out);
/* cdef-end */

#endif
