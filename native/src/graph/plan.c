/* The static memory plan: an offset for every value in one activation area,
 * computed once at load. Values live from the op that writes them to the
 * last op that reads them in the same step; two values share bytes only if
 * those spans are disjoint. Model outputs and values read as a second input
 * (which may hold an older frame, e.g. a conditioning vector) keep their
 * own bytes for the whole stream. */
#include <stdlib.h>

#include "api/status.h"
#include "graph/model.h"

#define ALIGN 16
#define FOREVER 0x7fffffff

typedef struct {
  int32_t first, last; /* op indices; the input value starts at -1 */
  size_t bytes;
  size_t offset;
  int placed;
} span;

static size_t align_up(size_t n) {
  return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

int voxgate_model_plan(voxgate_model* m) {
  const uint32_t nv = m->header->value_count, nops = m->header->op_count;
  span* s = calloc(nv, sizeof *s);
  m->value_offset = calloc(nv, sizeof(size_t));
  if (s == NULL || m->value_offset == NULL) {
    free(s);
    return voxgate_fail(VOXGATE_ERR_MEMORY, "out of memory planning");
  }
  for (uint32_t v = 0; v < nv; ++v) {
    s[v].first = v == 0 ? -1 : FOREVER;
    s[v].last = -2;
    s[v].bytes = align_up(voxgate_value_frame_bytes(&m->values[v]));
  }
  for (uint32_t i = 0; i < nops; ++i) {
    const voxgate_op_entry* op = &m->ops[i];
    /* A fused ADD (fuse.c) writes its output while the FC before it still
     * reads that FC's input: born one op early, they cannot share bytes. */
    s[op->output].first =
        i > 0 && m->op_info[i - 1].fused_add ? (int32_t)i - 1 : (int32_t)i;
    if (s[op->output].last < (int32_t)i) s[op->output].last = (int32_t)i;
    for (uint32_t k = 0; k < op->num_inputs; ++k) {
      span* in = &s[op->inputs[k]];
      in->last =
          k == 0 ? (in->last > (int32_t)i ? in->last : (int32_t)i) : FOREVER;
    }
  }
  for (uint32_t k = 0; k < m->num_outputs; ++k) s[m->outputs[k]].last = FOREVER;
  for (uint32_t v = 0; v < nv; ++v)
    if (s[v].last == FOREVER) s[v].first = -1; /* persistent: whole stream */

  size_t total = 0;
  for (uint32_t n = 0; n < nv; ++n) {
    /* Place the largest unplaced value at the lowest offset that clashes
     * with no placed value alive at the same time (first fit). */
    uint32_t pick = nv;
    for (uint32_t v = 0; v < nv; ++v)
      if (!s[v].placed && (pick == nv || s[v].bytes > s[pick].bytes)) pick = v;
    size_t offset = 0;
    for (int moved = 1; moved;) {
      moved = 0;
      for (uint32_t v = 0; v < nv; ++v) {
        if (!s[v].placed) continue;
        int time_overlap =
            s[v].first <= s[pick].last && s[pick].first <= s[v].last;
        int space_overlap = offset < s[v].offset + s[v].bytes &&
                            s[v].offset < offset + s[pick].bytes;
        if (time_overlap && space_overlap) {
          offset = s[v].offset + s[v].bytes;
          moved = 1;
        }
      }
    }
    s[pick].offset = offset;
    s[pick].placed = 1;
    if (offset + s[pick].bytes > total) total = offset + s[pick].bytes;
  }
  for (uint32_t v = 0; v < nv; ++v) m->value_offset[v] = s[v].offset;
  m->activation_bytes = total;

  m->state_bytes = 0;
  m->scratch_bytes = 0;
  for (uint32_t i = 0; i < nops; ++i) {
    voxgate_op_info* info = &m->op_info[i];
    info->state_offset = m->state_bytes;
    m->state_bytes += align_up(info->state_bytes);
    if (info->scratch_bytes > m->scratch_bytes)
      m->scratch_bytes = align_up(info->scratch_bytes);
  }
  free(s);
  return VOXGATE_OK;
}
