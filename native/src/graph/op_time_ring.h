/* Internal: the ring of past input frames that causal time ops (convs,
 * pools) keep per stream, and the stride phase. */
#ifndef VOXGATE_GRAPH_OP_TIME_RING_H_
#define VOXGATE_GRAPH_OP_TIME_RING_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  uint32_t head;  /* slot the next frame goes to */
  uint32_t count; /* frames pushed since reset, for the stride phase */
} voxgate_time_ring;

/* Frames kept: the oldest tap of kernel k with dilation d is (k-1)*d back. */
static inline size_t voxgate_ring_span(int32_t kernel, int32_t dilation) {
  return (size_t)(kernel - 1) * (size_t)dilation + 1;
}

static inline size_t voxgate_ring_bytes(size_t span, size_t channels) {
  return sizeof(voxgate_time_ring) + span * channels;
}

static inline int8_t* voxgate_ring_frames(void* state) {
  return (int8_t*)state + sizeof(voxgate_time_ring);
}

/* Before the stream starts the past holds the zero point: zero in real
 * terms, which is what a causal (left-padded) layer sees in training. */
static inline void voxgate_ring_reset(void* state, size_t span, size_t channels,
                                      int32_t zero_point) {
  voxgate_time_ring* r = state;
  r->head = 0;
  r->count = 0;
  memset(voxgate_ring_frames(state), (int8_t)zero_point, span * channels);
}

/* Pushes a frame; returns 1 when this frame completes a stride. */
static inline int voxgate_ring_push(void* state, size_t span, size_t channels,
                                    const int8_t* frame, int32_t stride) {
  voxgate_time_ring* r = state;
  memcpy(voxgate_ring_frames(state) + (size_t)r->head * channels, frame,
         channels);
  /* Compare-and-wrap, not %: divisions per tap showed up in profiles. */
  r->head = r->head + 1 == span ? 0 : r->head + 1;
  r->count = r->count + 1 == (uint32_t)stride ? 0 : r->count + 1;
  return r->count == 0;
}

/* Pointers to the kernel's taps, oldest first: tap j is the frame
 * (kernel-1-j)*dilation steps before the newest. */
static inline void voxgate_ring_taps(const void* state, size_t span,
                                     size_t channels, int32_t kernel,
                                     int32_t dilation, const int8_t** taps) {
  const voxgate_time_ring* r = state;
  const int8_t* frames = (const int8_t*)state + sizeof(voxgate_time_ring);
  const size_t newest = r->head == 0 ? span - 1 : r->head - 1;
  for (int32_t j = 0; j < kernel; ++j) {
    const size_t back = (size_t)(kernel - 1 - j) * (size_t)dilation;
    taps[j] = frames + (newest >= back ? newest - back : newest + span - back) *
                           channels;
  }
}

#endif
