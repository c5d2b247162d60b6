/* The whole frontend: the stages in order, and the per-stream state. */
#ifndef VOXGATE_FRONTEND_FRONTEND_H_
#define VOXGATE_FRONTEND_FRONTEND_H_

#include "frontend/fft.h"
#include "frontend/filterbank.h"
#include "frontend/noise_reduction.h"
#include "frontend/pcan.h"
#include "frontend/window.h"
#include "voxgate/voxgate.h"

struct voxgate_frontend {
  voxgate_frontend_config config;
  voxgate_window_state window;
  voxgate_fft_state fft;
  voxgate_filterbank_state filterbank;
  voxgate_noise_reduction_state noise;
  voxgate_pcan_state pcan;
  int32_t* log2_q16; /* num_channels scratch */
  void* owned;       /* the malloc'd block when made by _create, else NULL */
};

/* Runs the stages after the window on the frame in fe->window.output and
 * writes num_channels features. */
void voxgate_frontend_compute_frame(voxgate_frontend* fe, int16_t* features);

#endif
