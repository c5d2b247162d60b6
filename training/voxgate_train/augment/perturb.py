"""Signal perturbations on float32 mono audio in [-1, 1] at 16 kHz: gain, tempo
(WSOLA), pitch shift and vocal-tract-length perturbation (VTLP). Each is
deterministic: randomness comes only from the arguments."""

from __future__ import annotations

import numpy as np
import soxr
from scipy import signal

from ..errors import AugmentError

SAMPLE_RATE_HZ = 16000


def as_float(pcm: np.ndarray) -> np.ndarray:
    """int16 or float audio as float32 in [-1, 1]."""
    pcm = np.asarray(pcm)
    if pcm.ndim != 1:
        raise AugmentError(f"audio must be 1-D mono, got shape {pcm.shape}")
    if pcm.dtype == np.int16:
        return pcm.astype(np.float32) / 32768.0
    if pcm.dtype.kind != "f":
        raise AugmentError(f"audio dtype must be int16 or float, got {pcm.dtype}")
    return pcm.astype(np.float32, copy=False)


def to_pcm16(x: np.ndarray) -> np.ndarray:
    """float audio to int16, scaled down as a whole (not clipped) if it peaks past
    full scale, so a mix keeps its signal-to-noise ratio."""
    x = np.asarray(x, dtype=np.float64)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak > 32767 / 32768:
        x = x * (32767 / 32768 / peak)
    return np.round(x * 32768.0).astype(np.int16)


def fit_length(x: np.ndarray, n: int) -> np.ndarray:
    """Trim or zero-pad ``x`` at the end to ``n`` samples."""
    if len(x) >= n:
        return x[:n]
    return np.concatenate([x, np.zeros(n - len(x), dtype=x.dtype)])


def keep_level(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``y`` scaled to the RMS level of ``x`` (as float32), for filters and
    warps that should colour a signal, not make it louder or quieter."""
    rms_in, rms_out = np.sqrt(np.mean(x**2)), np.sqrt(np.mean(y**2))
    return (y * (rms_in / rms_out) if rms_out > 0 else y).astype(np.float32)


def gain(x: np.ndarray, db: float) -> np.ndarray:
    return (as_float(x) * np.float32(10.0 ** (db / 20.0))).astype(np.float32)


def resample_ratio(x: np.ndarray, ratio: float) -> np.ndarray:
    """Resample to ``round(len(x) * ratio)`` samples (soxr, high quality)."""
    if not 0.25 <= ratio <= 4.0:
        raise AugmentError(f"resampling ratio {ratio} outside 0.25..4")
    x = as_float(x)
    if ratio == 1.0:
        return x.copy()
    y = soxr.resample(x, SAMPLE_RATE_HZ, SAMPLE_RATE_HZ * ratio, quality="HQ")
    return fit_length(y.astype(np.float32), int(round(len(x) * ratio)))


def tempo(x: np.ndarray, factor: float, frame: int = 384, tolerance: int = 96) -> np.ndarray:
    """Change speed by ``factor`` (>1 faster) keeping pitch, by WSOLA (waveform-
    similarity overlap-add: each frame is taken where it best continues the last one,
    which keeps speech free of phase-vocoder smearing). Output: round(len/factor)."""
    if not 0.5 <= factor <= 2.0:
        raise AugmentError(f"tempo factor {factor} outside 0.5..2")
    x = as_float(x)
    n_out = int(round(len(x) / factor))
    if factor == 1.0 or len(x) < 2 * frame:
        return fit_length(resample_ratio(x, 1.0 / factor), n_out) if factor != 1.0 else x.copy()
    hop = frame // 2
    win = np.hanning(frame).astype(np.float32)
    pad = np.concatenate(
        [np.zeros(tolerance, np.float32), x, np.zeros(frame + tolerance, np.float32)]
    )
    n_frames = n_out // hop + 1
    y = np.zeros(n_frames * hop + frame, np.float32)
    norm = np.zeros_like(y)
    prev = tolerance  # position in pad of the previous chosen frame
    for k in range(n_frames):
        target = tolerance + int(round(k * hop * factor))
        if k == 0:
            pos = target
        else:
            # natural continuation of the previous frame, matched within +-tolerance
            ref = pad[prev + hop : prev + hop + frame]
            lo = max(0, target - tolerance)
            seg = pad[lo : target + tolerance + frame]
            if len(seg) < frame or len(ref) < frame:
                pos = target
            else:
                corr = signal.correlate(seg, ref, mode="valid", method="fft")
                pos = lo + int(np.argmax(corr))
        chunk = pad[pos : pos + frame]
        if len(chunk) < frame:
            chunk = fit_length(chunk, frame)
        y[k * hop : k * hop + frame] += chunk * win
        norm[k * hop : k * hop + frame] += win
        prev = pos
    y = y / np.maximum(norm, 1e-3)
    return fit_length(y, n_out).astype(np.float32)


def pitch_shift(x: np.ndarray, semitones: float) -> np.ndarray:
    """Shift pitch (and, as resampling does, the formants with it) keeping the length:
    stretch in time by WSOLA, then resample back."""
    if abs(semitones) > 12:
        raise AugmentError(f"pitch shift {semitones} semitones outside +-12")
    x = as_float(x)
    if semitones == 0:
        return x.copy()
    r = 2.0 ** (semitones / 12.0)
    stretched = tempo(x, 1.0 / r)
    return fit_length(resample_ratio(stretched, len(x) / max(len(stretched), 1)), len(x))


def vtlp_warp(freqs: np.ndarray, alpha: float, f_hi: float, nyquist: float) -> np.ndarray:
    """The piecewise-linear warp of Jaitly & Hinton (2013): f -> alpha f below a
    boundary, then a straight line to Nyquist so the band edge stays put."""
    boundary = f_hi * min(alpha, 1.0) / alpha
    upper = nyquist - (nyquist - f_hi * min(alpha, 1.0)) / (nyquist - boundary) * (nyquist - freqs)
    return np.where(freqs <= boundary, freqs * alpha, upper)


def vtlp(x: np.ndarray, alpha: float, f_hi_hz: float = 4800.0) -> np.ndarray:
    """Vocal-tract-length perturbation: warp the spectral envelope's frequency axis by
    ``alpha`` (0.8..1.2; >1 sounds like a shorter vocal tract). STFT magnitudes are
    re-sampled on the warped axis, phases kept; the length is unchanged."""
    if not 0.7 <= alpha <= 1.3:
        raise AugmentError(f"VTLP alpha {alpha} outside 0.7..1.3")
    x = as_float(x)
    if alpha == 1.0 or len(x) == 0:
        return x.copy()
    nperseg = 512
    f, _, z = signal.stft(x, fs=SAMPLE_RATE_HZ, nperseg=nperseg, noverlap=nperseg * 3 // 4)
    nyq = SAMPLE_RATE_HZ / 2
    # Output bin at frequency g takes the input magnitude at warp^-1(g); the warp is
    # monotonic, so inverting it is interpolation of the swapped axes.
    src = np.interp(f, vtlp_warp(f, alpha, f_hi_hz, nyq), f)
    mag = np.abs(z)
    warped = np.empty_like(mag)
    for t in range(mag.shape[1]):
        warped[:, t] = np.interp(src, f, mag[:, t])
    out = warped * np.exp(1j * np.angle(z))
    _, y = signal.istft(out, fs=SAMPLE_RATE_HZ, nperseg=nperseg, noverlap=nperseg * 3 // 4)
    y = fit_length(y.astype(np.float32), len(x))
    return keep_level(x, y)  # the warp moves energy between bins
