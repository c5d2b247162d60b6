"""gru_s8: bit-exact against the numpy model (random sizes, quantization,
states and raw requant params that reach every saturation), state handling,
and accuracy against a float GRU on the dequantized weights."""

import re
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voxgate import luts

from . import nl_native as nat
from . import npref_nonlinear as npr

SETTINGS = settings(max_examples=40, deadline=None)


def _quant_rows(w):
    scale = np.maximum(np.abs(w).max(axis=1), 1e-9) / 127.0
    q = np.clip(np.floor(w / scale[:, None] + 0.5), -127, 127).astype(np.int64)
    return q, scale


def _multipliers(real):
    mult, shift = zip(*(npr.quantize_multiplier(float(v)) for v in real), strict=True)
    return np.array(mult), np.array(shift)


def quantize_gru(
    wx, wh, bx, bh, x_scale, x_zp, gate_scales=(1 / 16, 1 / 16, 1 / 32), gate_zps=(0, 0, 0)
):
    """What an exporter does (gru_s8.h): float Keras-order weights [3H, I],
    [3H, H] and biases [3H] to kernel params; also returns the dequantized
    float weights the integer model really holds."""
    H = wh.shape[1]
    qx, sx = _quant_rows(wx)
    qh, sh = _quant_rows(wh)
    s_g = np.repeat(np.asarray(gate_scales, np.float64), H)
    bias_x = np.floor(bx / (x_scale * sx) + 0.5).astype(np.int64)
    bias_h = np.floor(bh / (sh / 128) + 0.5).astype(np.int64)
    mult_x, shift_x = _multipliers(x_scale * sx * 256 / s_g)
    mult_h, shift_h = _multipliers(sh * 2 / s_g)
    zz, zr, zn = gate_zps
    p = dict(
        w_x=qx,
        w_h=qh,
        bias_x=bias_x,
        bias_h=bias_h,
        mult_x=mult_x,
        shift_x=shift_x,
        mult_h=mult_h,
        shift_h=shift_h,
        table_z=luts.sigmoid_table(gate_scales[0], zz),
        table_r=luts.sigmoid_table(gate_scales[1], zr),
        table_n=luts.tanh_table(gate_scales[2], zn),
        x_zero_point=x_zp,
        z_zero_point=zz,
        r_zero_point=zr,
        n_zero_point=zn,
    )
    deq = dict(
        wx=qx * sx[:, None], wh=qh * sh[:, None], bx=bias_x * x_scale * sx, bh=bias_h * sh / 128
    )
    return p, deq


def float_gru_step(d, x, h):
    """Keras GRU, reset_after=True."""
    H = h.shape[0]
    ax = d["wx"] @ x + d["bx"]
    ah = d["wh"] @ h + d["bh"]
    z = 1 / (1 + np.exp(-(ax[:H] + ah[:H])))
    r = 1 / (1 + np.exp(-(ax[H : 2 * H] + ah[H : 2 * H])))
    n = np.tanh(ax[2 * H :] + r * ah[2 * H :])
    return n + z * (h - n)


def _random_float_gru(rng, n_in, H, gain=1.0, bias=0.1):
    wx = rng.uniform(-1, 1, (3 * H, n_in)) * np.sqrt(3 / n_in) * gain
    wh = rng.uniform(-1, 1, (3 * H, H)) * np.sqrt(3 / H) * gain
    return wx, wh, rng.normal(0, bias, 3 * H), rng.normal(0, bias, 3 * H)


def _run_both(p, xs, h0, ref=False):
    g = nat.Gru(p)
    assert g.ok()
    g.h16[:] = h0
    h = np.asarray(h0, np.int64)
    for x in xs:
        y = g.step(x, ref=ref)
        h, y_np = npr.gru_step(p, x, h)
        np.testing.assert_array_equal(g.h16, h)
        np.testing.assert_array_equal(y, y_np)


@SETTINGS
@given(
    st.integers(1, 40),
    st.integers(1, 40),
    st.integers(1, 6),
    st.floats(0.005, 0.2),
    st.integers(-128, 127),
    st.tuples(*[st.sampled_from([1 / 8, 1 / 16, 1 / 24, 1 / 32, 1 / 64])] * 3),
    st.tuples(*[st.integers(-20, 20)] * 3),
    st.floats(0.2, 4.0),
    st.integers(0, 2**32 - 1),
)
def test_bit_exact_exported(n_in, H, steps, x_scale, x_zp, gate_scales, gate_zps, gain, seed):
    rng = np.random.default_rng(seed)
    p, _ = quantize_gru(
        *_random_float_gru(rng, n_in, H, gain, 0.5), x_scale, x_zp, gate_scales, gate_zps
    )
    xs = rng.integers(-128, 128, (steps, n_in))
    h0 = rng.integers(-32768, 32768, H)
    _run_both(p, xs, h0, ref=bool(seed & 1))


@SETTINGS
@given(st.integers(1, 24), st.integers(1, 24), st.integers(0, 2**32 - 1))
def test_bit_exact_raw_params(n_in, H, seed):
    """Arbitrary int8 weights and tables, large biases and requant factors
    up to 2^8: the SAT(+-2^22) clamps, table ends and wide products."""
    rng = np.random.default_rng(seed)
    rows = 3 * H
    p = dict(
        w_x=rng.integers(-128, 128, (rows, n_in)),
        w_h=rng.integers(-128, 128, (rows, H)),
        bias_x=rng.integers(-(2**29), 2**29 + 1, rows),
        bias_h=rng.integers(-(2**20), 2**20 + 1, rows),
        mult_x=rng.integers(0, 2**31, rows),
        shift_x=rng.integers(-31, 9, rows),
        mult_h=rng.integers(0, 2**31, rows),
        shift_h=rng.integers(-20, 9, rows),
        table_z=rng.integers(-128, 128, 256),
        table_r=rng.integers(-128, 128, 256),
        table_n=rng.integers(-128, 128, 256),
        x_zero_point=int(rng.integers(-128, 128)),
        z_zero_point=int(rng.integers(-128, 128)),
        r_zero_point=int(rng.integers(-128, 128)),
        n_zero_point=int(rng.integers(-128, 128)),
    )
    xs = rng.integers(-128, 128, (4, n_in))
    _run_both(p, xs, rng.integers(-32768, 32768, H))


def test_state_reset_and_zero_bias():
    rng = np.random.default_rng(7)
    p, _ = quantize_gru(*_random_float_gru(rng, 5, 6), 0.05, 3)
    g = nat.Gru(p)
    x = rng.integers(-128, 128, 5)
    first = g.step(x)
    second = g.step(x)
    assert not np.array_equal(g.h16, 0)
    g.reset()
    assert np.all(g.h16 == 0)
    np.testing.assert_array_equal(g.step(x), first)  # same as a fresh stream
    np.testing.assert_array_equal(g.step(x), second)


def test_params_ok():
    rng = np.random.default_rng(1)
    p, _ = quantize_gru(*_random_float_gru(rng, 4, 3), 0.05, 0)
    assert nat.Gru(p).ok()
    for key, value in (("x_zero_point", 128), ("n_zero_point", -129)):
        assert not nat.Gru({**p, key: value}).ok()
    bad_shift = p["shift_h"].copy()
    bad_shift[-1] = 31
    assert not nat.Gru({**p, "shift_h": bad_shift}).ok()
    bad_bias = p["bias_x"].copy()
    bad_bias[0] = 2**29 + 1
    assert not nat.Gru({**p, "bias_x": bad_bias}).ok()


def _max_error_lsb(seed, n_in=16, H=24, T=50, z_bias=0.0):
    """Largest |h_int - h_float| over T steps, in LSB of the int8 output
    (1/128), for a float GRU run on the dequantized weights and inputs."""
    rng = np.random.default_rng(seed)
    wx, wh, bx, bh = _random_float_gru(rng, n_in, H)
    bx[:H] += z_bias
    x_scale, x_zp = 0.02, -5
    p, d = quantize_gru(wx, wh, bx, bh, x_scale, x_zp)
    g = nat.Gru(p)
    h = np.zeros(H)
    worst_h = worst_y = 0.0
    for _ in range(T):
        xq = np.clip(np.floor(rng.normal(0, 1.0, n_in) / x_scale + 0.5) + x_zp, -128, 127)
        y = g.step(xq)
        h = float_gru_step(d, x_scale * (xq - x_zp), h)
        worst_h = max(worst_h, np.max(np.abs(g.h16 / 32768.0 - h)) * 128)
        worst_y = max(worst_y, np.max(np.abs(y - 128 * h)))
    return worst_h, worst_y


def test_accuracy_against_float_gru():
    """Measured over 20 seeds (I=16, H=24, 50 steps): state within 1.4 LSB,
    int8 output within 1.7 LSB of 128 * h_float; asserted with margin."""
    errors = np.array([_max_error_lsb(seed) for seed in range(20)])
    assert errors[:, 0].max() <= 2.0, errors[:, 0].max()
    assert errors[:, 1].max() <= 2.5, errors[:, 1].max()


class _XorShift32:
    """check_rand() of native/tests/check.h."""

    def __init__(self, seed):
        self.s = seed

    def __call__(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s


def gru_golden_hash():
    """The GRU of native/tests/test_kernels_nonlinear.c (random_gru, seed
    12345, 12 steps from a reset), run through the numpy model; FNV-1a over
    each step's y bytes then h16 as little-endian int16."""
    rand = _XorShift32(12345)
    n_in, H, steps = 7, 5, 12
    w_x = [rand() % 255 - 127 for _ in range(3 * H * n_in)]
    w_h = [rand() % 255 - 127 for _ in range(3 * H * H)]
    cols = {k: [] for k in ("bias_x", "bias_h", "mult_x", "shift_x", "mult_h", "shift_h")}
    for _ in range(3 * H):
        cols["bias_x"].append(rand() % 20001 - 10000)
        cols["bias_h"].append(rand() % 20001 - 10000)
        cols["mult_x"].append((1 << 30) + rand() % (1 << 30))
        cols["shift_x"].append(-(rand() % 8) - 4)
        cols["mult_h"].append((1 << 30) + rand() % (1 << 30))
        cols["shift_h"].append(-(rand() % 8) - 4)
    tables = [sorted(rand() % 256 - 128 for _ in range(256)) for _ in range(3)]
    p = dict(
        w_x=np.array(w_x).reshape(3 * H, n_in),
        w_h=np.array(w_h).reshape(3 * H, H),
        table_z=tables[0],
        table_r=tables[1],
        table_n=tables[2],
        **{k: np.array(v) for k, v in cols.items()},
    )
    p["x_zero_point"] = rand() % 256 - 128
    for g in "zrn":
        p[f"{g}_zero_point"] = rand() % 21 - 10
    xs = [[rand() % 256 - 128 for _ in range(n_in)] for _ in range(steps)]
    h = np.zeros(H, np.int64)
    digest = 2166136261
    for x in xs:
        h, y = npr.gru_step(p, x, h)
        data = y.astype(np.int8).tobytes() + h.astype("<i2").tobytes()
        for b in data:
            digest = ((digest ^ b) * 16777619) & 0xFFFFFFFF
    return digest


def test_c_golden_hash_matches_numpy():
    src = (Path(__file__).parents[2] / "native/tests/test_kernels_nonlinear.c").read_text()
    m = re.search(r"#define GRU_GOLDEN_HASH (\d+)u", src)
    assert m is not None
    assert int(m.group(1)) == gru_golden_hash()
