#include "kernels/pack.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

size_t voxgate_packed_row_bytes(size_t row_len, int bits) {
  return (row_len * (size_t)bits + 7) / 8;
}

void voxgate_pack_weights(const int8_t* values, size_t rows, size_t row_len,
                          int bits, uint8_t* out) {
  const size_t row_bytes = voxgate_packed_row_bytes(row_len, bits);
  const unsigned mask = (1u << bits) - 1;
  memset(out, 0, rows * row_bytes);
  for (size_t r = 0; r < rows; ++r) {
    uint8_t* row = out + r * row_bytes;
    for (size_t i = 0; i < row_len; ++i) {
      unsigned v = (unsigned)(uint8_t)values[r * row_len + i] & mask;
      size_t bit = i * (size_t)bits;
      row[bit / 8] |= (uint8_t)(v << (bit % 8));
      if (bit % 8 + (size_t)bits > 8)
        row[bit / 8 + 1] |= (uint8_t)(v >> (8 - bit % 8));
    }
  }
}

void voxgate_unpack_row_s8(const uint8_t* packed_row, size_t row_len, int bits,
                           int8_t* out) {
  if (bits == 8) {
    memcpy(out, packed_row, row_len);
    return;
  }
  if (bits == 4) { /* the common case: two per byte, low nibble first */
    size_t i = 0;
#if defined(__SSE2__)
    /* 32 weights per step; SSE2 is part of every x86-64. */
    const __m128i low4 = _mm_set1_epi8(0x0F), eight = _mm_set1_epi8(8);
    for (; i + 32 <= row_len; i += 32) {
      __m128i b = _mm_loadu_si128((const __m128i*)(packed_row + i / 2));
      __m128i lo =
          _mm_sub_epi8(_mm_xor_si128(_mm_and_si128(b, low4), eight), eight);
      __m128i hi = _mm_sub_epi8(
          _mm_xor_si128(_mm_and_si128(_mm_srli_epi16(b, 4), low4), eight),
          eight);
      _mm_storeu_si128((__m128i*)(out + i), _mm_unpacklo_epi8(lo, hi));
      _mm_storeu_si128((__m128i*)(out + i + 16), _mm_unpackhi_epi8(lo, hi));
    }
#endif
    for (; i < row_len; ++i) {
      int v = (packed_row[i / 2] >> ((i & 1) * 4)) & 0xF;
      out[i] = (int8_t)(v >= 8 ? v - 16 : v);
    }
    return;
  }
  const unsigned mask = (1u << bits) - 1, sign = 1u << (bits - 1);
  for (size_t i = 0; i < row_len; ++i) {
    size_t bit = i * (size_t)bits;
    unsigned v = packed_row[bit / 8] >> (bit % 8);
    if (bit % 8 + (size_t)bits > 8)
      v |= (unsigned)packed_row[bit / 8 + 1] << (8 - bit % 8);
    v &= mask;
    out[i] = (int8_t)((int)(v ^ sign) - (int)sign);
  }
}
