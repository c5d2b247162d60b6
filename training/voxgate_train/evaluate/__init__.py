"""Keyword-spotting evaluation from per-frame posteriors: detections, FRR vs false accepts
per hour, operating thresholds and DET curves. numpy only (matplotlib for plots)."""

from .det import plot_det, write_det_csv
from .detect import detections, false_accept_counts, max_scores_per_clip, smooth
from .metrics import (
    KeywordCurve,
    OperatingPoint,
    default_thresholds,
    evaluate_keyword,
    frr_at_fah,
    frr_vs_fah,
    threshold_for_fah,
)

__all__ = [
    "KeywordCurve",
    "OperatingPoint",
    "default_thresholds",
    "detections",
    "evaluate_keyword",
    "false_accept_counts",
    "frr_at_fah",
    "frr_vs_fah",
    "max_scores_per_clip",
    "plot_det",
    "smooth",
    "threshold_for_fah",
    "write_det_csv",
]
