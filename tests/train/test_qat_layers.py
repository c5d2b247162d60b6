"""QAT layers: BN folding, fold_and_snap parity and grid, gradients, freeze."""

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from voxgate_train.model.kws import KWSConfig, build_kws, receptive_field  # noqa: E402
from voxgate_train.qat.export import copy_float_to_qat, fold_and_snap, fold_float  # noqa: E402
from voxgate_train.qat.layers import ActQuant, QConv, freeze_bn, set_act_quant  # noqa: E402

from .test_model_kws import randomize_bn  # noqa: E402

BASE = dict(num_classes=4, in_channels=10, width=16, blocks=((3, 1), (3, 2)))


def trained_float(rng, **kw):
    config = KWSConfig(**{**BASE, **kw})
    model = build_kws(config, None)
    randomize_bn(model, rng)
    return config, model


def test_bn_folding_matches_float_model():
    rng = np.random.default_rng(0)
    config, float_model = trained_float(rng, weight_bits=None, act_bits=None)
    qat = build_kws(config, None, qat=True)
    copy_float_to_qat(float_model, qat)
    x = rng.normal(size=(3, 40, 1, 10)).astype("float32")
    np.testing.assert_allclose(qat(x), float_model(x), atol=1e-4)
    window = fold_float(float_model, 40)
    np.testing.assert_allclose(window(x[:1]), float_model(x[:1]), atol=1e-4)


@pytest.mark.parametrize("method", ["minmax", "tanh", "lsq"])
def test_fold_and_snap_matches_qat(method):
    rng = np.random.default_rng(1)
    bits = {"default": 4, "b0_pw": 3, "head": 8}
    config, float_model = trained_float(rng, quantizer=method, weight_bits=bits)
    qat = build_kws(config, None, qat=True)
    copy_float_to_qat(float_model, qat)
    R = receptive_field(config)
    x = rng.normal(size=(1, R, 1, 10)).astype("float32")
    qat(rng.normal(size=(4, 30, 1, 10)).astype("float32"), training=True)  # act ranges
    window, layer_bits = fold_and_snap(qat, R)
    assert layer_bits["stem"] == 4 and layer_bits["b0_pw"] == 3 and layer_bits["head"] == 8
    set_act_quant(qat, False)
    np.testing.assert_allclose(window(x), qat(x), atol=1e-5)
    set_act_quant(qat, True)  # 8-bit activations: close, not equal
    np.testing.assert_allclose(window(x), qat(x), atol=0.05)
    for layer in window.layers:
        if layer.name in layer_bits and not layer.name.endswith("_skip"):
            kernel = layer.get_weights()[0]
            axis = 2 if layer.name.endswith("_dw") else 3
            for c in range(kernel.shape[axis]):
                vals = np.unique(np.take(kernel, c, axis=axis))
                assert len(vals) <= 2 ** layer_bits[layer.name] - 1, layer.name


def test_fold_and_snap_temperature_softens_the_output():
    """The exported softmax sees logits / T; the head stays on its grid, so
    the integer exporter still finds the same b-bit levels."""
    rng = np.random.default_rng(3)
    config, float_model = trained_float(rng, weight_bits=4, act_bits=None)
    qat = build_kws(config, None, qat=True)
    copy_float_to_qat(float_model, qat)
    R = receptive_field(config)
    x = rng.normal(size=(2, R, 1, 10)).astype("float32")
    sharp, _ = fold_and_snap(qat, R)
    soft, _ = fold_and_snap(qat, R, temperature=4.0)
    p1, p4 = np.asarray(sharp(x))[:, -1], np.asarray(soft(x))[:, -1]
    logits = np.log(p1)  # softmax(log p / T) = softmax(logits / T)
    expect = np.exp(logits / 4.0) / np.exp(logits / 4.0).sum(-1, keepdims=True)
    np.testing.assert_allclose(p4, expect, atol=1e-5)
    assert p4.max() < p1.max()
    head = soft.get_layer("head").get_weights()[0]
    for c in range(head.shape[3]):
        assert len(np.unique(head[..., c])) <= 2**4 - 1
    with pytest.raises(ValueError, match="temperature"):
        fold_and_snap(qat, R, temperature=0.0)


def test_training_step_updates_and_gradients():
    rng = np.random.default_rng(2)
    config = KWSConfig(**BASE, quantizer="lsq", weight_bits=3)
    qat = build_kws(config, None, qat=True)
    x = rng.normal(size=(4, 30, 1, 10)).astype("float32")
    labels = tf.one_hot(rng.integers(0, 4, (4, 30 - receptive_field(config) + 1)), 4)
    stem = qat.get_layer("stem")
    mean_before = stem.moving_mean.numpy().copy()
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(
            tf.keras.losses.categorical_crossentropy(labels, qat(x, training=True))
        )
    grads = tape.gradient(loss, qat.trainable_variables)
    named = {v.path: g for v, g in zip(qat.trainable_variables, grads, strict=True)}
    for path, g in named.items():
        assert g is not None and np.any(g.numpy() != 0), path
    assert any("step" in p for p in named)
    assert not np.allclose(stem.moving_mean.numpy(), mean_before)
    aq = [layer for layer in qat.layers if isinstance(layer, ActQuant)]
    assert aq and all(layer.initialized.numpy() == 1 for layer in aq)
    freeze_bn(qat)
    assert all(q.bn_frozen.numpy() == 1 for q in qat.layers if isinstance(q, QConv) and q.bn)
    frozen_mean = stem.moving_mean.numpy().copy()
    out = qat(x, training=True)  # frozen: folded with moving stats, which stay
    assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(stem.moving_mean.numpy(), frozen_mean)


def test_fit_runs():
    rng = np.random.default_rng(3)
    config = KWSConfig(**BASE, quantizer="tanh", weight_bits=4)
    qat = build_kws(config, 30, qat=True)
    qat.compile("adam", "categorical_crossentropy")
    x = rng.normal(size=(8, 30, 1, 10)).astype("float32")
    y = np.eye(4)[rng.integers(0, 4, (8, 30 - receptive_field(config) + 1))]
    history = qat.fit(x, y, epochs=2, batch_size=4, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))


def test_default_quantizer_starts_qat_from_the_float_model():
    """QAT fine-tunes a trained float model, so at 8 bits the default weight
    quantizer must keep its outputs (here 0.007 off; tanh, which reshapes
    the folded weights, is 0.04 off, and LSQ's initial step too)."""
    rng = np.random.default_rng(4)
    config, float_model = trained_float(rng, weight_bits=8, act_bits=None)
    qat = build_kws(config, None, qat=True)
    copy_float_to_qat(float_model, qat)
    freeze_bn(qat)
    x = rng.normal(size=(4, 40, 1, 10)).astype("float32")
    gap = np.abs(np.asarray(qat(x)) - np.asarray(float_model(x))).max()
    assert gap < 0.015, gap
