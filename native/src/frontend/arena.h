/* A bump allocator over caller-owned memory. With base == NULL it only
 * counts, so one populate pass both sizes and builds an object. */
#ifndef VOXGATE_FRONTEND_ARENA_H_
#define VOXGATE_FRONTEND_ARENA_H_

#include <stddef.h>
#include <stdint.h>

#define VOXGATE_ARENA_ALIGN 16

typedef struct {
  uint8_t* base; /* NULL: measuring pass */
  size_t used;
  size_t capacity;
} voxgate_arena;

/* Returns aligned space of `bytes`, or NULL when measuring or out of room;
 * running out is reported by voxgate_arena_overflowed(). */
static inline void* voxgate_arena_take(voxgate_arena* a, size_t bytes) {
  size_t start =
      (a->used + VOXGATE_ARENA_ALIGN - 1) & ~(size_t)(VOXGATE_ARENA_ALIGN - 1);
  a->used = start + bytes;
  if (a->base == NULL || a->used > a->capacity) return NULL;
  return a->base + start;
}

static inline int voxgate_arena_overflowed(const voxgate_arena* a) {
  return a->base != NULL && a->used > a->capacity;
}

#endif
