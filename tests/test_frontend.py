"""The Python face of the fixed-point frontend: golden vectors, agreement
with a float reference, chunking invariance, reset, and bad input."""

import json
from pathlib import Path

import numpy as np
import pytest
from float_frontend import log_mel
from hypothesis import given, settings
from hypothesis import strategies as st

import voxgate

GOLDEN = Path(__file__).parent / "golden" / "frontend"


def golden_pcm():
    return np.fromfile(GOLDEN / "input.i16", dtype="<i2")


@pytest.mark.parametrize("name", ["default", "nr_pcan", "w25_c32"])
def test_matches_golden_vectors(name):
    meta = json.loads((GOLDEN / "meta.json").read_text())["configs"][name]
    config = voxgate.FrontendConfig(**meta["config"])
    expected = np.fromfile(GOLDEN / meta["file"], dtype="<i2").reshape(
        meta["frames"], meta["channels"]
    )
    got = voxgate.Frontend(config).features(golden_pcm())
    np.testing.assert_array_equal(got, expected)


def test_agrees_with_float_log_mel():
    # Stated tolerance: within 6 feature units (6/512 in log2, 0.8% in
    # power) wherever the mel power is above 2^8; the fixed-point FFT's
    # rounding only matters near digital silence.
    pcm = golden_pcm()
    ours = voxgate.Frontend().features(pcm).astype(np.float64)
    ref = log_mel(pcm)
    assert ours.shape == ref.shape
    loud = ref > 8 * 512
    assert loud.mean() > 0.9
    assert np.max(np.abs(ours - ref)[loud]) <= 6.0
    assert np.mean(np.abs(ours - ref)) < 1.0


def test_agrees_with_float_log_mel_other_config():
    pcm = golden_pcm()
    cfg = voxgate.FrontendConfig(window_ms=25, num_channels=32, upper_band_hz=8000)
    ours = voxgate.Frontend(cfg).features(pcm).astype(np.float64)
    ref = log_mel(pcm, window_ms=25, num_channels=32, hi=8000)
    assert np.max(np.abs(ours - ref)[ref > 8 * 512]) <= 6.0


def test_frame_count_and_timing():
    fe = voxgate.Frontend()
    assert (fe.window_samples, fe.hop_samples, fe.num_channels) == (480, 160, 40)
    assert fe.process(np.zeros(479, np.int16)).shape == (0, 40)
    assert fe.process(np.zeros(1, np.int16)).shape == (1, 40)
    assert fe.process(np.zeros(160 * 3, np.int16)).shape == (3, 40)


def test_silence_is_the_floor():
    feats = voxgate.Frontend().features(np.zeros(1600, np.int16))
    assert np.all(feats == -10 * voxgate.FEATURE_SCALE)


def test_louder_is_larger_by_the_scale():
    # 2x amplitude = 4x power = +2 in log2 = +1024 feature units.
    pcm = golden_pcm() // 4
    a = voxgate.Frontend().features(pcm).astype(int)
    b = voxgate.Frontend().features(pcm * 2).astype(int)
    loud = a > 8 * 512
    assert abs(np.median((b - a)[loud]) - 1024) <= 2


@settings(max_examples=40, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=8000), max_size=12),
    config=st.sampled_from(
        [voxgate.FrontendConfig(), voxgate.FrontendConfig(noise_reduction=True, pcan=True)]
    ),
)
def test_any_chunking_gives_identical_frames(cuts, config):
    pcm = golden_pcm()[8000:16000]
    whole = voxgate.Frontend(config).features(pcm)
    fe = voxgate.Frontend(config)
    bounds = [0, *sorted(cuts), len(pcm)]
    parts = [fe.process(pcm[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_one_sample_at_a_time():
    pcm = golden_pcm()[:4000]
    fe = voxgate.Frontend()
    parts = [fe.process(pcm[i : i + 1]) for i in range(len(pcm))]
    np.testing.assert_array_equal(np.concatenate(parts), voxgate.Frontend().features(pcm))


def test_reset_starts_a_new_stream():
    cfg = voxgate.FrontendConfig(noise_reduction=True, pcan=True)
    pcm = golden_pcm()[:8000]
    fe = voxgate.Frontend(cfg)
    first = fe.process(pcm)
    fe.process(pcm[:1234])  # leave partial audio and adapted state behind
    fe.reset()
    np.testing.assert_array_equal(fe.process(pcm), first)


def test_float_input_matches_int16():
    pcm = golden_pcm()[:8000]
    as_float = pcm.astype(np.float32) / 32767.0
    np.testing.assert_array_equal(
        voxgate.Frontend().features(as_float), voxgate.Frontend().features(pcm)
    )


@pytest.mark.parametrize(
    "bad, words",
    [
        (np.zeros(100, np.int32), "dtype"),
        (np.zeros(100, np.uint8), "dtype"),
        (np.zeros((100, 2), np.int16), "1-D"),
        (np.array([0.0, np.nan], np.float32), "NaN"),
        (np.array([0.0, np.inf]), "infinite"),
        (np.array([0.0, 1.5], np.float32), "[-1, 1]"),
        ([0, 1, 2], "numpy array"),
    ],
)
def test_bad_audio_is_rejected_by_name(bad, words):
    fe = voxgate.Frontend()
    with pytest.raises(voxgate.AudioError, match=words.replace("[", r"\[").replace("]", r"\]")):
        fe.process(bad)


def test_empty_input_gives_no_frames():
    assert voxgate.Frontend().process(np.zeros(0, np.int16)).shape == (0, 40)


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"sample_rate_hz": 8000}, "sample_rate_hz"),
        ({"num_channels": 0}, "num_channels"),
        ({"hop_ms": 50}, "hop_ms"),
        ({"upper_band_hz": 9000}, "upper_band_hz"),
        ({"num_channels": 128}, "channel"),
    ],
)
def test_bad_config_is_rejected_by_name(kwargs, words):
    with pytest.raises(voxgate.ConfigError, match=words):
        voxgate.Frontend(voxgate.FrontendConfig(**kwargs))
