"""film_s8: bit-exact against the numpy model, and within 1 LSB of the float
y = gamma * x + beta."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from . import nl_native as nat
from . import npref_nonlinear as npr

SETTINGS = settings(max_examples=80, deadline=None)
scales = st.floats(1e-3, 1.0)
zps = st.integers(-128, 127)


def film_params(sx, sg, sb, sy, zx, zg, zb, zy, act=(-128, 127)):
    xg_mult, xg_shift = npr.quantize_multiplier(sx * sg / sy)
    b_mult, b_shift = npr.quantize_multiplier(sb / sy)
    return dict(
        x_zero_point=zx,
        gamma_zero_point=zg,
        beta_zero_point=zb,
        output_zero_point=zy,
        xg_mult=xg_mult,
        xg_shift=min(xg_shift, 13),
        beta_mult=b_mult,
        beta_shift=min(b_shift, 21),
        act_min=int(act[0]),
        act_max=int(act[1]),
    )


@SETTINGS
@given(
    st.integers(0, 300),
    st.tuples(scales, scales, scales, scales),
    st.tuples(zps, zps, zps, zps),
    st.integers(0, 2**32 - 1),
)
def test_bit_exact_and_accuracy(c, s, z, seed):
    rng = np.random.default_rng(seed)
    sx, sg, sb, sy = s
    zx, zg, zb, zy = z
    x, g, b = (rng.integers(-128, 128, c) for _ in range(3))
    act = sorted(rng.integers(-128, 128, 2)) if seed % 4 == 0 else (-128, 127)
    p = film_params(sx, sg, sb, sy, zx, zg, zb, zy, act)
    y = nat.film(x, g, b, p)
    np.testing.assert_array_equal(y, npr.film(x, g, b, p))
    real = sx * (x - zx) * sg * (g - zg) + sb * (b - zb)
    q = np.clip(np.floor(real / sy + 0.5) + zy, act[0], act[1])
    assert np.max(np.abs(y - q), initial=0) <= 1


def test_identity_conditioning():
    """gamma = 1, beta = 0 with equal in/out quantization passes x through."""
    x = np.arange(-128, 128)
    p = film_params(0.1, 1 / 64, 0.02, 0.1, 3, -64, 7, 3)
    y = nat.film(x, np.zeros(256), np.full(256, 7), p)  # gamma real (0+64)/64 = 1
    np.testing.assert_array_equal(y, x)
