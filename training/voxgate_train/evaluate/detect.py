"""From per-frame keyword posteriors to detections, the way a streaming detector fires.

Each array is one stream, started fresh: the causal moving average over the last
``smooth_frames`` frames starts from a history of zeros (as a reset runtime's ring buffer
does). A detection fires on any frame whose smoothed score is >= the threshold, unless a
detection fired less than ``refractory_s`` earlier; a score that stays high for longer
than the refractory time fires again. Frame ``i`` is at time ``i * hop_s``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import EvalError


def check_scores(x, ndim: int, name: str = "scores") -> np.ndarray:
    """``x`` as float64 of ``ndim`` dimensions with every value in [0, 1], or EvalError."""
    a = np.asarray(x)
    if not np.issubdtype(a.dtype, np.floating):
        raise EvalError(
            f"{name} must be float probabilities in [0, 1], got dtype {a.dtype}; "
            "dequantize first (e.g. q / 255 for uint8, (q + 128) / 256 for int8)"
        )
    if a.ndim != ndim:
        raise EvalError(f"{name} must have {ndim} dimension(s), got shape {a.shape}")
    a = a.astype(np.float64)
    if a.size and not (np.all(np.isfinite(a)) and a.min() >= 0.0 and a.max() <= 1.0):
        raise EvalError(f"{name} must be finite and within [0, 1]")
    return a


def _check_settings(hop_s: float, smooth_frames: int, refractory_s: float) -> int:
    """Validates the detector settings; returns the refractory time in frames (>= 1)."""
    if not hop_s > 0:
        raise EvalError(f"hop_s must be > 0, got {hop_s}")
    if int(smooth_frames) != smooth_frames or smooth_frames < 1:
        raise EvalError(f"smooth_frames must be an integer >= 1, got {smooth_frames}")
    if not refractory_s >= 0:
        raise EvalError(f"refractory_s must be >= 0, got {refractory_s}")
    return max(1, round(refractory_s / hop_s))


def smooth(scores_1d: np.ndarray, smooth_frames: int = 1) -> np.ndarray:
    """Causal moving average over the last ``smooth_frames`` frames, zero history."""
    x = check_scores(scores_1d, 1)
    _check_settings(1.0, smooth_frames, 0.0)
    if smooth_frames == 1 or not len(x):  # a clip shorter than one frame has no scores
        return x
    return np.convolve(x, np.ones(int(smooth_frames)))[: len(x)] / smooth_frames


def _fire_frames(smoothed: np.ndarray, threshold: float, gap: int) -> np.ndarray:
    """Frames where detections fire: greedy earliest-first over frames >= threshold with
    at least ``gap`` frames between detections. Vectorized by pointer doubling over the
    "next allowed candidate" map, so the cost is O(n log n) whatever the detection count."""
    cand = np.flatnonzero(smoothed >= threshold)
    n = len(cand)
    if n == 0 or gap <= 1:
        return cand
    jump = np.append(np.searchsorted(cand, cand + gap), n)  # index n: past the end
    on = np.zeros(n + 1, bool)
    on[0] = True
    while jump[0] != n:  # `on` holds chain positions < 2^k, `jump` is the 2^k-th successor
        on[jump[on]] = True
        jump = jump[jump]
    return cand[on[:n]]


def detections(
    scores_1d: np.ndarray,
    threshold: float,
    hop_s: float = 0.01,
    smooth_frames: int = 1,
    refractory_s: float = 1.0,
) -> np.ndarray:
    """Detection times (s) of one keyword's per-frame scores at ``threshold``."""
    gap = _check_settings(hop_s, smooth_frames, refractory_s)
    return _fire_frames(smooth(scores_1d, smooth_frames), float(threshold), gap) * hop_s


def max_scores_per_clip(clips: Sequence[np.ndarray], smooth_frames: int = 1) -> np.ndarray:
    """Max smoothed score of each positive clip (each a 1-D array, its own stream): the
    clip is detected at threshold t iff its entry is >= t."""
    out = np.empty(len(clips))
    for i, clip in enumerate(clips):
        s = smooth(clip, smooth_frames)
        if not len(s):
            raise EvalError(f"positive clip {i} has no frames")
        out[i] = s.max()
    return out


def false_accept_counts(
    scores_1d: np.ndarray,
    thresholds: np.ndarray,
    hop_s: float = 0.01,
    smooth_frames: int = 1,
    refractory_s: float = 1.0,
) -> np.ndarray:
    """Number of detections (int64) in one long negative recording, per threshold."""
    gap = _check_settings(hop_s, smooth_frames, refractory_s)
    th = np.asarray(thresholds, np.float64)
    if th.ndim != 1 or not np.all(np.isfinite(th)):
        raise EvalError("thresholds must be a 1-D array of finite values")
    s = smooth(scores_1d, smooth_frames)
    return np.array([len(_fire_frames(s, t, gap)) for t in th], np.int64)
