/* AVX-512 twin of voxgate_add_s8_ref, 16 elements per step (add_avx512.h:
 * one 64-bit multiply-add-shift per rescale instead of the AVX2 version's
 * srdhm followed by a rounding shift). */
#include "kernels/add_s8.h"
#include "kernels/avx2/add_avx512.h"
#include "kernels/fcp_s8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

VOXGATE_ADD512_TARGET __attribute__((noinline)) static void add_avx512(
    const int8_t* a, const int8_t* b, int8_t* y, size_t n,
    const voxgate_add_s8_params* p) {
  const voxgate_add512 c = voxgate_add512_make(p);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m512i va =
        _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(a + i)));
    const __m512i vb =
        _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(b + i)));
    _mm_storeu_si128((__m128i*)(y + i),
                     _mm512_cvtepi32_epi8(voxgate_add512_run(va, vb, &c)));
  }
  voxgate_add_s8_ref(a + i, b + i, y + i, n - i, p);
}

/* The CPU check sits outside the AVX-512 function: a function compiled for
 * AVX-512 may use it in its own prologue and epilogue (ASan's stack poisoning
 * does), so checking inside it faults on an AVX2-only CPU. */
void voxgate_add_s8_avx512(const int8_t* a, const int8_t* b, int8_t* y,
                           size_t n, const voxgate_add_s8_params* p) {
  if (voxgate_kernels_have_vnni()) /* implies AVX-512 F, BW and VL */
    add_avx512(a, b, y, n, p);
  else
    voxgate_add_s8_ref(a, b, y, n, p);
}

#else
void voxgate_add_s8_avx512(const int8_t* a, const int8_t* b, int8_t* y,
                           size_t n, const voxgate_add_s8_params* p) {
  voxgate_add_s8_ref(a, b, y, n, p);
}
#endif
