/* Window stage set-up: config, defaults, and population into caller memory. */
#ifndef VOXGATE_FRONTEND_WINDOW_UTIL_H_
#define VOXGATE_FRONTEND_WINDOW_UTIL_H_

#include "frontend/arena.h"
#include "frontend/window.h"

typedef struct {
  size_t size_samples;
  size_t step_samples;
} voxgate_window_config;

/* Carves the state's buffers from `arena` (sizes only, if arena->base is
 * NULL) and fills the Hann coefficients. Returns 0 on success. */
int voxgate_window_populate(const voxgate_window_config* c,
                            voxgate_arena* arena, voxgate_window_state* s);

#endif
