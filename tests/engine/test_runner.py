"""The streaming runner against an independent whole-sequence numpy model:
ring buffers, dilation, strides, packed weights at every width, reset."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voxgate import format as F
from voxgate.model import Model

from . import npengine


def random_model(rng, bits, channels=(16, 12, 12, 5), kernels=(3, 2), dilations=(2, 3), stride=2):
    """QUANTIZE -> CONV_TIME(k, d) -> DWCONV_TIME(k, d, stride) -> FC -> LUT."""
    c0, c1, c2, c3 = channels
    limit = (1 << (bits - 1)) - 1
    m = F.ModelFile(
        values=[
            F.Value(c0, F.S16),
            F.Value(c0),
            F.Value(c1),
            F.Value(c2),
            F.Value(c3),
            F.Value(c3),
        ],
        ops=[],
        meta={"outputs": [5, 3]},
    )

    def requant(n):
        mult = m.add_tensor(F.Tensor.s32(rng.integers(1 << 30, (1 << 31) - 1, n)))
        shift = m.add_tensor(F.Tensor.s32(rng.integers(-9, -3, n)))
        return mult, shift

    def weights(shape):
        return m.add_tensor(F.Tensor.packed(rng.integers(-limit, limit + 1, shape), bits))

    def bias(n):
        return m.add_tensor(F.Tensor.s32(rng.integers(-2000, 2000, n)))

    zp = [int(z) for z in rng.integers(-20, 20, 4)]
    m.ops.append(F.Op(F.OPS["QUANTIZE"], [0], 1, [], [-2000, zp[0], 1 << 30, -6, -128, 127]))
    w1 = weights((c1, kernels[0], c0))
    m.ops.append(
        F.Op(
            F.OPS["CONV_TIME"],
            [1],
            2,
            [w1, bias(c1), *requant(c1)],
            [zp[0], zp[1], zp[1], 127, kernels[0], dilations[0], 1],
        )
    )  # ReLU folded: act_min = output zero point
    w2 = weights((kernels[1], c2))
    m.ops.append(
        F.Op(
            F.OPS["DWCONV_TIME"],
            [2],
            3,
            [w2, -1, *requant(c2)],
            [zp[1], zp[2], -128, 127, kernels[1], dilations[1], stride],
        )
    )
    w3 = weights((c3, c2))
    m.ops.append(F.Op(F.OPS["FC"], [3], 4, [w3, bias(c3), *requant(c3)], [zp[2], zp[3], -128, 127]))
    table = m.add_tensor(F.Tensor.s8(rng.integers(-128, 128, 256)))
    m.ops.append(F.Op(F.OPS["LUT"], [4], 5, [table]))
    return m


def stream_all(model_file, frames, output):
    stream = Model.from_bytes(model_file.to_bytes()).stream()
    return stream.run(frames, output=output)


@settings(max_examples=25, deadline=None)
@given(
    bits=st.sampled_from([2, 3, 4, 5, 6, 8]),
    seed=st.integers(0, 2**31),
    kernels=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    dilations=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    stride=st.integers(1, 3),
)
def test_streaming_matches_whole_sequence_reference(bits, seed, kernels, dilations, stride):
    rng = np.random.default_rng(seed)
    m = random_model(rng, bits, kernels=kernels, dilations=dilations, stride=stride)
    frames = rng.integers(-6000, 6000, (60, 16)).astype(np.int16)
    ref = npengine.run(m, frames)
    for output, value in enumerate(m.meta["outputs"]):
        t, y = stream_all(m, frames, output)
        t_ref, y_ref = ref[value]
        np.testing.assert_array_equal(t, t_ref)
        np.testing.assert_array_equal(y, y_ref)


def test_reset_replays_identically():
    rng = np.random.default_rng(7)
    m = Model.from_bytes(random_model(rng, 4).to_bytes())
    frames = rng.integers(-6000, 6000, (40, 16)).astype(np.int16)
    s = m.stream()
    first = s.run(frames)
    s.run(frames[:13])
    s.reset()
    second = s.run(frames)
    np.testing.assert_array_equal(first[1], second[1])
    np.testing.assert_array_equal(first[0], second[0])  # the frame counter restarts too


def test_streams_on_one_model_are_independent():
    rng = np.random.default_rng(8)
    m = Model.from_bytes(random_model(rng, 5).to_bytes())
    a, b = m.stream(), m.stream()
    x = rng.integers(-6000, 6000, (30, 16)).astype(np.int16)
    y = rng.integers(-6000, 6000, (30, 16)).astype(np.int16)
    a.run(x[:7])  # a is mid-stream when b starts
    b.run(y)
    rest_a = a.run(x[7:])
    fresh = m.stream()
    fresh.run(x[:7])
    expected = fresh.run(x[7:])
    np.testing.assert_array_equal(rest_a[1], expected[1])


def test_bad_frame_shape_is_rejected():
    m = Model.from_bytes(random_model(np.random.default_rng(1), 8).to_bytes())
    with pytest.raises(Exception, match="16 values of int16"):
        m.stream().accept_frame(np.zeros(15, np.int16))
