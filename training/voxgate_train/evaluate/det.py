"""DET curves of keyword evaluations: a CSV table and a PNG plot, each written atomically."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Mapping

from ..errors import EvalError
from .metrics import KeywordCurve, threshold_for_fah


def _atomic_write(path: str | os.PathLike, data: bytes) -> None:
    """Writes ``data`` to a temporary file next to ``path``, then renames it over ``path``."""
    path = os.fspath(path)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_det_csv(path: str | os.PathLike, curves: Mapping[str, KeywordCurve]) -> None:
    """One row per keyword and threshold: keyword,threshold,frr,fa_per_hour (exact floats)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["keyword", "threshold", "frr", "fa_per_hour"])
    for kw, c in curves.items():
        for row in zip(c.thresholds, c.frr, c.fa_per_hour, strict=True):
            w.writerow([kw, *(repr(float(v)) for v in row)])
    _atomic_write(path, buf.getvalue().encode())


def plot_det(
    path_png: str | os.PathLike,
    curves: Mapping[str, KeywordCurve],
    target_fah: float | None = None,
) -> None:
    """FRR (%) against false accepts per hour (symlog axis), one line per keyword, with each
    keyword's operating point at ``target_fah`` marked."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError("plot_det needs matplotlib: pip install matplotlib") from e
    if not curves:
        raise EvalError("no curves to plot")
    fig = Figure(figsize=(6.4, 4.8), dpi=100)
    FigureCanvasAgg(fig)  # Agg rendering without pyplot's global state
    ax = fig.add_subplot()
    for kw, c in curves.items():
        (line,) = ax.plot(c.fa_per_hour, 100 * c.frr, label=kw)
        if target_fah is not None:
            try:
                op = threshold_for_fah(c, target_fah)
            except EvalError:
                continue
            ax.plot(op.fa_per_hour, 100 * op.frr, "o", color=line.get_color())
            line.set_label(f"{kw} (FRR {100 * op.frr:.1f}% @ t={op.threshold:.3g})")
    if target_fah is not None:
        ax.axvline(target_fah, color="gray", linestyle="--", linewidth=0.8)
    ax.set_xscale("symlog", linthresh=0.1)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("false accepts per hour")
    ax.set_ylabel("false reject rate (%)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    _atomic_write(path_png, buf.getvalue())
