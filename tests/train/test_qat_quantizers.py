"""Fake quantizers: values on the grid, gradients pass, error falls with bits."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from voxgate_train.qat import quantizers as Q  # noqa: E402
from voxgate_train.qat.compare import quantization_error  # noqa: E402

METHODS = ["minmax", "tanh", "lsq"]


def kernel(rng, shape=(5, 1, 8, 6)):
    return (rng.normal(size=shape) * rng.uniform(0.05, 1.5, shape[-1])).astype("float32")


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bits", [2, 3, 4, 8])
def test_on_grid(method, bits):
    w = kernel(np.random.default_rng(bits))
    q = np.asarray(Q.quantize_weights(w, bits, method, axis=-1))
    qmax = 2 ** (bits - 1) - 1
    for c in range(w.shape[-1]):
        vals = np.unique(q[..., c])
        assert len(vals) <= 2**bits - 1
        step = np.min(np.diff(vals)) if len(vals) > 1 else 1.0
        levels = q[..., c] / step
        np.testing.assert_allclose(levels, np.round(levels), atol=1e-3)
        assert np.max(np.abs(np.round(levels))) <= qmax
        if method != "lsq":  # the largest weight of a channel maps to qmax
            assert np.max(np.abs(np.round(levels))) == qmax


def test_depthwise_axis():
    w = kernel(np.random.default_rng(0), (5, 1, 6, 1))
    q = np.asarray(Q.minmax_quantize(w, 3, axis=2))
    for c in range(6):
        assert len(np.unique(q[:, :, c])) <= 7
        assert np.isclose(np.abs(q[:, :, c]).max(), np.abs(w[:, :, c]).max())


@pytest.mark.parametrize("method", METHODS)
def test_gradients_pass(method):
    w = tf.Variable(kernel(np.random.default_rng(1)))
    step = tf.Variable(Q.lsq_init_step(w, 4))
    with tf.GradientTape() as tape:
        q = Q.quantize_weights(w, 4, method, step=step if method == "lsq" else None)
        loss = tf.reduce_sum(q * tf.random.normal(q.shape, seed=1))
    gw, gs = tape.gradient(loss, [w, step])
    assert np.count_nonzero(gw.numpy()) > 0.9 * w.numpy().size
    if method == "lsq":
        assert np.count_nonzero(gs.numpy()) == step.shape[0]


def test_activation_fake_quant():
    x = tf.Variable(np.linspace(-3, 5, 1000, dtype="float32"))
    with tf.GradientTape() as tape:
        y = Q.fake_quant_range(x, -2.0, 4.0, 8)
        loss = tf.reduce_sum(y)
    g = tape.gradient(loss, x).numpy()
    assert len(np.unique(y.numpy())) <= 256
    assert np.isclose(np.min(np.abs(y.numpy())), 0.0)  # zero is exact
    assert g[500] == 1.0 and g[0] == 0.0 and g[-1] == 0.0  # clipped outside the range
    assert (
        np.max(
            np.abs(
                y.numpy()[(x.numpy() > -2) & (x.numpy() < 4)]
                - x.numpy()[(x.numpy() > -2) & (x.numpy() < 4)]
            )
        )
        <= 6 / 255 / 2 + 1e-6
    )


@pytest.mark.parametrize("method", METHODS)
def test_error_falls_with_bits(method):
    w = kernel(np.random.default_rng(3), (5, 1, 32, 16)) * 0.3
    errors = [quantization_error(w, b, method) for b in (2, 3, 4, 5, 8)]
    assert all(a > b for a, b in zip(errors, errors[1:], strict=False)), errors
    assert errors[0] > 0.1
    if method != "tanh":  # tanh also reshapes the weights (see quantizers.py), at any width
        assert errors[-1] < (0.05 if method == "lsq" else 0.01)  # LSQ: initial step


def test_bits_range():
    with pytest.raises(ValueError):
        Q.qmax(1)
    with pytest.raises(ValueError):
        Q.qmax(9)
