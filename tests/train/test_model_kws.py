"""KWS model: size, shapes, streaming == windowed inference, TFLite -> voxgate export."""

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from voxgate_train.model.kws import KWSConfig, build_kws, receptive_field  # noqa: E402
from voxgate_train.qat.export import fold_and_snap  # noqa: E402
from voxgate_train.qat.layers import set_act_quant  # noqa: E402

SMALL = KWSConfig(num_classes=4, in_channels=10, width=16, blocks=((3, 1), (3, 2), (3, 4)))


def randomize_bn(model, rng):
    for layer in model.layers:
        if layer.name.endswith("_bn"):
            c = layer.gamma.shape[0]
            layer.set_weights(
                [
                    rng.uniform(0.5, 1.5, c),
                    rng.normal(0, 0.2, c),
                    rng.normal(0, 0.3, c),
                    rng.uniform(0.3, 2.0, c),
                ]
            )


def test_default_size_and_shapes():
    config = KWSConfig(num_classes=12)
    R = receptive_field(config)
    assert R == 3 + 4 * (1 + 2 + 4 + 8 + 16)
    model = build_kws(config, R + 9)
    params = model.count_params()
    print(f"default KWS model: {params} parameters, receptive field {R} frames")
    assert 30_000 <= params <= 250_000
    x = np.random.default_rng(0).normal(size=(2, R + 9, 1, 40)).astype("float32")
    y = np.asarray(model(x))
    assert y.shape == (2, 10, 12)
    np.testing.assert_allclose(y.sum(-1), 1.0, atol=1e-5)
    with pytest.raises(ValueError):
        build_kws(config, R - 1)


@pytest.mark.parametrize("qat", [False, True])
def test_streaming_equals_window(qat):
    rng = np.random.default_rng(1)
    R = receptive_field(SMALL)
    long_model = build_kws(SMALL, None, qat=qat)
    window = build_kws(SMALL, R, qat=qat)
    x = rng.normal(size=(1, R + 30, 1, 10)).astype("float32")
    if qat:
        long_model(x, training=True)  # moving stats and activation ranges
    else:
        randomize_bn(long_model, rng)
    window.set_weights(long_model.get_weights())
    full = np.asarray(long_model(x))[0]
    windows = np.stack([x[0, t - R + 1 : t + 1] for t in range(R - 1, x.shape[1])])
    per_window = np.asarray(window(windows))[:, 0]
    assert full.shape == per_window.shape == (31, 4)
    np.testing.assert_allclose(full, per_window, atol=1e-5)


def test_tflite_voxgate_export():
    pytest.importorskip("tflite")
    pytest.importorskip("ai_edge_litert")
    from voxgate_train.export import from_tflite, keras_tflite

    rng = np.random.default_rng(2)
    config = KWSConfig(
        num_classes=4, in_channels=10, width=16, blocks=((3, 1), (3, 4)), quantizer="minmax"
    )
    R = receptive_field(config)
    qat = build_kws(config, None, qat=True)
    for _ in range(3):
        qat(rng.normal(size=(4, 40, 1, 10)).astype("float32"), training=True)
    set_act_quant(qat, False)
    window, bits = fold_and_snap(qat, R)
    assert list(bits) == ["stem", "b0_dw", "b0_pw", "b0_skip", "b1_dw", "b1_pw", "b1_skip", "head"]
    data = keras_tflite.to_int8_tflite(window, keras_tflite.gaussian_inputs(window, rng, 30))
    model = from_tflite.convert(data, bits=8)
    assert model.meta["window_frames"] == R
    frames = rng.integers(-128, 128, (120, 10)).astype(np.int8)
    # Same integers and rounding as LiteRT's kernels (requant.h): within 1 LSB.
    p = from_tflite.verify(data, model, frames)
    assert p.logits_max <= 1 and p.output_max <= 1
    model4 = from_tflite.convert(data, bits=4)  # re-quantization to the 4-bit grid
    assert len(model4.ops) == len(model.ops)


@pytest.mark.parametrize("method", ["minmax", "tanh"])
def test_mixed_bits_export(method):
    """Per-layer widths go to the exporter in graph order; voxgate runs the
    QAT grid and stays close to LiteRT and to the float window model."""
    pytest.importorskip("tflite")
    pytest.importorskip("ai_edge_litert")
    from voxgate.model import Model
    from voxgate_train.export import from_tflite, keras_tflite
    from voxgate_train.export.regrid import regrid

    rng = np.random.default_rng(3)
    config = KWSConfig(
        num_classes=4, in_channels=10, width=16, blocks=((3, 1), (3, 2)), quantizer=method,
        weight_bits={"default": 4, "b1_pw": 3, "head": 8},
    )  # fmt: skip
    R = receptive_field(config)
    qat = build_kws(config, None, qat=True)
    qat(rng.normal(size=(4, 40, 1, 10)).astype("float32"), training=True)
    window, bits = fold_and_snap(qat, R)
    widths = list(bits.values())
    assert widths == [4, 4, 4, 4, 4, 3, 4, 8]
    raw = keras_tflite.to_int8_tflite(window, keras_tflite.gaussian_inputs(window, rng, 30))
    data = regrid(raw, widths)  # the .tflite on the same grids as the .vgm
    model = from_tflite.convert(data, bits=widths)
    s_in, z_in = model.meta["input_quant"]
    frames = np.clip(np.round(rng.normal(size=(100, 10)) / s_in) + z_in, -128, 127).astype(np.int8)
    p = from_tflite.verify(data, model, frames)
    assert p.logits_max <= 1 and p.output_max <= 1
    s_out, z_out = model.meta["output_scales"]

    def run(m):
        return (Model.from_bytes(m.to_bytes()).stream().run(frames)[1][R - 1 :] - z_out) * s_out

    ours, ours8 = run(model), run(from_tflite.convert(data, bits=8))
    feats = ((frames.astype("float32") - z_in) * s_in)[None, :, None, :]
    windows = np.stack([feats[0, t - R + 1 : t + 1] for t in range(R - 1, len(frames))])
    expected = np.concatenate([np.asarray(window(w[None]))[0] for w in windows])
    err, err8 = np.mean(np.abs(ours - expected)), np.mean(np.abs(ours8 - expected))
    print(f"{method}: mean |voxgate - float window| {err:.4f} (all weights int8: {err8:.4f})")
    # the snapped grid survives the exporter: sub-8-bit costs no more than int8 rounding
    assert err < 1.5 * err8 + 0.005
