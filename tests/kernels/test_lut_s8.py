"""lut_s8 against the numpy model, and the sigmoid/tanh tables of
voxgate.luts against float math."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxgate import luts

from . import nl_native as nat
from . import npref_nonlinear as npr

SETTINGS = settings(max_examples=60, deadline=None)
scales = st.floats(1e-3, 1.0).map(float)
zero_points = st.integers(-128, 127)


@SETTINGS
@given(st.integers(0, 700), st.integers(0, 2**32 - 1), st.booleans())
def test_lut_bit_exact(n, seed, in_place):
    rng = np.random.default_rng(seed)
    table = rng.integers(-128, 128, 256)
    x = rng.integers(-128, 128, n)
    np.testing.assert_array_equal(nat.lut(x, table, in_place), npr.lut(x, table))


def test_lut_covers_every_entry():
    table = np.arange(127, -129, -1)  # entry k -> 127 - k, all distinct
    x = np.arange(-128, 128)
    np.testing.assert_array_equal(nat.lut(x, table), 127 - (x + 128))


def _float32_table(fn, in_scale, in_zp, out_scale, out_zp):
    """TFLite's LUTPopulate arithmetic, in float32 (a second, independent
    computation of the same quantized function)."""
    x = np.float32(in_scale) * (np.arange(-128, 128) - in_zp).astype(np.float32)
    y = fn(x.astype(np.float32)).astype(np.float32) / np.float32(out_scale)
    q = np.sign(y) * np.floor(np.abs(y) + np.float32(0.5)) + out_zp
    return np.clip(q, -128, 127)


@SETTINGS
@given(scales, zero_points)
def test_sigmoid_tanh_tables_within_1_lsb(in_scale, in_zp):
    sig = luts.sigmoid_table(in_scale, in_zp).astype(np.int64)
    tanh = luts.tanh_table(in_scale, in_zp).astype(np.int64)
    real = in_scale * (np.arange(-128, 128) - in_zp)
    # Against the exact function: within 1/2 LSB, except that 1.0 is not
    # representable (sigmoid tops out at 255/256, tanh at 127/128).
    sig_exact = 1.0 / (1.0 + np.exp(-real))
    err = np.abs((sig + 128) / 256.0 - sig_exact)
    assert np.max(np.where(sig == 127, 0, err)) <= 0.5 / 256 + 1e-12
    assert np.max(err) <= 1 / 256 + 1e-12
    err = np.abs(tanh / 128.0 - np.tanh(real))
    assert np.max(np.where(tanh == 127, 0, err)) <= 0.5 / 128 + 1e-12
    assert np.max(err) <= 1 / 128 + 1e-12
    for table, fn, scale, zp in (
        (sig, lambda v: 1 / (1 + np.exp(-v)), 1 / 256, -128),
        (tanh, np.tanh, 1 / 128, 0),
    ):
        other = _float32_table(fn, in_scale, in_zp, scale, zp)
        assert np.max(np.abs(table - other)) <= 1
    # Monotone, as the functions are.
    assert np.all(np.diff(sig) >= 0) and np.all(np.diff(tanh) >= 0)


def test_fixed_output_quantization():
    sig = luts.sigmoid_table(1 / 16, 0)
    assert sig[128] == 0  # sigmoid(0) = 0.5 -> 128/256 - 128
    assert sig[0] == -128 and sig[255] == 127  # saturate at 0 and 255/256
    tanh = luts.tanh_table(1 / 32, 0)
    assert tanh[128] == 0 and tanh[0] == -128 and tanh[255] == 127  # -1.0 fits
    assert luts.SIGMOID_OUT_SCALE == 1 / 256 and luts.SIGMOID_OUT_ZERO_POINT == -128
    assert luts.TANH_OUT_SCALE == 1 / 128 and luts.TANH_OUT_ZERO_POINT == 0


def test_generic_table_and_errors():
    relu = luts.lut_table(lambda v: np.maximum(v, 0), 0.1, 10, 0.05, -128)
    x = np.arange(-128, 128)
    expect = np.clip(np.floor(np.maximum(0.1 * (x - 10), 0) / 0.05 + 0.5) - 128, -128, 127)
    np.testing.assert_array_equal(relu, expect)
    with pytest.raises(ValueError):
        luts.sigmoid_table(0.0, 0)
    with pytest.raises(ValueError):
        luts.tanh_table(0.1, 200)
    with pytest.raises(ValueError):
        luts.activation_table("gelu", 0.1, 0)
    np.testing.assert_array_equal(luts.activation_table("tanh", 0.1, 3), luts.tanh_table(0.1, 3))
