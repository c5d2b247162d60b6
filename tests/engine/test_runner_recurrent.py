"""GRU, FILM, MUL and SOFTMAX ops inside the runner: state carried across
frames, second inputs read from persistent values, bit-exact against the
numpy integer references of the kernels."""

import numpy as np
from kernels import npref_nonlinear as npr
from kernels.test_gru_s8 import _random_float_gru, quantize_gru

from voxgate import format as F
from voxgate import luts
from voxgate.model import Model

H = 12


def build(rng):
    """v0 int8 frame -> GRU -> v1; FILM(v1, gamma=v1, beta=v0) -> v2;
    MUL(v2, v0) -> v3; SOFTMAX(v3) -> v4. Outputs: v4 and v1."""
    p, _ = quantize_gru(*_random_float_gru(rng, H, H), x_scale=0.05, x_zp=3)
    m = F.ModelFile(values=[F.Value(H)] * 5, ops=[], meta={"outputs": [4, 1]})
    wx = m.add_tensor(F.Tensor.s8(p["w_x"]))
    wh = m.add_tensor(F.Tensor.s8(p["w_h"]))
    bias = m.add_tensor(F.Tensor.s32(np.stack([p["bias_x"], p["bias_h"]])))
    rq = m.add_tensor(
        F.Tensor.s32(np.stack([p["mult_x"], p["shift_x"], p["mult_h"], p["shift_h"]]))
    )
    tables = m.add_tensor(F.Tensor.s8(np.stack([p["table_z"], p["table_r"], p["table_n"]])))
    m.ops.append(F.Op(F.OPS["GRU"], [0], 1, [wx, wh, bias, rq, tables], [3, 0, 0, 0]))
    film = dict(
        x_zero_point=0, gamma_zero_point=0, beta_zero_point=3, output_zero_point=-5,
        xg_mult=1 << 30, xg_shift=-6, beta_mult=1 << 30, beta_shift=0, act_min=-128, act_max=127,
    )  # fmt: skip
    m.ops.append(F.Op(F.OPS["FILM"], [1, 1, 0], 2, [], list(film.values())))
    mul = [-5, 3, 0, 1 << 30, -4, -128, 127]
    m.ops.append(F.Op(F.OPS["MUL"], [2, 0], 3, [], mul))
    table = m.add_tensor(F.Tensor(luts.softmax_table(0.1), F.S32, 32))
    m.ops.append(F.Op(F.OPS["SOFTMAX"], [3], 4, [table]))
    return m, p, film, mul, luts.softmax_table(0.1)


def test_recurrent_graph_matches_numpy():
    rng = np.random.default_rng(3)
    m, p, film, mul, table = build(rng)
    stream = Model.from_bytes(m.to_bytes()).stream()
    h16 = np.zeros(H, np.int64)
    for _ in range(40):
        x = rng.integers(-128, 128, H).astype(np.int8)
        probs, hidden = stream.accept_frame(x)
        h16, y1 = npr.gru_step(p, x, h16)
        y2 = npr.film(y1, y1, x, film)
        y3 = npr.mul(y2, x, *mul)
        np.testing.assert_array_equal(hidden, y1)
        np.testing.assert_array_equal(probs, npr.softmax(y3, table))


def test_reset_clears_the_recurrent_state():
    rng = np.random.default_rng(4)
    stream = Model.from_bytes(build(rng)[0].to_bytes()).stream()
    xs = rng.integers(-128, 128, (10, H)).astype(np.int8)
    first = [stream.accept_frame(x)[1] for x in xs]
    stream.reset()
    again = [stream.accept_frame(x)[1] for x in xs]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first[0], first[5])  # the state does evolve
