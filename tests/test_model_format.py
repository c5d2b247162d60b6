"""The model file format: round trips, metadata, and every kind of broken
file getting its own clear error (never a crash)."""

import json
from pathlib import Path

import numpy as np
import pytest

import voxgate
from voxgate import errors
from voxgate import format as F
from voxgate.model import Model

MODELS = Path(__file__).parent / "data" / "models"


def test_constants_come_from_the_header():
    assert F.MAGIC == b"VXGM"
    assert F.VERSION[0] == 1
    assert F.KEYS["labels"] == "labels" and F.KEYS["sample_rate"] == "sample_rate_hz"
    assert F.OPS["QUANTIZE"] == 1 and len(F.OPS) >= 13


def test_round_trip_metadata_and_shapes():
    m = Model.load(MODELS / "fc_w4.vgm")
    assert m.input_channels == 40 and m.input_dtype == np.int16
    assert m.output_channels == [3]
    assert m.labels == ["a", "b", "c"]
    assert m.meta["thresholds"] == [0.5, 0.5, 0.5]
    assert m.meta["name"] == "fc-w4"


def test_committed_models_are_what_the_writer_makes():
    # The generator is deterministic, so a format change shows up here.
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_models", MODELS / "make_models.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    assert mk.quantize_model().to_bytes() == (MODELS / "quantize.vgm").read_bytes()
    assert mk.fc_model(4).to_bytes() == (MODELS / "fc_w4.vgm").read_bytes()


def test_quantize_model_runs():
    m = Model.load(MODELS / "quantize.vgm")
    frame = (np.arange(40, dtype=np.int16) - 20) * 256
    (out,) = m.stream().accept_frame(frame)
    # y = round((x + 2560) / 1024) - 128
    expected = np.clip(np.round((frame.astype(float) + 2560) / 1024 + 1e-9) - 128, -128, 127)
    np.testing.assert_array_equal(out, expected.astype(np.int8))


def test_bytes_and_file_loads_agree(tmp_path):
    data = (MODELS / "fc_w8.vgm").read_bytes()
    a, b = Model.load(MODELS / "fc_w8.vgm"), Model.from_bytes(data)
    frame = np.linspace(-3000, 3000, 40).astype(np.int16)
    np.testing.assert_array_equal(
        a.stream().accept_frame(frame)[0], b.stream().accept_frame(frame)[0]
    )


EXPECTED = json.loads((MODELS / "bad" / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corrupted_files_get_their_stated_errors(name):
    want = EXPECTED[name]
    with pytest.raises(getattr(errors, want["error"]), match=want["message"]) as info:
        Model.load(MODELS / "bad" / name)
    assert isinstance(info.value, voxgate.VoxgateError)
    assert name in str(info.value)  # the message names the file


def test_missing_file():
    with pytest.raises(errors.ModelFileError, match="not found"):
        Model.load(MODELS / "nope.vgm")


def test_every_truncation_is_rejected_cleanly():
    data = (MODELS / "fc_w4.vgm").read_bytes()
    for cut in range(0, len(data), 7):
        with pytest.raises(errors.ModelFormatError):
            Model.from_bytes(data[:cut])


def test_random_byte_flips_never_crash():
    data = bytearray((MODELS / "fc_w4.vgm").read_bytes())
    rng = np.random.default_rng(0)
    for _ in range(500):
        bad = bytearray(data)
        for pos in rng.integers(0, len(bad), 3):
            bad[pos] = rng.integers(0, 256)
        try:
            m = Model.from_bytes(bytes(bad))
        except errors.ModelError:
            continue
        m.stream().accept_frame(np.zeros(m.input_channels, m.input_dtype))


def test_weights_that_do_not_fit_the_bit_width():
    with pytest.raises(errors.ModelFormatError, match="do not fit 4 bits"):
        F.Tensor.packed(np.array([[8, 0]]), 4)


def test_save_is_atomic(tmp_path):
    target = tmp_path / "m.vgm"
    target.write_bytes(b"old")
    bad = F.ModelFile(values=[F.Value(4)], ops=[F.Op(1, [0], 1)], meta={"x": object()})
    with pytest.raises(errors.ModelFormatError):
        bad.save(target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["m.vgm"]


def test_bias_that_could_overflow_the_accumulator_is_rejected():
    # Found by the loader fuzzer: a bias near INT32_MIN overflowed int32.
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_models", MODELS / "make_models.py")
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    m = mk.fc_model(8)
    m.tensors[1] = F.Tensor.s32([-(2**31), 0, 0])
    with pytest.raises(errors.ModelFormatError, match="exceeds 2"):
        Model.from_bytes(m.to_bytes())
