"""False rejection rate against false accepts per hour, and operating points on that curve."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from ..errors import EvalError
from .detect import _check_settings, check_scores, false_accept_counts, max_scores_per_clip


def default_thresholds() -> np.ndarray:
    """200 thresholds, 0.005 to 1.0 in steps of 0.005."""
    return np.linspace(0.0, 1.0, 201)[1:]


@dataclasses.dataclass(frozen=True, eq=False)
class KeywordCurve:
    """One keyword's trade-off, one entry per threshold (ascending)."""

    thresholds: np.ndarray
    frr: np.ndarray  # fraction of positive clips missed, in [0, 1]
    fa_per_hour: np.ndarray
    fa_counts: np.ndarray  # false accepts over all negative audio
    neg_hours: float
    n_positive: int


class OperatingPoint(NamedTuple):
    threshold: float
    frr: float
    fa_per_hour: float


def frr_vs_fah(
    pos_max_scores: np.ndarray, neg_counts: np.ndarray, neg_hours: float, thresholds: np.ndarray
) -> KeywordCurve:
    """The curve from each positive clip's max score and the false-accept count per threshold."""
    pos = check_scores(pos_max_scores, 1, "pos_max_scores")
    th = np.asarray(thresholds, np.float64)
    counts = np.asarray(neg_counts)
    if th.ndim != 1 or not len(th) or not np.all(np.isfinite(th)) or np.any(np.diff(th) <= 0):
        raise EvalError("thresholds must be a non-empty, strictly ascending 1-D array")
    if counts.shape != th.shape or not np.issubdtype(counts.dtype, np.integer) or counts.min() < 0:
        raise EvalError(f"neg_counts must be {len(th)} non-negative integers, one per threshold")
    if not len(pos):
        raise EvalError("no positive clips")
    if not (np.isfinite(neg_hours) and neg_hours > 0):
        raise EvalError(f"neg_hours must be > 0, got {neg_hours}")
    frr = np.searchsorted(np.sort(pos), th, side="left") / len(pos)  # share of max < t
    return KeywordCurve(
        th, frr, counts / float(neg_hours), counts.astype(np.int64), float(neg_hours), len(pos)
    )


def threshold_for_fah(curve: KeywordCurve, target_fah: float) -> OperatingPoint:
    """The lowest threshold whose false accepts per hour are <= ``target_fah``."""
    ok = np.flatnonzero(curve.fa_per_hour <= target_fah)
    if not len(ok):
        lowest = float(curve.fa_per_hour.min())
        raise EvalError(f"no threshold reaches {target_fah} FA/h (lowest is {lowest:.3g})")
    i = ok[0]
    return OperatingPoint(
        float(curve.thresholds[i]), float(curve.frr[i]), float(curve.fa_per_hour[i])
    )


def frr_at_fah(curve: KeywordCurve, target_fah: float) -> float:
    """False rejection rate at the operating point of ``threshold_for_fah``."""
    return threshold_for_fah(curve, target_fah).frr


def _column(scores: np.ndarray, class_index: int, name: str) -> np.ndarray:
    s = check_scores(scores, 2, name)
    if not 0 <= class_index < s.shape[1]:
        raise EvalError(f"class_index {class_index} out of range for {name} of shape {s.shape}")
    return s[:, class_index]


def evaluate_keyword(
    pos_clip_scores: Sequence[np.ndarray],
    neg_scores: Sequence[np.ndarray],
    class_index: int,
    hop_s: float = 0.01,
    smooth_frames: int = 1,
    refractory_s: float = 1.0,
    thresholds: np.ndarray | None = None,
) -> KeywordCurve:
    """The curve of one keyword from (frames, classes) scores of positive clips and of long
    negative recordings; every array is scored as its own stream."""
    _check_settings(hop_s, smooth_frames, refractory_s)
    if not len(pos_clip_scores) or not len(neg_scores):
        raise EvalError("need at least one positive clip and one negative recording")
    th = default_thresholds() if thresholds is None else np.asarray(thresholds, np.float64)
    pos = [_column(c, class_index, f"positive clip {i}") for i, c in enumerate(pos_clip_scores)]
    neg = [_column(r, class_index, f"negative recording {i}") for i, r in enumerate(neg_scores)]
    counts = np.zeros(len(th), np.int64)
    for r in neg:
        counts += false_accept_counts(r, th, hop_s, smooth_frames, refractory_s)
    neg_hours = sum(len(r) for r in neg) * hop_s / 3600.0
    return frr_vs_fah(max_scores_per_clip(pos, smooth_frames), counts, neg_hours, th)
