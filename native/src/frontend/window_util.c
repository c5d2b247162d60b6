#include "frontend/window_util.h"

#include <math.h>

int voxgate_window_populate(const voxgate_window_config* c,
                            voxgate_arena* arena, voxgate_window_state* s) {
  int16_t* coefs = voxgate_arena_take(arena, c->size_samples * sizeof(int16_t));
  s->input = voxgate_arena_take(arena, c->size_samples * sizeof(int16_t));
  s->output = voxgate_arena_take(arena, c->size_samples * sizeof(int32_t));
  s->size = c->size_samples;
  s->step = c->step_samples;
  s->coefs = coefs;
  if (arena->base == NULL) return 0;
  /* Periodic-free "symmetric over size+1" Hann, as TFLite Micro uses, so the
   * end samples are not zero. Rounded once to Q15; the double math here is
   * checked against golden vectors on both x86-64 and AArch64. */
  const double arg = 6.283185307179586 / (double)(c->size_samples + 1);
  for (size_t i = 0; i < c->size_samples; ++i) {
    double w = 0.5 - 0.5 * cos(arg * (double)(i + 1));
    coefs[i] = (int16_t)floor(w * 32767.0 + 0.5);
  }
  voxgate_window_reset(s);
  return 0;
}
