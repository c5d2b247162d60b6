/* GRU: one streaming step of an integer-only GRU cell (Keras GRU with
 * reset_after=True, gate order z, r, n): one int8 frame in, the hidden state
 * updated in place, the new hidden state out as int8.
 *
 * Float model (H hidden units, I inputs, h the previous state):
 *   z  = sigmoid(Wz x + bxz + Uz h + bhz)
 *   r  = sigmoid(Wr x + bxr + Ur h + bhr)
 *   n  = tanh(Wn x + bxn + r * (Un h + bhn))
 *   h' = n + z * (h - n)                    (= z h + (1 - z) n)
 *
 * Quantization (the fixed scales need no calibration):
 *   x        int8, x_scale, x_zero_point (the previous layer's output)
 *   W rows   int8 symmetric per row: w_x [3H, I], rows z (0..H-1),
 *            r (H..2H-1), n (2H..3H-1); same for U in w_h [3H, H]
 *   state    int16 h16, scale 2^-15, zero point 0 (Q15)
 *   h8       int8, scale 1/128, zero point 0: the op's output and the
 *            recurrent matmul input, h8 = sat8(RPOT(h16, 8))
 *   z, r     int8 sigmoid outputs, scale 1/256, zero point -128
 *   n        int8 tanh output, scale 1/128, zero point 0
 *   gate g's pre-activation: an int32 pre_g in units of s_g / 256 (real
 *            value s_g * pre_g / 256), read through a 256-entry int8 table
 *            of the gate's function on the grid s_g * (k - 128 - g_zp),
 *            k = 0..255, with linear interpolation between entries (GATE
 *            below). s_g and g_zp only place the table's grid; tables come
 *            from luts.sigmoid_table(s_g, g_zp) / luts.tanh_table(s_n, n_zp).
 *            Suggested: s = 1/16, zp 0 for z and r (covers +-8, the whole
 *            unsaturated sigmoid), s = 1/32, zp 0 for n (+-4).
 *
 * Why an int16 state: h' = h + (1 - z)(n - h) is a leaky integrator. With an
 * int8 state any update below 1/256 rounds away, so a unit with z near 1
 * freezes instead of integrating slowly; in Q15 the same update moves h.
 * The matmuls still see int8 h8, so all products stay int8 x int8.
 *
 * Integer recipe (exactly what the kernel computes). RQ(a, m, s) is
 * voxgate_requantize (TFLite MultiplyByQuantizedMultiplier), RPOT(v, k) is
 * v / 2^k rounded half away from zero (voxgate_rounding_divide_by_pot),
 * SAT(v) clamps to [-VOXGATE_GRU_S8_SAT, VOXGATE_GRU_S8_SAT] = +-2^22,
 * sat8 clamps to [-128, 127]. First h8[k] = sat8(RPOT(h16[k], 8)) for all k
 * (scratch); then for each unit j, with rows jz = j, jr = H + j, jn = 2H + j:
 *
 *   ax[row] = bias_x[row] + sum_i w_x[row][i] * (x[i] - x_zero_point)
 *   ah[row] = bias_h[row] + sum_k w_h[row][k] * h8[k]
 *   px[row] = SAT(RQ(ax[row], mult_x[row], shift_x[row]))
 *   ph[row] = SAT(RQ(ah[row], mult_h[row], shift_h[row]))
 *     px and ph are in units of s_g / 256 (8 fraction bits), so
 *     mult_x[row] * 2^(shift_x[row] - 31) = x_scale * wx_scale[row] * 256 / s_g
 *     mult_h[row] * 2^(shift_h[row] - 31) = wh_scale[row] * 2 / s_g
 *     and the biases are round(b / (x_scale * wx_scale[row])) and
 *     round(b / (wh_scale[row] / 128)) (the float input and recurrent
 *     biases; z and r may carry their whole bias in either)
 *   z8 = GATE(table_z, px[jz] + ph[jz], z_zero_point)
 *   r8 = GATE(table_r, px[jr] + ph[jr], r_zero_point)
 *   rh = RPOT((r8 + 128) * ph[jn], 8)        r * (Un h + bhn), s_n/256 units
 *   n8 = GATE(table_n, px[jn] + rh, n_zero_point)
 *   h16[j] = n8 * 256 + RPOT((z8 + 128) * (h16[j] - n8 * 256), 8)
 *   y[j]   = sat8(RPOT(h16[j], 8))
 *
 * with the interpolated table read (pre an int32, floor division):
 *
 *   GATE(T, pre, zp): i = floor(pre / 256) + zp, f = pre - 256 floor(pre/256)
 *                     (0..255), T'(k) = T[clamp(k, -128, 127) + 128],
 *                     GATE = RPOT(T'(i) * (256 - f) + T'(i + 1) * f, 8)
 *
 * (in C: i = (pre >> 8) + zp, f = pre & 255). Beyond the table's ends GATE
 * is the end entry.
 *
 * Products of two int8-derived values: r * (U h) multiplies the unsigned
 * gate r8 + 128 (0..255, real r * 256) by the 8-fraction-bit term and drops
 * 8 bits with RPOT; z * (h - n) does the same with z8 + 128 and the Q15
 * difference. Every step is exact int32 arithmetic under the bounds below;
 * h16 stays between h and n, so it never leaves int16. A float (fake-quant)
 * model reproduces the kernel within about 1 LSB per gate without
 * fake-quantizing the pre-activations: apply the float function to the
 * pre-activation sum (including biases), quantize its output to the fixed
 * scale (the interpolated table is within 1 LSB of that), and keep h in
 * Q15 with h8 = round(h * 128). Note z <= 255/256 (sigmoid output is int8),
 * so a unit forgets at least 1/256 of its state per step.
 *
 * Bounds the exporter keeps (and the runner checks): 1 <= I, H <= 16384;
 * |bias| <= 2^29; shifts in [-31, 30] with |ax| << max(shift, 0) within
 * int32 (else RQ wraps, as TFLite's); mults >= 0.
 *
 * Suggested file layout for the runner (format.h GRU): inputs x; tensors
 * w_x S8 [3H, I], w_h S8 [3H, H], bias S32 [2, 3H] (x then h), requant S32
 * [4, 3H] (mult_x, shift_x, mult_h, shift_h), tables S8 [3, 256] (z, r, n);
 * args x_zero_point, z_zero_point, r_zero_point, n_zero_point; state
 * 2H bytes (h16), scratch VOXGATE_GRU_S8_SCRATCH_BYTES(H) = H bytes. */
#ifndef VOXGATE_KERNELS_GRU_S8_H_
#define VOXGATE_KERNELS_GRU_S8_H_

#include <stddef.h>
#include <stdint.h>

#define VOXGATE_GRU_S8_SCRATCH_BYTES(hidden_size) ((size_t)(hidden_size))

/* cdef-begin */
#define VOXGATE_GRU_S8_FRAC_BITS 8
#define VOXGATE_GRU_S8_SAT 4194304
#define VOXGATE_GRU_S8_MAX_SIZE 16384

typedef struct {
  int32_t input_size;    /* I */
  int32_t hidden_size;   /* H */
  const int8_t* w_x;     /* [3H, I] rows z, r, n */
  const int8_t* w_h;     /* [3H, H] rows z, r, n */
  const int32_t* bias_x; /* [3H], or NULL for zeros */
  const int32_t* bias_h; /* [3H], or NULL for zeros */
  const int32_t* mult_x; /* [3H] */
  const int32_t* shift_x;
  const int32_t* mult_h; /* [3H] */
  const int32_t* shift_h;
  const int8_t* table_z; /* [256] sigmoid, output (1/256, -128) */
  const int8_t* table_r; /* [256] sigmoid, output (1/256, -128) */
  const int8_t* table_n; /* [256] tanh, output (1/128, 0) */
  int32_t x_zero_point;
  int32_t z_zero_point; /* of the pre-activations */
  int32_t r_zero_point;
  int32_t n_zero_point;
} voxgate_gru_s8_params;

/* 1 if sizes, pointers, zero points and requant params are in range. */
int voxgate_gru_s8_params_ok(const voxgate_gru_s8_params* p);
/* Bytes of scratch voxgate_gru_s8 needs (the int8 copy of h). */
size_t voxgate_gru_s8_scratch_bytes(int32_t hidden_size);
/* Zeroes the state h16[hidden_size] (h = 0, the start of a stream). */
void voxgate_gru_s8_reset(int16_t* h16, int32_t hidden_size);
/* One step: reads x[I], updates h16[H] in place, writes y[H] (int8, scale
 * 1/128, zero point 0). scratch: voxgate_gru_s8_scratch_bytes(H) bytes.
 * x, h16, y and scratch must not overlap. */
void voxgate_gru_s8_ref(const voxgate_gru_s8_params* p, const int8_t* x,
                        int16_t* h16, int8_t* y, int8_t* scratch);
void voxgate_gru_s8(const voxgate_gru_s8_params* p, const int8_t* x,
                    int16_t* h16, int8_t* y, int8_t* scratch);
/* cdef-end */

#endif
