/* Window stage: collects samples into overlapping frames and applies a Hann
 * window, widening samples by VOXGATE_WINDOW_EXTRA_BITS so quiet input keeps
 * its precision through the FFT. */
#ifndef VOXGATE_FRONTEND_WINDOW_H_
#define VOXGATE_FRONTEND_WINDOW_H_

#include <stddef.h>
#include <stdint.h>

/* Windowed samples carry 5 bits below int16 resolution: |out| < 2^20, so a
 * 512-point FFT of them stays below 2^29 and fits int32 without scaling. */
#define VOXGATE_WINDOW_EXTRA_BITS 5

typedef struct {
  size_t size;          /* window length in samples */
  size_t step;          /* hop in samples */
  const int16_t* coefs; /* Hann, Q15, `size` entries */
  int16_t* input;       /* the last `size` samples */
  size_t input_used;    /* samples currently held in `input` */
  int32_t* output;      /* `size` windowed samples */
} voxgate_window_state;

/* Takes samples until a frame is complete. Returns 1 when `output` holds a
 * new frame, 0 otherwise; *num_read tells how many samples were used. */
int voxgate_window_process(voxgate_window_state* s, const int16_t* samples,
                           size_t num_samples, size_t* num_read);
void voxgate_window_reset(voxgate_window_state* s);

#endif
