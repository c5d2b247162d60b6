"""load_audio: any common file becomes 16 kHz mono int16, and files voxgate
cannot use raise AudioFileError / AudioError naming the problem."""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

import voxgate

DATA = Path(__file__).parent / "data"


def test_loads_the_bundled_clip():
    pcm = voxgate.load_audio(DATA / "hey_computer.wav")
    assert pcm.dtype == np.int16 and pcm.ndim == 1
    assert pcm.size == 39620
    assert np.abs(pcm).max() > 1000


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resamples_and_keeps_the_pitch(tmp_path, rate):
    t = np.arange(rate) / rate
    tone = 0.5 * np.sin(2 * np.pi * 1000.0 * t)
    path = tmp_path / f"tone_{rate}.flac"
    sf.write(path, tone, rate)
    pcm = voxgate.load_audio(path)
    assert abs(pcm.size - 16000) <= 2
    spectrum = np.abs(np.fft.rfft(pcm.astype(float)))
    peak_hz = np.argmax(spectrum) * 16000 / pcm.size
    assert abs(peak_hz - 1000.0) < 2.0


def test_stereo_is_mixed_down(tmp_path):
    left = np.full(1600, 0.5)
    path = tmp_path / "stereo.wav"
    sf.write(path, np.stack([left, -left * 0.5], axis=1), 16000, subtype="PCM_16")
    pcm = voxgate.load_audio(path)
    assert pcm.shape == (1600,)
    assert abs(int(pcm[800]) - round(0.125 * 32767)) <= 2


def test_missing_file(tmp_path):
    with pytest.raises(voxgate.AudioFileError, match="not found"):
        voxgate.load_audio(tmp_path / "nope.wav")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(voxgate.AudioFileError, match="empty"):
        voxgate.load_audio(path)


def test_corrupt_file(tmp_path):
    path = tmp_path / "corrupt.wav"
    path.write_bytes(b"RIFF\x10\x00\x00\x00WAVEgarbage-not-audio" * 3)
    with pytest.raises(voxgate.AudioFileError, match="cannot decode"):
        voxgate.load_audio(path)


def test_truncated_header_only_wav(tmp_path):
    path = tmp_path / "no_samples.wav"
    sf.write(path, np.zeros(0), 16000)
    with pytest.raises(voxgate.AudioFileError):
        voxgate.load_audio(path)


def test_unsupported_sample_rate(tmp_path):
    path = tmp_path / "slow.wav"
    sf.write(path, np.zeros(100), 1000)
    with pytest.raises(voxgate.AudioError, match="sample rate 1000"):
        voxgate.load_audio(path)


def test_errors_share_one_base():
    assert issubclass(voxgate.AudioFileError, voxgate.VoxgateError)
    assert issubclass(voxgate.AudioError, ValueError)
