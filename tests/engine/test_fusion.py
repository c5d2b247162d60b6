"""Load-time fusion (native/src/graph/fuse.c): an FC whose output only the
next op, an ADD, reads runs that ADD inside itself. Residual blocks run bit
for bit as the same graph with fusion blocked (the FC's output made a model
output) and as the whole-sequence numpy model, at every weight width, with
strided blocks (the fused op skips steps) and widths that end in a partial
block of 16 rows."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voxgate import format as F
from voxgate.model import Model

from . import npengine


def residual_model(rng, bits, width, blocks, stride):
    """x -> [DWCONV_TIME(k=3, stride) -> FC + ReLU -> ADD(., x)] * blocks -> FC."""
    limit = (1 << (bits - 1)) - 1
    m = F.ModelFile(values=[F.Value(width)], ops=[], meta={"outputs": []})

    def value():
        m.values.append(F.Value(width))
        return len(m.values) - 1

    def linear(shape, n):
        return [
            m.add_tensor(F.Tensor.packed(rng.integers(-limit, limit + 1, shape), bits)),
            m.add_tensor(F.Tensor.s32(rng.integers(-3000, 3000, n))),
            m.add_tensor(F.Tensor.s32(rng.integers(1 << 30, (1 << 31) - 1, n))),
            m.add_tensor(F.Tensor.s32(rng.integers(-10, -4, n))),
        ]

    def zp():
        return int(rng.integers(-20, 20))

    x, zx, fc_outs = 0, 0, []  # the residual and its zero point
    for i in range(blocks):
        a, b, c = value(), value(), value()
        za, zb, zc = zp(), zp(), zp()
        dw_args = [zx, za, -128, 127, 3, 1, stride if i == 0 else 1]
        m.ops.append(F.Op(F.OPS["DWCONV_TIME"], [x], a, linear((3, width), width), dw_args))
        m.ops.append(F.Op(F.OPS["FC"], [a], b, linear((width, width), width), [za, zb, zb, 127]))
        add = [
            zb, int(rng.integers(1 << 30, 1 << 31)), int(rng.integers(-3, 1)),
            zx, int(rng.integers(1 << 30, 1 << 31)), int(rng.integers(-3, 1)),
            int(rng.integers(1 << 30, 1 << 31)), int(rng.integers(-21, -16)), zc, -128, 127, 20,
        ]  # fmt: skip
        m.ops.append(F.Op(F.OPS["ADD"], [b, x], c, [], add))
        fc_outs.append(b)
        x, zx = c, zc
    head = value()
    m.ops.append(F.Op(F.OPS["FC"], [x], head, linear((width, width), width), [zx, 0, -128, 127]))
    m.meta["outputs"] = [head, x]
    return m, fc_outs


@settings(max_examples=25, deadline=None)
@given(
    bits=st.sampled_from([2, 4, 5, 8]),
    width=st.sampled_from([8, 12, 40, 72, 128]),
    blocks=st.integers(1, 3),
    stride=st.integers(1, 3),
    seed=st.integers(0, 2**31),
)
def test_fused_residual_blocks_are_bit_exact(bits, width, blocks, stride, seed):
    rng = np.random.default_rng(seed)
    m, fc_outs = residual_model(rng, bits, width, blocks, stride)
    frames = rng.integers(-128, 128, (40, width)).astype(np.int8)
    ref = npengine.run(m, frames)
    fused = Model.from_bytes(m.to_bytes()).stream()
    m.meta["outputs"] = m.meta["outputs"] + fc_outs  # read elsewhere: not fused
    plain = Model.from_bytes(m.to_bytes()).stream()
    for output, value in enumerate(m.meta["outputs"][:2]):
        fused.reset()
        plain.reset()
        t, y = fused.run(frames, output=output)
        t_plain, y_plain = plain.run(frames, output=output)
        np.testing.assert_array_equal(t, t_plain)
        np.testing.assert_array_equal(y, y_plain)
        np.testing.assert_array_equal(t, ref[value][0])
        np.testing.assert_array_equal(y, ref[value][1])
