"""Augmentation: exact SNRs, documented lengths and dtypes, seeded determinism."""

import numpy as np
import pytest

from voxgate_train.augment import (
    AugmentConfig,
    Augmenter,
    NoiseBank,
    apply_rir,
    colored_noise,
    gain,
    mix_at_snr,
    pitch_shift,
    rng_for,
    snr_db,
    tempo,
    to_pcm16,
    vtlp,
)
from voxgate_train.errors import AugmentError


def voice(seconds=0.8, seed=0):
    """A harmonic, amplitude-modulated tone with some noise: speech enough for DSP."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * 16000)) / 16000
    x = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 12))
    x = x * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t)) + 0.01 * rng.normal(size=len(t))
    return (0.3 * x / np.max(np.abs(x))).astype(np.float32)


@pytest.mark.parametrize("color", ["white", "pink", "brown"])
@pytest.mark.parametrize("target", [-5.0, 0.0, 10.0, 30.0])
def test_mix_at_snr_measures_within_half_a_db(color, target):
    speech = voice()
    noise = colored_noise(len(speech), color, np.random.default_rng(1))
    mixed = mix_at_snr(speech, noise, target)
    assert mixed.dtype == np.float32
    assert abs(snr_db(speech, mixed - speech) - target) < 0.5
    # Still true after int16 conversion, which scales a loud mix instead of clipping it.
    k = 32768 * min(1.0, (32767 / 32768) / np.max(np.abs(mixed)))
    s = speech.astype(np.float64) * k
    assert abs(snr_db(s, to_pcm16(mixed) - s) - target) < 0.5


def test_snr_refers_to_the_utterance_not_the_padded_window():
    utt = voice(0.3)
    window = np.zeros(16000, np.float32)
    window[4000 : 4000 + len(utt)] = utt
    noise = colored_noise(16000, "pink", np.random.default_rng(2))
    mixed = mix_at_snr(window, noise, 5.0, speech_power=float(np.mean(utt.astype(np.float64) ** 2)))
    residual = (mixed - window)[4000 : 4000 + len(utt)]
    assert abs(snr_db(utt, residual) - 5.0) < 0.5


def test_environment_noise_snr_and_gain():
    config = AugmentConfig(p_reverb=0, p_noise=1, snr_db=(12, 12), gain_db=(-6, -6))
    aug = Augmenter(config, NoiseBank(colors=["white"]))
    x = voice(1.0)
    y = aug.environment(x, rng_for(0, "a"))
    g = 10 ** (-6 / 20)
    assert y.dtype == np.float32 and len(y) == len(x)
    assert abs(snr_db(x * g, y - x * g) - 12.0) < 0.5


def test_noise_bank_recordings_are_tiled_and_cut():
    bank = NoiseBank([np.ones(100, np.float32)], colors=[])
    out = bank.sample(1000, np.random.default_rng(0))
    assert out.dtype == np.float32 and len(out) == 1000


def test_perturbations_keep_documented_lengths_and_dtype():
    x = voice()
    assert len(tempo(x, 1.25)) == round(len(x) / 1.25)
    assert len(tempo(x, 0.8)) == round(len(x) / 0.8)
    for y in (pitch_shift(x, 3.0), pitch_shift(x, -2.0), vtlp(x, 1.1), gain(x, -6)):
        assert y.dtype == np.float32 and len(y) == len(x)
        assert np.all(np.isfinite(y))
    # int16 in, float32 [-1, 1] out
    assert vtlp(to_pcm16(x), 0.9).dtype == np.float32
    with pytest.raises(AugmentError):
        tempo(x, 3.0)


def test_apply_rir_keeps_length_level_and_position():
    rng = np.random.default_rng(0)
    rir = (rng.normal(size=4000) * np.exp(-np.arange(4000) / 600)).astype(np.float32)
    rir[:50] = 0
    rir[50] = 5.0  # direct path 50 samples in
    x = np.zeros(8000, np.float32)
    x[3000:3400] = voice(0.025)
    y = apply_rir(x, rir)
    assert y.dtype == np.float32 and len(y) == len(x)
    assert np.isclose(np.sqrt(np.mean(y**2)), np.sqrt(np.mean(x**2)), rtol=1e-3)
    assert np.max(np.abs(y[:2990])) < 1e-3  # nothing moved earlier than the speech


def test_augmenter_is_deterministic_for_a_seed():
    rng = np.random.default_rng(3)
    rirs = [(rng.normal(size=2000) * np.exp(-np.arange(2000) / 300)).astype(np.float32)]
    config = AugmentConfig(p_tempo=1, p_pitch=1, p_vtlp=1, p_reverb=1, p_noise=1)
    aug = Augmenter(config, NoiseBank(colors=["pink"]), rirs)

    def run(key):
        r = rng_for(7, key)
        y = aug.perturb_speech(voice(), r)
        window = np.zeros(16000, np.float32)
        window[: len(y)] = y[:16000]
        return aug.environment(window, r), aug.background(16000, r)

    a, b = run("item"), run("item")
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], run("other")[0])


def test_bad_config_raises():
    with pytest.raises(AugmentError):
        AugmentConfig(p_noise=1.5)
    with pytest.raises(AugmentError):
        AugmentConfig(snr_db=(10.0, 0.0))


def test_rir_bank_is_seeded_and_cached(tmp_path):
    pytest.importorskip("pyroomacoustics")
    from voxgate_train.augment import build_rir_bank

    bank = build_rir_bank(2, seed=5, cache_dir=tmp_path)
    assert len(bank) == 2 and all(r.dtype == np.float32 and r.ndim == 1 for r in bank)
    assert all(np.isclose(np.max(np.abs(r)), 1.0) for r in bank)
    assert len(list((tmp_path / "rir").glob("*.npz"))) == 1
    again = build_rir_bank(2, seed=5, cache_dir=tmp_path)
    for r, s in zip(bank, again, strict=True):
        np.testing.assert_array_equal(r, s)
    from voxgate_train.augment import simulate_rir

    np.testing.assert_array_equal(
        simulate_rir(np.random.default_rng(9)), simulate_rir(np.random.default_rng(9))
    )


def test_channel_response_band_limits_and_keeps_level():
    from voxgate_train.augment import ChannelResponse, apply_channel, random_response

    rng = np.random.default_rng(0)
    x = rng.normal(scale=0.1, size=16000).astype(np.float32)
    resp = ChannelResponse(highpass_hz=300, lowpass_hz=3400, peak_hz=1000, peak_db=0.0)
    y = apply_channel(x, resp)
    assert y.shape == x.shape and y.dtype == np.float32
    assert np.sqrt(np.mean(y**2)) == pytest.approx(np.sqrt(np.mean(x**2)), rel=1e-3)
    spec = np.abs(np.fft.rfft(y)) ** 2
    f = np.fft.rfftfreq(len(y), 1 / 16000)
    band = spec[(f > 800) & (f < 2000)].mean()
    assert spec[f < 80].mean() < band / 30 and spec[f > 7000].mean() < band / 30
    r1, r2 = random_response(np.random.default_rng(5)), random_response(np.random.default_rng(5))
    assert r1 == r2 and r1.highpass_hz < r1.peak_hz < r1.lowpass_hz <= 8000


def test_channel_response_rejects_an_empty_band():
    from voxgate_train.augment import ChannelResponse, apply_channel

    with pytest.raises(AugmentError, match="band"):
        apply_channel(np.zeros(100, np.float32), ChannelResponse(4000, 3000, 1000, 0.0))
