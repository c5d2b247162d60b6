"""Background noise: synthetic coloured noise, a bank of recorded noise, and mixing
at a requested signal-to-noise ratio."""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np

from ..errors import AugmentError
from .perturb import as_float

COLORS = ("white", "pink", "brown")
#: power spectral density slope (PSD ~ f^-k) of each colour
_EXPONENT = {"white": 0.0, "pink": 1.0, "brown": 2.0}


def colored_noise(n: int, color: str, rng: np.random.Generator) -> np.ndarray:
    """``n`` samples of white, pink (1/f) or brown (1/f^2) noise with unit RMS,
    shaped in the frequency domain."""
    if color not in _EXPONENT:
        raise AugmentError(f"unknown noise colour {color!r}; choose from {COLORS}")
    if n <= 0:
        return np.zeros(0, np.float32)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n)
    f[0] = f[1] if n > 1 else 1.0  # no infinite DC gain
    spec *= f ** (-_EXPONENT[color] / 2.0)
    x = np.fft.irfft(spec, n)
    x -= x.mean()
    rms = np.sqrt(np.mean(x**2))
    return (x / rms if rms > 0 else x).astype(np.float32)


def power(x: np.ndarray) -> float:
    return float(np.mean(np.square(x, dtype=np.float64))) if len(x) else 0.0


def at_level(x: np.ndarray, dbfs: float) -> np.ndarray:
    """``x`` scaled to an RMS level of ``dbfs`` (silence stays silent)."""
    x = as_float(x)
    rms = np.sqrt(power(x))
    if rms == 0:
        return x.copy()
    return (x * np.float32(10 ** (dbfs / 20) / rms)).astype(np.float32)


def mix_at_snr(
    speech: np.ndarray, noise: np.ndarray, snr_db: float, speech_power: float | None = None
) -> np.ndarray:
    """Add ``noise`` (same length) scaled so that speech power / noise power is
    ``snr_db``. ``speech_power`` overrides the power measured on ``speech`` (use the
    power of the bare utterance when ``speech`` is padded with silence). Returns
    float32; convert with perturb.to_pcm16, which scales rather than clips."""
    speech, noise = as_float(speech), as_float(noise)
    if len(noise) != len(speech):
        raise AugmentError(f"noise has {len(noise)} samples, speech {len(speech)}")
    ps = power(speech) if speech_power is None else speech_power
    pn = power(noise)
    if pn == 0.0 or ps == 0.0:
        return speech.copy()
    scale = np.sqrt(ps / (pn * 10.0 ** (snr_db / 10.0)))
    return (speech + noise * np.float32(scale)).astype(np.float32)


def snr_db(speech: np.ndarray, noise: np.ndarray) -> float:
    return 10.0 * np.log10(power(as_float(speech)) / power(as_float(noise)))


class NoiseBank:
    """Noise recordings (long files are fine) plus synthetic colours; ``sample``
    draws a random excerpt of a requested length."""

    def __init__(self, recordings: Iterable[np.ndarray] = (), colors: Iterable[str] = COLORS):
        self.recordings = [as_float(r) for r in recordings if len(r)]
        self.colors = list(colors)
        for c in self.colors:
            if c not in _EXPONENT:
                raise AugmentError(f"unknown noise colour {c!r}; choose from {COLORS}")
        if not self.recordings and not self.colors:
            raise AugmentError("a noise bank needs recordings or noise colours")

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike], colors=COLORS) -> NoiseBank:
        from voxgate import load_audio

        return cls([load_audio(p) for p in paths], colors)

    def __len__(self) -> int:
        return len(self.recordings) + len(self.colors)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """A float32 excerpt of ``n`` samples; recordings shorter than ``n`` are tiled."""
        k = int(rng.integers(len(self)))
        if k >= len(self.recordings):
            return colored_noise(n, self.colors[k - len(self.recordings)], rng)
        rec = self.recordings[k]
        if len(rec) < n:
            rec = np.tile(rec, n // len(rec) + 1)
        start = int(rng.integers(len(rec) - n + 1))
        return rec[start : start + n].copy()
