/* Loading a .vgm file: every offset, size and index is checked before use,
 * so a truncated or hostile file gets a status and a message, never a
 * crash (the loader is fuzzed in CI). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/status.h"
#include "graph/model.h"
#include "graph/ops.h"

#define FAIL_FORMAT(...) voxgate_fail(VOXGATE_ERR_FORMAT, __VA_ARGS__)

size_t voxgate_tensor_elements(const voxgate_tensor_entry* t) {
  size_t n = 1;
  for (uint32_t i = 0; i < t->rank; ++i) n *= (size_t)t->dims[i];
  return n;
}

size_t voxgate_value_frame_bytes(const voxgate_value_entry* v) {
  return (size_t)v->channels * (v->dtype == VOXGATE_DTYPE_S16 ? 2u : 1u);
}

/* [offset, offset + bytes) inside the file, without overflow. */
static int in_file(const voxgate_model* m, uint64_t offset, uint64_t bytes) {
  return offset <= m->bytes && bytes <= m->bytes - offset;
}

static int check_table(const voxgate_model* m, uint64_t offset, uint32_t count,
                       size_t entry_bytes, uint32_t max_count,
                       const char* what) {
  if (count > max_count)
    return FAIL_FORMAT("%s count %u exceeds the limit %u", what, count,
                       max_count);
  if (offset % VOXGATE_FORMAT_ALIGN != 0)
    return FAIL_FORMAT("%s table offset %llu is not %d-byte aligned", what,
                       (unsigned long long)offset, VOXGATE_FORMAT_ALIGN);
  if (!in_file(m, offset, (uint64_t)count * entry_bytes))
    return FAIL_FORMAT(
        "%s table (%u entries at %llu) runs past the end of "
        "the %zu-byte file",
        what, count, (unsigned long long)offset, m->bytes);
  return VOXGATE_OK;
}

static int check_header(voxgate_model* m) {
  if (m->bytes < sizeof(voxgate_file_header))
    return FAIL_FORMAT("file is %zu bytes, shorter than the %zu-byte header",
                       m->bytes, sizeof(voxgate_file_header));
  const voxgate_file_header* h = (const voxgate_file_header*)m->data;
  if (memcmp(h->magic, VOXGATE_FORMAT_MAGIC, 4) != 0)
    return FAIL_FORMAT("bad magic: not a voxgate model file");
  if (h->version_major != VOXGATE_FORMAT_VERSION_MAJOR)
    return voxgate_fail(
        VOXGATE_ERR_VERSION, "format version %u.%u; this build reads %d.x",
        h->version_major, h->version_minor, VOXGATE_FORMAT_VERSION_MAJOR);
  if (h->header_bytes != sizeof(voxgate_file_header) || h->flags != 0)
    return FAIL_FORMAT("header size %u or flags %u not as specified",
                       h->header_bytes, h->flags);
  if (h->file_bytes != m->bytes)
    return FAIL_FORMAT("header says %llu bytes, file has %zu (truncated?)",
                       (unsigned long long)h->file_bytes, m->bytes);
  int st;
  if ((st = check_table(m, h->meta_offset, h->meta_count,
                        sizeof(voxgate_meta_entry), VOXGATE_MAX_META,
                        "metadata")) ||
      (st = check_table(m, h->value_offset, h->value_count,
                        sizeof(voxgate_value_entry), VOXGATE_MAX_VALUES,
                        "value")) ||
      (st = check_table(m, h->tensor_offset, h->tensor_count,
                        sizeof(voxgate_tensor_entry), VOXGATE_MAX_TENSORS,
                        "tensor")) ||
      (st = check_table(m, h->op_offset, h->op_count, sizeof(voxgate_op_entry),
                        VOXGATE_MAX_OPS, "op")))
    return st;
  if (h->value_count < 2 || h->op_count < 1)
    return FAIL_FORMAT("a model needs an input value, an op and an output");
  m->header = h;
  m->meta = (const voxgate_meta_entry*)(m->data + h->meta_offset);
  m->values = (const voxgate_value_entry*)(m->data + h->value_offset);
  m->tensors = (const voxgate_tensor_entry*)(m->data + h->tensor_offset);
  m->ops = (const voxgate_op_entry*)(m->data + h->op_offset);
  return VOXGATE_OK;
}

static int check_meta(const voxgate_model* m) {
  for (uint32_t i = 0; i < m->header->meta_count; ++i) {
    const voxgate_meta_entry* e = &m->meta[i];
    if (e->key_bytes < 2 || !in_file(m, e->key_offset, e->key_bytes) ||
        m->data[e->key_offset + e->key_bytes - 1] != '\0' ||
        memchr(m->data + e->key_offset, 0, e->key_bytes - 1) != NULL)
      return FAIL_FORMAT("metadata entry %u: bad key", i);
    if (!in_file(m, e->value_offset, e->value_bytes))
      return FAIL_FORMAT("metadata entry %u: value outside the file", i);
    switch (e->type) {
      case VOXGATE_META_I64:
      case VOXGATE_META_F64:
        if (e->value_bytes != (uint64_t)e->count * 8 || e->value_offset % 8)
          return FAIL_FORMAT(
              "metadata entry %u: numeric array size or "
              "alignment wrong",
              i);
        break;
      case VOXGATE_META_STR:
        if (e->value_bytes != e->count)
          return FAIL_FORMAT("metadata entry %u: string size wrong", i);
        break;
      case VOXGATE_META_STR_LIST: {
        const uint8_t* p = m->data + e->value_offset;
        uint64_t left = e->value_bytes;
        for (uint32_t k = 0; k < e->count; ++k) {
          const uint8_t* nul = memchr(p, 0, left);
          if (nul == NULL)
            return FAIL_FORMAT("metadata entry %u: string list cut short", i);
          left -= (uint64_t)(nul - p) + 1;
          p = nul + 1;
        }
        if (left != 0)
          return FAIL_FORMAT(
              "metadata entry %u: string list has %llu extra "
              "bytes",
              i, (unsigned long long)left);
        break;
      }
      default:
        return FAIL_FORMAT("metadata entry %u: unknown type %u", i, e->type);
    }
  }
  return VOXGATE_OK;
}

static int check_values(const voxgate_model* m) {
  for (uint32_t i = 0; i < m->header->value_count; ++i) {
    const voxgate_value_entry* v = &m->values[i];
    int dtype_ok = v->dtype == VOXGATE_DTYPE_S8 ||
                   (i == 0 && v->dtype == VOXGATE_DTYPE_S16);
    if (!dtype_ok || v->channels < 1 || v->channels > VOXGATE_MAX_CHANNELS)
      return FAIL_FORMAT("value %u: dtype %u with %u channels not allowed", i,
                         v->dtype, v->channels);
  }
  return VOXGATE_OK;
}

static int check_tensors(const voxgate_model* m) {
  for (uint32_t i = 0; i < m->header->tensor_count; ++i) {
    const voxgate_tensor_entry* t = &m->tensors[i];
    if (t->rank < 1 || t->rank > VOXGATE_FORMAT_MAX_RANK || t->reserved != 0)
      return FAIL_FORMAT("tensor %u: rank %u", i, t->rank);
    uint64_t elements = 1;
    for (uint32_t d = 0; d < VOXGATE_FORMAT_MAX_RANK; ++d) {
      if (t->dims[d] < 1 || (d >= t->rank && t->dims[d] != 1))
        return FAIL_FORMAT("tensor %u: dimension %u is %d", i, d, t->dims[d]);
      elements *= (uint64_t)t->dims[d];
      if (elements > ((uint64_t)1 << 28))
        return FAIL_FORMAT("tensor %u: too many elements", i);
    }
    uint64_t expect;
    switch (t->dtype) {
      case VOXGATE_DTYPE_S8:
      case VOXGATE_DTYPE_S16:
      case VOXGATE_DTYPE_S32: {
        uint32_t size = t->dtype == VOXGATE_DTYPE_S8    ? 1
                        : t->dtype == VOXGATE_DTYPE_S16 ? 2
                                                        : 4;
        if (t->bits != size * 8)
          return FAIL_FORMAT("tensor %u: bits %u do not match dtype", i,
                             t->bits);
        expect = elements * size;
        break;
      }
      case VOXGATE_DTYPE_PACKED: {
        if (t->bits < 2 || t->bits > 8)
          return FAIL_FORMAT("tensor %u: packed width %u bits not in 2..8", i,
                             t->bits);
        uint64_t row = elements / (uint64_t)t->dims[0];
        expect = (uint64_t)t->dims[0] * ((row * t->bits + 7) / 8);
        break;
      }
      default:
        return FAIL_FORMAT("tensor %u: unknown dtype %u", i, t->dtype);
    }
    if (t->data_bytes != expect)
      return FAIL_FORMAT("tensor %u: %llu data bytes, shape needs %llu", i,
                         (unsigned long long)t->data_bytes,
                         (unsigned long long)expect);
    if (t->data_offset % VOXGATE_FORMAT_ALIGN != 0 ||
        !in_file(m, t->data_offset, t->data_bytes))
      return FAIL_FORMAT("tensor %u: data misaligned or outside the file", i);
  }
  return VOXGATE_OK;
}

static const voxgate_meta_entry* find_meta(const voxgate_model* m,
                                           const char* key) {
  for (uint32_t i = 0; i < m->header->meta_count; ++i)
    if (strcmp((const char*)m->data + m->meta[i].key_offset, key) == 0)
      return &m->meta[i];
  return NULL;
}

static int read_outputs_and_frontend(voxgate_model* m) {
  const voxgate_meta_entry* e = find_meta(m, VOXGATE_KEY_OUTPUTS);
  if (e == NULL || e->type != VOXGATE_META_I64 || e->count < 1 ||
      e->count > VOXGATE_MAX_OUTPUTS)
    return FAIL_FORMAT("metadata \"%s\" must list 1..%d output values",
                       VOXGATE_KEY_OUTPUTS, VOXGATE_MAX_OUTPUTS);
  const int64_t* outs = (const int64_t*)(m->data + e->value_offset);
  m->num_outputs = e->count;
  for (uint32_t i = 0; i < e->count; ++i) {
    if (outs[i] < 1 || outs[i] >= (int64_t)m->header->value_count)
      return FAIL_FORMAT("output %u names value %lld, which does not exist", i,
                         (long long)outs[i]);
    m->outputs[i] = (uint32_t)outs[i];
  }
  e = find_meta(m, VOXGATE_KEY_FRONTEND);
  m->has_frontend = 0;
  if (e != NULL) {
    const size_t fields = sizeof(voxgate_frontend_config) / sizeof(int32_t);
    if (e->type != VOXGATE_META_I64 || e->count != fields)
      return FAIL_FORMAT("metadata \"%s\" must hold %zu integers",
                         VOXGATE_KEY_FRONTEND, fields);
    const int64_t* f = (const int64_t*)(m->data + e->value_offset);
    int32_t* dst = (int32_t*)&m->frontend;
    for (size_t i = 0; i < fields; ++i) {
      if (f[i] < INT32_MIN || f[i] > INT32_MAX)
        return FAIL_FORMAT("frontend field %zu out of range", i);
      dst[i] = (int32_t)f[i];
    }
    int st = voxgate_frontend_config_check(&m->frontend);
    if (st != VOXGATE_OK)
      return voxgate_fail(VOXGATE_ERR_FORMAT, "%s", voxgate_last_error());
    if (m->values[0].dtype != VOXGATE_DTYPE_S16 ||
        m->values[0].channels != (uint32_t)m->frontend.num_channels)
      return FAIL_FORMAT(
          "frontend gives %d int16 channels; the input value "
          "does not match",
          m->frontend.num_channels);
    m->has_frontend = 1;
  }
  return VOXGATE_OK;
}

static int prepare_ops(voxgate_model* m) {
  const uint32_t nv = m->header->value_count;
  uint8_t* written = calloc(nv, 1);
  m->op_info = calloc(m->header->op_count, sizeof(voxgate_op_info));
  if (written == NULL || m->op_info == NULL) {
    free(written);
    return voxgate_fail(VOXGATE_ERR_MEMORY, "out of memory preparing ops");
  }
  written[0] = 1;
  int st = VOXGATE_OK;
  for (uint32_t i = 0; i < m->header->op_count && st == VOXGATE_OK; ++i) {
    const voxgate_op_entry* op = &m->ops[i];
    voxgate_op_info* info = &m->op_info[i];
    info->entry = op;
    info->def = voxgate_op_find(op->type);
    if (info->def == NULL) {
      st =
          voxgate_fail(VOXGATE_ERR_UNSUPPORTED,
                       "op %u: unknown op type %u (newer model?)", i, op->type);
      break;
    }
    if (op->num_inputs != info->def->num_inputs || op->reserved != 0) {
      st = FAIL_FORMAT("op %u (%s): %u inputs, expected %u", i, info->def->name,
                       op->num_inputs, info->def->num_inputs);
      break;
    }
    for (uint32_t k = 0; k < op->num_inputs && st == VOXGATE_OK; ++k) {
      if (op->inputs[k] >= nv || !written[op->inputs[k]])
        st = FAIL_FORMAT(
            "op %u (%s): input %u reads value %u before any op "
            "writes it",
            i, info->def->name, k, op->inputs[k]);
      else {
        info->in_channels[k] = m->values[op->inputs[k]].channels;
        info->in_dtype[k] = m->values[op->inputs[k]].dtype;
      }
    }
    if (st != VOXGATE_OK) break;
    if (op->output == 0 || op->output >= nv || written[op->output]) {
      st = FAIL_FORMAT(
          "op %u (%s): output value %u is the input, missing "
          "or written twice",
          i, info->def->name, op->output);
      break;
    }
    for (int k = 0; k < VOXGATE_FORMAT_MAX_TENSORS; ++k) {
      int32_t t = op->tensors[k];
      if (t == -1) continue;
      if (t < 0 || (uint32_t)t >= m->header->tensor_count) {
        st = FAIL_FORMAT(
            "op %u (%s): tensor slot %d names tensor %d, which "
            "does not exist",
            i, info->def->name, k, t);
        break;
      }
      info->tensor[k] = &m->tensors[t];
      info->tensor_data[k] = m->data + m->tensors[t].data_offset;
    }
    if (st != VOXGATE_OK) break;
    /* Ops other than QUANTIZE read int8 only. */
    for (uint32_t k = 0; k < op->num_inputs; ++k)
      if (info->in_dtype[k] != VOXGATE_DTYPE_S8 &&
          op->type != VOXGATE_OP_QUANTIZE)
        st = FAIL_FORMAT("op %u (%s): input %u is not int8", i, info->def->name,
                         k);
    if (st != VOXGATE_OK) break;
    st = info->def->prepare(info, i);
    if (st != VOXGATE_OK) break;
    if (info->out_channels != m->values[op->output].channels) {
      st = FAIL_FORMAT("op %u (%s): computes %u channels, value %u has %u", i,
                       info->def->name, info->out_channels, op->output,
                       m->values[op->output].channels);
      break;
    }
    written[op->output] = 1;
  }
  for (uint32_t k = 0; k < m->num_outputs && st == VOXGATE_OK; ++k)
    if (!written[m->outputs[k]])
      st = FAIL_FORMAT("output %u (value %u) is never written", k,
                       m->outputs[k]);
  free(written);
  return st;
}

static int load(voxgate_model* m) {
  int st;
  if ((st = check_header(m)) || (st = check_meta(m)) ||
      (st = check_values(m)) || (st = check_tensors(m)) ||
      (st = read_outputs_and_frontend(m)) || (st = prepare_ops(m)))
    return st;
  voxgate_model_fuse(m);
  if ((st = voxgate_model_plan(m))) return st;
  return VOXGATE_OK;
}

int voxgate_model_load_buffer(const void* data, size_t bytes, int copy,
                              voxgate_model** out) {
  if (out == NULL || (data == NULL && bytes > 0))
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "model buffer or out is NULL");
  *out = NULL;
  if (!copy && ((uintptr_t)data % VOXGATE_FORMAT_ALIGN) != 0)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT,
                        "a borrowed model buffer must be %d-byte aligned",
                        VOXGATE_FORMAT_ALIGN);
  voxgate_model* m = calloc(1, sizeof *m);
  if (m == NULL) return voxgate_fail(VOXGATE_ERR_MEMORY, "out of memory");
  if (copy) {
    /* malloc's alignment (16 on 64-bit targets) is enough; the size is at
     * least 1 so an empty file still gets a buffer to reject. */
    m->owned = malloc(bytes ? bytes : 1);
    if (m->owned == NULL) {
      free(m);
      return voxgate_fail(VOXGATE_ERR_MEMORY, "cannot copy %zu bytes", bytes);
    }
    if (bytes) memcpy(m->owned, data, bytes);
    m->data = m->owned;
  } else {
    m->data = data;
  }
  m->bytes = bytes;
  int st = load(m);
  if (st != VOXGATE_OK) {
    voxgate_model_free(m);
    return st;
  }
  *out = m;
  return VOXGATE_OK;
}

int voxgate_model_load_file(const char* path, voxgate_model** out) {
  if (path == NULL || out == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "path or out is NULL");
  *out = NULL;
  FILE* f = fopen(path, "rb");
  if (f == NULL)
    return voxgate_fail(VOXGATE_ERR_IO, "cannot open model file %s", path);
  long size = -1;
  if (fseek(f, 0, SEEK_END) == 0) size = ftell(f);
  if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
    fclose(f);
    return voxgate_fail(VOXGATE_ERR_IO, "cannot read model file %s", path);
  }
  void* buf = malloc(size ? (size_t)size : 1);
  if (buf == NULL) {
    fclose(f);
    return voxgate_fail(VOXGATE_ERR_MEMORY, "cannot allocate %ld bytes", size);
  }
  size_t got = fread(buf, 1, (size_t)size, f);
  fclose(f);
  if (got != (size_t)size) {
    free(buf);
    return voxgate_fail(VOXGATE_ERR_IO, "short read of model file %s", path);
  }
  voxgate_model* m = calloc(1, sizeof *m);
  if (m == NULL) {
    free(buf);
    return voxgate_fail(VOXGATE_ERR_MEMORY, "out of memory");
  }
  m->owned = buf;
  m->data = buf;
  m->bytes = (size_t)size;
  int st = load(m);
  if (st != VOXGATE_OK) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s", voxgate_last_error());
    voxgate_model_free(m);
    return voxgate_fail(st, "%s: %s", path, msg);
  }
  *out = m;
  return VOXGATE_OK;
}

void voxgate_model_free(voxgate_model* m) {
  if (m == NULL) return;
  if (m->op_info != NULL)
    for (uint32_t i = 0; i < m->header->op_count; ++i)
      if (m->op_info[i].def != NULL && m->op_info[i].def->release != NULL)
        m->op_info[i].def->release(&m->op_info[i]);
  free(m->op_info);
  free(m->value_offset);
  free(m->owned);
  free(m);
}

int voxgate_model_meta(const voxgate_model* m, const char* key,
                       uint32_t* out_type, uint32_t* out_count,
                       const void** out_data, size_t* out_bytes) {
  if (m == NULL || key == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "model or key is NULL");
  const voxgate_meta_entry* e = find_meta(m, key);
  if (e == NULL)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "no metadata key \"%s\"", key);
  if (out_type) *out_type = e->type;
  if (out_count) *out_count = e->count;
  if (out_data) *out_data = m->data + e->value_offset;
  if (out_bytes) *out_bytes = (size_t)e->value_bytes;
  return VOXGATE_OK;
}

int voxgate_model_input_channels(const voxgate_model* m) {
  return m ? (int)m->values[0].channels : VOXGATE_ERR_ARGUMENT;
}
int voxgate_model_input_dtype(const voxgate_model* m) {
  return m ? (int)m->values[0].dtype : VOXGATE_ERR_ARGUMENT;
}
int voxgate_model_num_outputs(const voxgate_model* m) {
  return m ? (int)m->num_outputs : VOXGATE_ERR_ARGUMENT;
}
int voxgate_model_output_channels(const voxgate_model* m, int index) {
  if (m == NULL || index < 0 || (uint32_t)index >= m->num_outputs)
    return voxgate_fail(VOXGATE_ERR_ARGUMENT, "no output %d", index);
  return (int)m->values[m->outputs[index]].channels;
}
int voxgate_model_num_ops(const voxgate_model* m) {
  return m ? (int)m->header->op_count : VOXGATE_ERR_ARGUMENT;
}

int voxgate_model_meta_count(const voxgate_model* m) {
  return m ? (int)m->header->meta_count : VOXGATE_ERR_ARGUMENT;
}

const char* voxgate_model_meta_key(const voxgate_model* m, int index) {
  if (m == NULL || index < 0 || (uint32_t)index >= m->header->meta_count)
    return NULL;
  return (const char*)m->data + m->meta[index].key_offset;
}
