#include "kernels/gru_s8.h"

#include "kernels/requant.h"

static int32_t sat_pre(int32_t v) {
  return v < -VOXGATE_GRU_S8_SAT
             ? -VOXGATE_GRU_S8_SAT
             : (v > VOXGATE_GRU_S8_SAT ? VOXGATE_GRU_S8_SAT : v);
}

static int32_t dot_s8(const int8_t* w, const int8_t* v, int32_t n,
                      int32_t offset) {
  int32_t acc = 0;
  for (int32_t i = 0; i < n; ++i)
    acc += (int32_t)w[i] * ((int32_t)v[i] - offset);
  return acc;
}

static int32_t table_at(const int8_t* table, int32_t k) {
  return table[(k < -128 ? -128 : (k > 127 ? 127 : k)) + 128];
}

/* GATE(T, pre, zp) of the header: the table at pre / 256 + zp, linearly
 * interpolated over the 8 fraction bits, ends held. */
static int32_t gate(const int8_t* table, int32_t pre, int32_t zero_point) {
  const int32_t i = (pre >> VOXGATE_GRU_S8_FRAC_BITS) + zero_point;
  const int32_t f = pre & ((1 << VOXGATE_GRU_S8_FRAC_BITS) - 1);
  const int32_t v = table_at(table, i) * (256 - f) + table_at(table, i + 1) * f;
  return voxgate_rounding_divide_by_pot(v, VOXGATE_GRU_S8_FRAC_BITS);
}

static int zp_ok(int32_t zp) { return zp >= -128 && zp <= 127; }

int voxgate_gru_s8_params_ok(const voxgate_gru_s8_params* p) {
  if (p == NULL || p->input_size < 1 ||
      p->input_size > VOXGATE_GRU_S8_MAX_SIZE || p->hidden_size < 1 ||
      p->hidden_size > VOXGATE_GRU_S8_MAX_SIZE)
    return 0;
  if (!p->w_x || !p->w_h || !p->mult_x || !p->shift_x || !p->mult_h ||
      !p->shift_h || !p->table_z || !p->table_r || !p->table_n)
    return 0;
  if (!zp_ok(p->x_zero_point) || !zp_ok(p->z_zero_point) ||
      !zp_ok(p->r_zero_point) || !zp_ok(p->n_zero_point))
    return 0;
  const int32_t rows = 3 * p->hidden_size;
  for (int32_t k = 0; k < rows; ++k) {
    if (p->mult_x[k] < 0 || p->mult_h[k] < 0 || p->shift_x[k] < -31 ||
        p->shift_x[k] > 30 || p->shift_h[k] < -31 || p->shift_h[k] > 30)
      return 0;
    if (p->bias_x && (p->bias_x[k] < -(1 << 29) || p->bias_x[k] > (1 << 29)))
      return 0;
    if (p->bias_h && (p->bias_h[k] < -(1 << 29) || p->bias_h[k] > (1 << 29)))
      return 0;
  }
  return 1;
}

size_t voxgate_gru_s8_scratch_bytes(int32_t hidden_size) {
  return hidden_size > 0 ? VOXGATE_GRU_S8_SCRATCH_BYTES(hidden_size) : 0;
}

void voxgate_gru_s8_reset(int16_t* h16, int32_t hidden_size) {
  for (int32_t j = 0; j < hidden_size; ++j) h16[j] = 0;
}

void voxgate_gru_s8_ref(const voxgate_gru_s8_params* p, const int8_t* x,
                        int16_t* h16, int8_t* y, int8_t* scratch) {
  const int32_t I = p->input_size, H = p->hidden_size;
  int8_t* h8 = scratch;
  for (int32_t k = 0; k < H; ++k)
    h8[k] =
        voxgate_clamp_s8(voxgate_rounding_divide_by_pot(h16[k], 8), -128, 127);
  for (int32_t j = 0; j < H; ++j) {
    int32_t px[3], ph[3];
    for (int g = 0; g < 3; ++g) {
      const int32_t row = g * H + j;
      const int32_t ax =
          (p->bias_x ? p->bias_x[row] : 0) +
          dot_s8(p->w_x + (size_t)row * I, x, I, p->x_zero_point);
      const int32_t ah = (p->bias_h ? p->bias_h[row] : 0) +
                         dot_s8(p->w_h + (size_t)row * H, h8, H, 0);
      px[g] = sat_pre(voxgate_requantize(ax, p->mult_x[row], p->shift_x[row]));
      ph[g] = sat_pre(voxgate_requantize(ah, p->mult_h[row], p->shift_h[row]));
    }
    const int32_t z = gate(p->table_z, px[0] + ph[0], p->z_zero_point);
    const int32_t r = gate(p->table_r, px[1] + ph[1], p->r_zero_point);
    const int32_t rh = voxgate_rounding_divide_by_pot((r + 128) * ph[2], 8);
    const int32_t n = gate(p->table_n, px[2] + rh, p->n_zero_point);
    const int32_t n16 = n * 256;
    const int32_t h_new =
        n16 + voxgate_rounding_divide_by_pot((z + 128) * (h16[j] - n16), 8);
    h16[j] = (int16_t)h_new; /* between h and n: always in int16 */
    y[j] =
        voxgate_clamp_s8(voxgate_rounding_divide_by_pot(h_new, 8), -128, 127);
  }
}

void voxgate_gru_s8(const voxgate_gru_s8_params* p, const int8_t* x,
                    int16_t* h16, int8_t* y, int8_t* scratch) {
  voxgate_gru_s8_ref(p, x, h16, y, scratch);
}
