"""Microphone and channel colouring: what a cheap microphone, a laptop or a
phone line does to the spectrum. Synthetic voices are studio-clean; real
recordings come through a band-limited, uneven response, and a keyword model
trained only on the first hears the second as something else.

One response is a high-pass (the capsule and its DC blocker), a low-pass (the
codec or the device's anti-aliasing) and one peaking band (a resonance or a
dip), each second-order, with the RMS level kept."""

from __future__ import annotations

import dataclasses

import numpy as np
from scipy import signal

from ..errors import AugmentError
from .perturb import SAMPLE_RATE_HZ, as_float, keep_level


@dataclasses.dataclass(frozen=True)
class ChannelResponse:
    highpass_hz: float
    lowpass_hz: float
    peak_hz: float
    peak_db: float
    peak_q: float = 1.0

    def sos(self) -> np.ndarray:
        nyq = SAMPLE_RATE_HZ / 2
        if not 0 < self.highpass_hz < self.lowpass_hz <= nyq:
            raise AugmentError(
                f"channel band {self.highpass_hz}..{self.lowpass_hz} Hz is not inside 0..{nyq}"
            )
        if not 0 < self.peak_hz < nyq or self.peak_q <= 0:
            raise AugmentError(f"peaking band at {self.peak_hz} Hz (Q {self.peak_q}) is invalid")
        parts = [signal.butter(2, self.highpass_hz, "highpass", fs=SAMPLE_RATE_HZ, output="sos")]
        if self.lowpass_hz < nyq * 0.98:
            parts.append(
                signal.butter(2, self.lowpass_hz, "lowpass", fs=SAMPLE_RATE_HZ, output="sos")
            )
        parts.append(_peaking(self.peak_hz, self.peak_db, self.peak_q))
        return np.concatenate(parts)


def _peaking(f0: float, db: float, q: float) -> np.ndarray:
    """The RBJ cookbook peaking biquad as one second-order section."""
    a = 10 ** (db / 40)
    w = 2 * np.pi * f0 / SAMPLE_RATE_HZ
    alpha = np.sin(w) / (2 * q)
    b = np.array([1 + alpha * a, -2 * np.cos(w), 1 - alpha * a])
    den = np.array([1 + alpha / a, -2 * np.cos(w), 1 - alpha / a])
    return np.concatenate([b / den[0], den / den[0]])[None, :]


def random_response(
    rng: np.random.Generator,
    highpass_hz: tuple[float, float] = (60.0, 400.0),
    lowpass_hz: tuple[float, float] = (3400.0, 8000.0),
    peak_db: tuple[float, float] = (-8.0, 8.0),
) -> ChannelResponse:
    """A response drawn log-uniformly in frequency; the peak sits between the
    two corners."""
    hp = float(np.exp(rng.uniform(*np.log(highpass_hz))))
    lp = float(min(np.exp(rng.uniform(*np.log(lowpass_hz))), SAMPLE_RATE_HZ / 2))
    peak = float(np.exp(rng.uniform(np.log(hp * 1.5), np.log(lp / 1.2))))
    return ChannelResponse(hp, lp, peak, float(rng.uniform(*peak_db)), float(rng.uniform(0.7, 2.0)))


def apply_channel(x: np.ndarray, response: ChannelResponse) -> np.ndarray:
    """Filter ``x`` through ``response``; same length, same RMS level."""
    x = as_float(x)
    if len(x) == 0:
        return x.copy()
    x64 = x.astype(np.float64)
    return keep_level(x64, signal.sosfilt(response.sos(), x64))
