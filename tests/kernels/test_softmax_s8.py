"""softmax_s8: bit-exact against the numpy model, within 1 LSB of the float
softmax, and the table checks."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voxgate import luts
from voxgate._native import lib

from . import nl_native as nat
from . import npref_nonlinear as npr

SETTINGS = settings(max_examples=80, deadline=None)


def _float_softmax_q(x, in_scale, beta=1.0):
    v = beta * in_scale * np.asarray(x, np.float64)
    e = np.exp(v - v.max())
    p = e / e.sum()
    return np.minimum(np.floor(256 * p + 0.5) - 128, 127)


@SETTINGS
@given(
    st.integers(1, 40),
    st.floats(1e-3, 2.0),
    st.floats(0.25, 4.0),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_bit_exact_and_within_1_lsb_of_float(n, in_scale, beta, seed, narrow):
    rng = np.random.default_rng(seed)
    lo, hi = (-10, 10) if narrow else (-128, 127)
    x = rng.integers(lo, hi + 1, n)
    table = luts.softmax_table(in_scale, beta)
    assert nat.softmax_table_ok(table)
    y = nat.softmax(x, table)
    np.testing.assert_array_equal(y, npr.softmax(x, table))
    np.testing.assert_array_equal(nat.softmax(x, table, ref=True), y)
    assert np.max(np.abs(y - _float_softmax_q(x, in_scale, beta))) <= 1


@SETTINGS
@given(st.integers(1, lib.VOXGATE_SOFTMAX_S8_MAX_N), st.integers(0, 2**32 - 1))
def test_bit_exact_any_valid_table(n, seed):
    """Arbitrary tables within the stated limits, up to the largest n:
    no overflow anywhere (the numpy model is int64)."""
    rng = np.random.default_rng(seed)
    table = rng.integers(0, luts.SOFTMAX_ONE + 1, 256)
    table[0] = luts.SOFTMAX_ONE
    if seed % 3 == 0:
        table[1:] = luts.SOFTMAX_ONE  # the largest possible sum
    x = rng.integers(-128, 128, n)
    np.testing.assert_array_equal(nat.softmax(x, table), npr.softmax(x, table))


def test_uniform_and_one_hot():
    table = luts.softmax_table(0.1)
    for n in (1, 2, 4, 8, 12):
        y = nat.softmax(np.full(n, 17), table)
        expect = min(int(np.floor(256 / n + 0.5)) - 128, 127)
        assert np.all(y == expect)
    y = nat.softmax([127, -128, -128], luts.softmax_table(1.0))
    np.testing.assert_array_equal(y, [127, -128, -128])
    assert lib.VOXGATE_SOFTMAX_S8_ONE == luts.SOFTMAX_ONE


def test_table_ok():
    good = luts.softmax_table(0.05)
    assert good[0] == luts.SOFTMAX_ONE and np.all(np.diff(good) <= 0)
    assert nat.softmax_table_ok(good)
    for bad_index, bad_value in ((0, luts.SOFTMAX_ONE - 1), (5, -1), (9, luts.SOFTMAX_ONE + 1)):
        t = good.copy()
        t[bad_index] = bad_value
        assert not nat.softmax_table_ok(t)
