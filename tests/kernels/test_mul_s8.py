"""mul_s8 (TFLite int8 MUL): bit-exact against the numpy model, and within
1 LSB of the float product."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from . import nl_native as nat
from . import npref_nonlinear as npr

SETTINGS = settings(max_examples=80, deadline=None)
scales = st.floats(1e-3, 1.0)
zps = st.integers(-128, 127)


@SETTINGS
@given(st.integers(0, 300), scales, scales, scales, zps, zps, zps, st.integers(0, 2**32 - 1))
def test_bit_exact_and_accuracy(n, sa, sb, sy, za, zb, zy, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(-128, 128, n)
    b = rng.integers(-128, 128, n)
    mult, shift = npr.quantize_multiplier(sa * sb / sy)
    shift = min(shift, 14)  # the header's limit; real factors above 2^14 saturate anyway
    act_min, act_max = sorted(rng.integers(-128, 128, 2)) if seed % 4 == 0 else (-128, 127)
    kw = dict(a_zero_point=za, b_zero_point=zb, output_zero_point=zy, mult=mult, shift=shift)
    kw.update(act_min=int(act_min), act_max=int(act_max))
    y = nat.mul(a, b, **kw)
    np.testing.assert_array_equal(y, npr.mul(a, b, za, zb, zy, mult, shift, act_min, act_max))
    if shift < 14:
        real = sa * (a - za) * sb * (b - zb)
        q = np.clip(np.floor(real / sy + 0.5) + zy, act_min, act_max)
        assert np.max(np.abs(y - q), initial=0) <= 1


def test_in_place_and_identity():
    a = np.arange(-128, 128)
    one = np.full(256, 1)
    mult, shift = npr.quantize_multiplier(1.0)
    y = nat.mul(a, one, a_zero_point=0, b_zero_point=0, output_zero_point=0, mult=mult,
                shift=shift, act_min=-128, act_max=127)  # fmt: skip
    np.testing.assert_array_equal(y, a)
