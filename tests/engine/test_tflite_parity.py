"""A Keras model converted to int8 TFLite and to voxgate gives the same
outputs in voxgate (streaming, frame by frame) and in ai-edge-litert
(sliding windows), within 1 LSB."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ai_edge_litert", reason="needs the [tflite] extra")
pytest.importorskip("tflite", reason="needs the tflite flatbuffer schema ([test] extra)")

import voxgate  # noqa: E402
from voxgate.model import Model  # noqa: E402
from voxgate_train.export import from_tflite as X  # noqa: E402
from voxgate_train.export.regrid import regrid  # noqa: E402

DATA = Path(__file__).parents[1] / "data" / "engine"
TINY = (DATA / "tiny_kws.tflite").read_bytes()


def feature_frames(model) -> np.ndarray:
    """Real speech features, quantized to the model's int8 input."""
    pcm = np.fromfile(Path(__file__).parents[1] / "golden" / "frontend" / "input.i16", "<i2")
    feats = voxgate.Frontend().features(pcm).astype(np.float64)
    scale, zp = model.meta["input_quant"]
    # the Keras model saw inputs of roughly unit variance
    norm = (feats - feats.mean()) / feats.std() * 1.5
    return np.clip(np.round(norm / scale) + zp, -128, 127).astype(np.int8)


def test_converted_ops_are_the_streaming_ones():
    m = X.convert(TINY)
    names = [X.F.OP_NAMES[o.type] for o in m.ops]
    assert names == ["CONV_TIME", "DWCONV_TIME", "FC", "ADD", "CONV_TIME", "FC", "SOFTMAX"]
    assert m.meta["window_frames"] == 13


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_frames_agree_within_one_lsb(seed):
    m = X.convert(TINY)
    frames = np.random.default_rng(seed).integers(-128, 128, (250, 40)).astype(np.int8)
    p = X.verify(TINY, m, frames)
    assert p.output_max <= 1 and p.logits_max <= 1 and p.output_mean < 0.01


def test_speech_features_agree_within_one_lsb():
    m = X.convert(TINY)
    frames = feature_frames(m)
    ours = Model.from_bytes(m.to_bytes()).stream().run(frames)[1].astype(int)
    theirs = X.litert_window_outputs(TINY, frames).astype(int)
    diff = np.abs(ours[12:] - theirs)
    assert diff.max() <= 1
    assert (diff == 0).mean() > 0.9  # mostly identical, not just close


def test_export_writes_a_verified_file(tmp_path):
    target = tmp_path / "tiny.vgm"
    assert X.export(TINY, target).output_max <= 1
    m = Model.load(target)
    assert m.output_channels == [4]


def test_off_grid_4bit_export_is_refused_until_the_tflite_is_regridded(tmp_path):
    # The tiny model's weights are not on a 4-bit grid: voxgate at 4 bits
    # then computes something LiteRT's int8 weights do not, and nothing is
    # written. regrid() puts the .tflite on the same grid: then they agree.
    target = tmp_path / "tiny-w4.vgm"
    with pytest.raises(X.ExportError, match="differ by"):
        X.export(TINY, target, bits=4)
    assert not target.exists() and not list(tmp_path.iterdir())
    on_grid = regrid(TINY, 4)
    p = X.export(on_grid, target, bits=4)
    assert p.logits_max <= 1 and p.output_max <= 1
    assert target.stat().st_size < len(X.convert(TINY).to_bytes())
    Model.load(target).stream().run(np.zeros((20, 40), np.int8))
    # the regridded int8 weights are the 4-bit values themselves
    assert X.convert(on_grid).to_bytes() != X.convert(TINY).to_bytes()


def test_regrid_keeps_8bit_layers_and_mixed_widths():
    assert regrid(TINY, 8) == TINY
    n_layers = sum(op.type in (X.F.OPS["FC"], X.F.OPS["CONV_TIME"], X.F.OPS["DWCONV_TIME"])
                   for op in X.convert(TINY).ops)  # fmt: skip
    mixed = [4, 8] * (n_layers // 2) + [3] * (n_layers % 2)
    data = regrid(TINY, mixed)
    frames = np.random.default_rng(2).integers(-128, 128, (80, 40)).astype(np.int8)
    assert X.verify(data, X.convert(data, bits=mixed), frames).logits_max <= 1


def test_per_layer_bits_and_their_errors():
    n_layers = sum(op.type in (X.F.OPS["FC"], X.F.OPS["CONV_TIME"], X.F.OPS["DWCONV_TIME"])
                   for op in X.convert(TINY).ops)  # fmt: skip
    mixed = X.convert(TINY, bits=[8] * n_layers)
    assert mixed.to_bytes() == X.convert(TINY).to_bytes()
    with pytest.raises(X.ExportError, match="layers"):
        X.convert(TINY, bits=[8] * (n_layers - 1))
    with pytest.raises(X.ExportError, match="2..8"):
        X.convert(TINY, bits=9)


def test_disagreement_is_refused(tmp_path):
    m = X.convert(TINY)
    m.ops[-2].args[1] += 5  # shift the logits' zero point: outputs move
    frames = np.random.default_rng(3).integers(-128, 128, (60, 40)).astype(np.int8)
    with pytest.raises(X.ExportError, match="differ by"):
        X.verify(TINY, m, frames)


def test_weights_on_a_4bit_grid_export_at_4_bits_within_tolerance(tmp_path):
    """QAT leaves weights on the b-bit grid; TFLite rounds them to int8 and
    the exporter recovers the grid exactly, so the 4-bit file passes the
    default sub-8-bit tolerance against LiteRT."""
    pytest.importorskip("tensorflow", reason="needs the [train] extra")
    spec = importlib.util.spec_from_file_location("mk", DATA / "make_tiny_tflite.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    data = mk.build(weight_bits=4)
    frames = np.random.default_rng(5).integers(-128, 128, (120, 40)).astype(np.int8)
    p = X.export(regrid(data, 4), tmp_path / "w4.vgm", frames, bits=4)
    assert p.logits_max <= X.default_tolerance(4)


def test_fresh_keras_model_agrees():
    pytest.importorskip("tensorflow", reason="needs the [train] extra")
    spec = importlib.util.spec_from_file_location("mk", DATA / "make_tiny_tflite.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    data = mk.build()
    frames = np.random.default_rng(5).integers(-128, 128, (120, 40)).astype(np.int8)
    p = X.verify(data, X.convert(data), frames)
    assert p.output_max <= 1 and p.logits_max <= 1
