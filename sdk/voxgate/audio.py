"""Audio in: checking PCM arrays and reading files as 16 kHz mono int16."""

from __future__ import annotations

import os

import numpy as np

from .errors import AudioError, AudioFileError

SAMPLE_RATE_HZ = 16000
#: Input rates load_audio resamples from (telephone to studio rates).
MIN_RATE_HZ, MAX_RATE_HZ = 4000, 384000


def to_int16(pcm) -> np.ndarray:
    """Check mono PCM and return it as contiguous int16.

    int16 passes unchanged; float32/float64 must be finite and within
    [-1, 1] and are scaled by 32767 and rounded. Other dtypes, shapes, NaN
    and infinity raise AudioError.
    """
    if not isinstance(pcm, np.ndarray):
        raise AudioError(f"audio must be a numpy array, got {type(pcm).__name__}")
    if pcm.ndim != 1:
        raise AudioError(
            f"audio must be 1-D mono samples, got shape {pcm.shape}; "
            "mix channels down first (e.g. pcm.mean(axis=1))"
        )
    if pcm.dtype == np.int16:
        return np.ascontiguousarray(pcm)
    if pcm.dtype not in (np.float32, np.float64):
        raise AudioError(f"audio dtype must be int16, float32 or float64, got {pcm.dtype}")
    if pcm.size and not np.all(np.isfinite(pcm)):
        raise AudioError("audio contains NaN or infinite samples")
    if pcm.size and np.max(np.abs(pcm)) > 1.0:
        raise AudioError(
            f"float audio must lie in [-1, 1], got a peak of {np.max(np.abs(pcm)):.3g}"
        )
    return np.round(pcm.astype(np.float64) * 32767.0).astype(np.int16)


def load_audio(path: str | os.PathLike) -> np.ndarray:
    """Read an audio file as 16 kHz mono int16 (channels are averaged, other
    rates are resampled with soxr)."""
    import soundfile as sf
    import soxr

    path = os.fspath(path)
    if not os.path.exists(path):
        raise AudioFileError(f"audio file not found: {path}")
    if os.path.getsize(path) == 0:
        raise AudioFileError(f"audio file is empty: {path}")
    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise AudioFileError(f"cannot decode audio file {path}: {exc}") from exc
    if data.shape[0] == 0:
        raise AudioFileError(f"audio file has no samples: {path}")
    if not MIN_RATE_HZ <= rate <= MAX_RATE_HZ:
        raise AudioError(
            f"unsupported sample rate {rate} Hz in {path}; need {MIN_RATE_HZ}..{MAX_RATE_HZ} Hz"
        )
    mono = data.mean(axis=1)
    if not np.all(np.isfinite(mono)):
        raise AudioFileError(f"audio file holds NaN or infinite samples: {path}")
    if rate != SAMPLE_RATE_HZ:
        mono = soxr.resample(mono, rate, SAMPLE_RATE_HZ, quality="HQ")
    return to_int16(np.clip(mono, -1.0, 1.0))
