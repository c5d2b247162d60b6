"""An independent numpy integer model of the nonlinear, recurrent and
conditioning kernels (lut, softmax, mul, film, gru), written from the math in
their headers, not from the C. All arithmetic is int64; int32 behaviour the C
relies on (the wrapping left shift of requantization) is modelled
explicitly.

TFLite's fixed-point rounding, restated in closed form:

* SaturatingRoundingDoublingHighMul(a, b) = floor((a * b + 2^30) / 2^31):
  a*b / 2^31 rounded to nearest with halves toward +inf (the C nudges by
  +-2^30 and truncates; both are the same function). Saturates to 2^31 - 1
  in the single case a = b = -2^31.
* RoundingDivideByPOT(x, e) = sign(x) * floor((|x| + 2^(e-1)) / 2^e):
  halves away from zero.
"""

from __future__ import annotations

import numpy as np

I64 = np.int64


def wrap32(v):
    """Reduce int64 values to int32 two's complement."""
    v = np.asarray(v, I64)
    return ((v + 2**31) & (2**32 - 1)) - 2**31


def srdhm(a, b):
    p = np.asarray(a, I64) * np.asarray(b, I64)
    return np.minimum((p + 2**30) >> 31, 2**31 - 1)


def rdiv_pot(x, e):
    """x / 2^e rounded half away from zero (e >= 0, scalar or array)."""
    x = np.asarray(x, I64)
    e = np.asarray(e, I64)
    half = np.where(e > 0, np.left_shift(I64(1), np.maximum(e - 1, 0)), 0)
    mag = (np.abs(x) + half) >> e
    return np.where(x < 0, -mag, mag)


def rshift_half_up(x, e):
    """x / 2^e rounded half up, as LiteRT's optimized kernels round."""
    x = np.asarray(x, I64)
    e = np.asarray(e, I64)
    half = np.where(e > 0, np.left_shift(I64(1), np.maximum(e - 1, 0)), 0)
    return (x + half) >> e


def requantize(acc, mult, shift):
    """TFLite MultiplyByQuantizedMultiplier (real factor mult * 2^(shift-31))
    with the final shift rounding halves up, as LiteRT's kernels do."""
    acc = np.asarray(acc, I64)
    shift = np.asarray(shift, I64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    return rshift_half_up(srdhm(wrap32(acc << left), mult), right)


def quantize_multiplier(real: float) -> tuple[int, int]:
    """(mult, shift) with real = mult * 2^(shift - 31), mult in [2^30, 2^31)
    (TFLite QuantizeMultiplier, frexp + round, in float64)."""
    if real == 0:
        return 0, 0
    frac, exp = np.frexp(real)
    q = int(np.floor(frac * 2**31 + 0.5))
    if q == 2**31:
        q //= 2
        exp += 1
    if exp < -31:
        return 0, 0
    return q, int(exp)


def lut(x, table):
    x = np.asarray(x, I64)
    return np.asarray(table, I64)[x + 128]


def softmax(x, table):
    """softmax_s8.h: y = min(round_half_up(256 * T[m - x] / sum T) - 128, 127)."""
    x = np.asarray(x, I64)
    t = np.asarray(table, I64)[x.max() - x]
    s = t.sum()
    q = (512 * t + s) // (2 * s)
    return np.minimum(q - 128, 127)


def mul(a, b, a_zp, b_zp, out_zp, mult, shift, act_min, act_max):
    prod = (np.asarray(a, I64) - a_zp) * (np.asarray(b, I64) - b_zp)
    return np.clip(requantize(prod, mult, shift) + out_zp, act_min, act_max)


def film(x, gamma, beta, p: dict):
    """film_s8.h: requant((x-zx)(g-zg)) + requant(b-zb) + zy, clamped."""
    prod = (np.asarray(x, I64) - p["x_zero_point"]) * (
        np.asarray(gamma, I64) - p["gamma_zero_point"]
    )
    a = requantize(prod, p["xg_mult"], p["xg_shift"])
    b = requantize(np.asarray(beta, I64) - p["beta_zero_point"], p["beta_mult"], p["beta_shift"])
    return np.clip(a + b + p["output_zero_point"], p["act_min"], p["act_max"])


GRU_SAT = 1 << 22
GRU_FRAC = 8


def gru_step(p: dict, x, h16):
    """One step of gru_s8.h. p: w_x [3H, I], w_h [3H, H], bias_x, bias_h,
    mult_x, shift_x, mult_h, shift_h [3H], table_z/r/n [256], and the zero
    points x_zero_point, z/r/n_zero_point. Returns (new h16, y)."""
    x = np.asarray(x, I64)
    h16 = np.asarray(h16, I64)
    H = h16.shape[0]
    h8 = np.clip(rdiv_pot(h16, 8), -128, 127)
    ax = np.asarray(p["bias_x"], I64) + np.asarray(p["w_x"], I64) @ (x - p["x_zero_point"])
    ah = np.asarray(p["bias_h"], I64) + np.asarray(p["w_h"], I64) @ h8
    assert np.all(np.abs(ax) < 2**31) and np.all(np.abs(ah) < 2**31)
    px = np.clip(requantize(ax, p["mult_x"], p["shift_x"]), -GRU_SAT, GRU_SAT)
    ph = np.clip(requantize(ah, p["mult_h"], p["shift_h"]), -GRU_SAT, GRU_SAT)
    z_, r_, n_ = slice(0, H), slice(H, 2 * H), slice(2 * H, 3 * H)

    def gate(pre, zp, table):
        """Table at pre/256 + zp, interpolated linearly on the 8 fraction
        bits; indices beyond the table read its end entries."""
        t = np.asarray(table, I64)
        i = np.floor_divide(pre, 256) + zp
        f = pre - 256 * np.floor_divide(pre, 256)

        def at(k):
            return t[np.clip(k, -128, 127) + 128]

        return rdiv_pot(at(i) * (256 - f) + at(i + 1) * f, 8)

    z = gate(px[z_] + ph[z_], p["z_zero_point"], p["table_z"])
    r = gate(px[r_] + ph[r_], p["r_zero_point"], p["table_r"])
    rh = rdiv_pot((r + 128) * ph[n_], 8)
    n = gate(px[n_] + rh, p["n_zero_point"], p["table_n"])
    n16 = n * 256
    h_new = n16 + rdiv_pot((z + 128) * (h16 - n16), 8)
    assert np.all((h_new >= -32768) & (h_new <= 32767))
    y = np.clip(rdiv_pot(h_new, 8), -128, 127)
    return h_new, y
