/* Per-stream state and the runner: one arena holding the activation area,
 * every op's state, the scratch, "written this step" flags and, for audio
 * input, a frontend. Nothing allocates after create/init_in. */
#include <stdlib.h>
#include <string.h>

#include "api/status.h"
#include "frontend/frontend.h"
#include "graph/model.h"
#include "graph/ops.h"

/* What step() needs of op i, resolved once per stream into this stream's
 * arena (per-step address arithmetic showed up in profiles). */
typedef struct {
  const void* in[VOXGATE_FORMAT_MAX_INPUTS + 1]; /* + a fused ADD's input */
  void* out;
  void* state;
  uint32_t trigger; /* the op runs in steps that wrote this value */
  uint32_t output;  /* the value it writes */
  uint32_t next;    /* the next op: i + 2 past an ADD fused into op i */
} stream_op;

struct voxgate_stream {
  const voxgate_model* model;
  uint8_t* activations;
  uint8_t* state;
  uint8_t* scratch;
  uint8_t* written; /* per value: written during the current step */
  stream_op* ops;   /* op_count entries */
  voxgate_frontend* frontend;
  int16_t* feature_frame;
  uint64_t frames;
  void* owned;
};

#define ALIGN 16
static size_t align_up(size_t n) {
  return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* Byte layout of a stream: [struct][activations][state][scratch][written]
 * [ops][frontend][feature frame]. */
typedef struct {
  size_t activations, state, scratch, written, ops, frontend, feature, total;
} layout;

static int compute_layout(const voxgate_model* m, layout* l) {
  size_t at = align_up(sizeof(struct voxgate_stream));
  l->activations = at;
  at += align_up(m->activation_bytes);
  l->state = at;
  at += align_up(m->state_bytes);
  l->scratch = at;
  at += align_up(m->scratch_bytes);
  l->written = at;
  at += align_up(m->header->value_count);
  l->ops = at;
  at += align_up(sizeof(stream_op) * m->header->op_count);
  l->frontend = at;
  if (m->has_frontend) {
    size_t fe_bytes = 0;
    int st = voxgate_frontend_state_bytes(&m->frontend, &fe_bytes);
    if (st != VOXGATE_OK) return st;
    at += align_up(fe_bytes);
  }
  l->feature = at;
  if (m->has_frontend) at += align_up((size_t)m->frontend.num_channels * 2);
  l->total = at + ALIGN; /* room to align the caller's buffer */
  return VOXGATE_OK;
}

int voxgate_stream_state_bytes(const voxgate_model* m, size_t* out_bytes) {
  if (m == NULL || out_bytes == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "model or out_bytes is NULL");
  layout l;
  int st = compute_layout(m, &l);
  if (st != VOXGATE_OK) return st;
  *out_bytes = l.total;
  return VOXGATE_OK;
}

int voxgate_stream_init_in(const voxgate_model* m, void* buf, size_t bytes,
                           voxgate_stream** out) {
  if (m == NULL || buf == NULL || out == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "model, buf or out is NULL");
  *out = NULL;
  layout l;
  int st = compute_layout(m, &l);
  if (st != VOXGATE_OK) return st;
  if (bytes < l.total)
    return voxgate_fail(VOXGATE_ERR_MEMORY,
                        "stream needs %zu bytes, buffer has %zu", l.total,
                        bytes);
  uint8_t* base = (uint8_t*)buf;
  base += (ALIGN - (uintptr_t)base % ALIGN) % ALIGN;
  memset(base, 0, l.total - ALIGN);
  voxgate_stream* s = (voxgate_stream*)base;
  s->model = m;
  s->activations = base + l.activations;
  s->state = base + l.state;
  s->scratch = base + l.scratch;
  s->written = base + l.written;
  s->ops = (stream_op*)(void*)(base + l.ops);
  for (uint32_t i = 0; i < m->header->op_count; ++i) {
    const voxgate_op_info* info = &m->op_info[i];
    const voxgate_op_entry* op = info->entry;
    stream_op* o = &s->ops[i];
    for (uint32_t k = 0; k < op->num_inputs; ++k)
      o->in[k] = s->activations + m->value_offset[op->inputs[k]];
    o->state = s->state + info->state_offset;
    o->trigger = op->inputs[0];
    o->output = op->output;
    o->next = i + 1;
    if (info->fused_add != NULL) {
      /* The next op, an ADD of this op's output, runs inside this one
       * (fuse.c): it gets the ADD's second input and writes its output. */
      const voxgate_op_entry* add = m->op_info[i + 1].entry;
      o->in[op->num_inputs] = s->activations + m->value_offset[add->inputs[1]];
      o->output = add->output;
      o->next = i + 2;
    }
    o->out = s->activations + m->value_offset[o->output];
  }
  if (m->has_frontend) {
    size_t fe_bytes = 0;
    voxgate_frontend_state_bytes(&m->frontend, &fe_bytes);
    st = voxgate_frontend_init_in(&m->frontend, base + l.frontend, fe_bytes,
                                  &s->frontend);
    if (st != VOXGATE_OK) return st;
    s->feature_frame = (int16_t*)(base + l.feature);
  }
  voxgate_stream_reset(s);
  *out = s;
  return VOXGATE_OK;
}

int voxgate_stream_create(const voxgate_model* m, voxgate_stream** out) {
  if (out == NULL) return voxgate_fail(VOXGATE_ERR_ARGUMENT, "out is NULL");
  *out = NULL;
  size_t bytes = 0;
  int st = voxgate_stream_state_bytes(m, &bytes);
  if (st != VOXGATE_OK) return st;
  void* buf = malloc(bytes);
  if (buf == NULL)
    return voxgate_fail(VOXGATE_ERR_MEMORY, "malloc(%zu) failed", bytes);
  st = voxgate_stream_init_in(m, buf, bytes, out);
  if (st != VOXGATE_OK) {
    free(buf);
    return st;
  }
  (*out)->owned = buf;
  return VOXGATE_OK;
}

void voxgate_stream_destroy(voxgate_stream* s) {
  if (s != NULL && s->owned != NULL) free(s->owned);
}

int voxgate_stream_reset(voxgate_stream* s) {
  if (s == NULL) return voxgate_fail(VOXGATE_ERR_ARGUMENT, "stream is NULL");
  const voxgate_model* m = s->model;
  memset(s->activations, 0, m->activation_bytes);
  for (uint32_t i = 0; i < m->header->op_count; ++i) {
    const voxgate_op_info* info = &m->op_info[i];
    if (info->def->reset != NULL)
      info->def->reset(info, s->state + info->state_offset);
  }
  if (s->frontend != NULL) voxgate_frontend_reset(s->frontend);
  s->frames = 0;
  return VOXGATE_OK;
}

/* One step of the graph over one input frame. */
static uint32_t step(voxgate_stream* s, const void* frame) {
  const voxgate_model* m = s->model;
  memset(s->written, 0, m->header->value_count);
  memcpy(s->activations + m->value_offset[0], frame,
         voxgate_value_frame_bytes(&m->values[0]));
  s->written[0] = 1;
  for (uint32_t i = 0; i < m->header->op_count;) {
    const stream_op* o = &s->ops[i];
    const voxgate_op_info* info = &m->op_info[i];
    if (s->written[o->trigger] &&
        info->def->run(info, o->state, s->scratch, o->in, o->out))
      s->written[o->output] = 1;
    i = o->next;
  }
  s->frames++;
  uint32_t updated = 0;
  for (uint32_t k = 0; k < m->num_outputs; ++k)
    if (s->written[m->outputs[k]]) updated |= 1u << k;
  return updated;
}

static void report(const voxgate_stream* s, uint32_t updated,
                   voxgate_output_fn fn, void* user_data) {
  if (fn == NULL) return;
  const voxgate_model* m = s->model;
  for (uint32_t k = 0; k < m->num_outputs; ++k)
    if (updated & (1u << k))
      fn(user_data, s->frames - 1, (int)k,
         (const int8_t*)(s->activations + m->value_offset[m->outputs[k]]),
         m->values[m->outputs[k]].channels);
}

int voxgate_stream_accept_frame(voxgate_stream* s, const void* frame,
                                uint32_t* out_updated) {
  if (s == NULL || frame == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "stream or frame is NULL");
  uint32_t updated = step(s, frame);
  if (out_updated) *out_updated = updated;
  return VOXGATE_OK;
}

int voxgate_stream_accept_frames(voxgate_stream* s, const void* frames,
                                 size_t num_frames, voxgate_output_fn fn,
                                 void* user_data) {
  if (s == NULL || (frames == NULL && num_frames > 0))
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "stream or frames is NULL");
  const size_t frame_bytes = voxgate_value_frame_bytes(&s->model->values[0]);
  const uint8_t* p = (const uint8_t*)frames;
  for (size_t i = 0; i < num_frames; ++i)
    report(s, step(s, p + i * frame_bytes), fn, user_data);
  return VOXGATE_OK;
}

int voxgate_stream_accept_waveform(voxgate_stream* s, const int16_t* samples,
                                   size_t num_samples, voxgate_output_fn fn,
                                   void* user_data) {
  if (s == NULL || (samples == NULL && num_samples > 0))
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "stream or samples is NULL");
  if (s->frontend == NULL)
    return voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                        "this model has no frontend metadata; feed it "
                        "feature frames instead");
  size_t pos = 0;
  while (pos < num_samples) {
    size_t used = 0, got = 0;
    int st =
        voxgate_frontend_process(s->frontend, samples + pos, num_samples - pos,
                                 s->feature_frame, 1, &used, &got);
    if (st != VOXGATE_OK) return st;
    pos += used;
    if (got) report(s, step(s, s->feature_frame), fn, user_data);
  }
  return VOXGATE_OK;
}

int voxgate_stream_read_output(const voxgate_stream* s, int index, int8_t* out,
                               size_t capacity) {
  if (s == NULL || out == NULL || index < 0 ||
      (uint32_t)index >= s->model->num_outputs)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "bad stream, buffer or index");
  const voxgate_model* m = s->model;
  uint32_t v = m->outputs[index];
  if (capacity < m->values[v].channels)
    return voxgate_fail(VOXGATE_ERR_MEMORY, "output %d has %u channels", index,
                        m->values[v].channels);
  memcpy(out, s->activations + m->value_offset[v], m->values[v].channels);
  return VOXGATE_OK;
}

uint64_t voxgate_stream_frames(const voxgate_stream* s) {
  return s ? s->frames : 0;
}
