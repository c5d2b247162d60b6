"""Audio straight into a model: the stream runs the frontend named in the
model's metadata, frame for frame the same as frontend + accept_frame."""

import dataclasses

import numpy as np
import pytest

import voxgate
from voxgate import errors
from voxgate import format as F
from voxgate.model import Model


def audio_model(config: voxgate.FrontendConfig) -> Model:
    c = config.num_channels
    m = F.ModelFile(
        values=[F.Value(c, F.S16), F.Value(c)],
        ops=[F.Op(F.OPS["QUANTIZE"], [0], 1, [], [-2560, -128, 1 << 30, -9, -128, 127])],
        meta={"outputs": [1], "frontend": [int(v) for v in dataclasses.astuple(config)]},
    )
    return Model.from_bytes(m.to_bytes())


@pytest.fixture(scope="module")
def pcm():
    rng = np.random.default_rng(0)
    t = np.arange(16000) / 16000
    tone = 8000 * np.sin(2 * np.pi * 440 * t) * (t > 0.3)
    return np.clip(tone + rng.normal(0, 50, t.size), -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("config", [voxgate.FrontendConfig(), voxgate.FrontendConfig(pcan=True)])
def test_waveform_equals_frontend_then_frames(pcm, config):
    model = audio_model(config)
    assert model.frontend_config == config
    feats = voxgate.Frontend(config).features(pcm)
    expected = model.stream().run(feats)
    got = model.stream().accept_waveform(pcm)
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])


def test_waveform_chunking_does_not_matter(pcm):
    model = audio_model(voxgate.FrontendConfig())
    whole = model.stream().accept_waveform(pcm)
    s = model.stream()
    parts = [s.accept_waveform(pcm[i : i + 999]) for i in range(0, pcm.size, 999)]
    np.testing.assert_array_equal(np.concatenate([p[1] for p in parts]), whole[1])
    np.testing.assert_array_equal(np.concatenate([p[0] for p in parts]), whole[0])


def test_model_without_frontend_refuses_audio():
    m = Model.load(__import__("pathlib").Path(__file__).parents[1] / "data/models/fc_w8.vgm")
    with pytest.raises(errors.UnsupportedModelError, match="no frontend"):
        m.stream().accept_waveform(np.zeros(1600, np.int16))


def test_frontend_metadata_must_match_the_input():
    bad = F.ModelFile(
        values=[F.Value(32, F.S16), F.Value(32)],
        ops=[F.Op(F.OPS["QUANTIZE"], [0], 1, [], [0, 0, 1 << 30, 0, -128, 127])],
        meta={"outputs": [1], "frontend": list(dataclasses.astuple(voxgate.FrontendConfig()))},
    )
    with pytest.raises(errors.ModelFormatError, match="frontend gives 40"):
        Model.from_bytes(bad.to_bytes())
