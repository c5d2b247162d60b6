"""Float vs QAT vs integer evaluation on the test split: per-keyword FRR
against false accepts per hour, DET curves, and the operating thresholds for
the target rate (written into the .vgm's metadata)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from voxgate import FEATURE_SCALE
from voxgate.model import Model

from ..errors import EvalError, TrainError
from .config import RunConfig

HOP_S = 0.01
FA_RATES = (0.5, 2.0, 10.0, 50.0)  # false accepts per hour reported


def soften(p: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T) from softmax(logits): log p is the logits up to a
    per-row constant, so this is exact (up to float32 underflow)."""
    if temperature == 1.0:
        return p
    z = np.log(np.maximum(p.astype(np.float64), 1e-300)) / temperature
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True)).astype(np.float32)


def keras_scorer(model, R: int, temperature: float = 1.0):
    """Per-frame probabilities of a Keras window model over a sequence of
    int16 features; row t is the window ending at frame t + R - 1. With the
    export's output temperature, so float, QAT and integer scores differ only
    by quantization (the temperature reorders smoothed scores)."""

    def score(feats: np.ndarray) -> np.ndarray:
        if len(feats) < R:  # not one whole window: no row (Keras would fail on it)
            return np.zeros((0, model.output_shape[-1]), np.float32)
        x = (feats.astype(np.float32) / FEATURE_SCALE)[None, :, None, :]
        return soften(np.asarray(model.predict(x, verbose=0))[0], temperature)

    return score


def vgm_scorer(path: Path, R: int):
    """The same from the integer engine, streaming one frame at a time;
    probabilities from int8 with the output's scale and zero point."""
    model = Model.load(path)
    scale, zp = model.meta["output_scales"]

    def score(feats: np.ndarray) -> np.ndarray:
        _, out = model.stream().run(feats)
        return (out[R - 1 :].astype(np.float32) - zp) * scale

    return score


def score_split(score, feats: np.ndarray, labels: np.ndarray, R: int, keywords: int):
    """Positives: each keyword window after a lead-in window of background,
    the max over its frames. Negatives: every other window back to back, as
    one long recording (real_keywords' windows too: they say no keyword)."""
    background = feats[labels == 0][:1]
    lead = background[0] if len(background) else np.full_like(feats[0], feats.min())
    pos: dict[int, list[np.ndarray]] = {k: [] for k in range(2, 2 + keywords)}
    T = feats.shape[1]
    for f, y in zip(feats, labels, strict=True):
        if int(y) in pos:
            out = score(np.concatenate([lead, f]))
            pos[int(y)].append(out[-T:])
    neg_feats = feats[~np.isin(labels, list(pos))].reshape(-1, feats.shape[-1])
    neg = score(neg_feats) if len(neg_feats) >= R else np.zeros((0, 2 + keywords), np.float32)
    return pos, neg


def evaluate_models(cfg: RunConfig, scorers: dict, R: int) -> dict:
    from ..data.dataset import load_xy
    from ..evaluate import evaluate_keyword, frr_at_fah, plot_det, threshold_for_fah, write_det_csv

    feats, labels = load_xy(cfg.run_dir / "data", "test")
    missing = [kw for k, kw in enumerate(cfg.keywords, start=2) if not np.any(labels == k)]
    if missing:  # its threshold would stay 1.0: a model that never fires
        raise TrainError(f"the test split has no windows of {missing} to evaluate on")
    report, curves_int = {}, {}
    for name, score in scorers.items():
        pos, neg = score_split(score, feats, labels, R, len(cfg.keywords))
        per_kw = {}
        for k, kw in enumerate(cfg.keywords, start=2):
            clips = pos[k]
            curve = evaluate_keyword(
                clips, [neg], k, HOP_S, cfg.smooth_frames, cfg.refractory_s,
            )  # fmt: skip
            # a keyword window counts as found if its keyword wins at some frame
            acc = float(np.mean([np.any(np.argmax(c, axis=1) == k) for c in clips]))
            entry = {"positives": len(clips), "negative_hours": curve.neg_hours,
                     "window_accuracy": acc,
                     "frr_at_target": frr_at_fah(curve, cfg.target_fa_per_hour),
                     "frr_at": {f: frr_at_fah(curve, f) for f in FA_RATES}}  # fmt: skip
            try:
                op = threshold_for_fah(curve, cfg.target_fa_per_hour)
                entry["threshold"] = float(op.threshold)
            except EvalError:  # no threshold reaches the target on this data
                entry["threshold"] = 1.0
            per_kw[kw] = entry
            if name == "integer":
                curves_int[kw] = curve
        report[name] = per_kw
    if curves_int:
        write_det_csv(cfg.run_dir / "det.csv", curves_int)
        plot_det(cfg.run_dir / "det.png", curves_int, cfg.target_fa_per_hour)
    return report


def step_evaluate(cfg: RunConfig, progress: bool = True) -> dict:
    from ..model.kws import receptive_field
    from .steps import _classes, load_model, model_config, write_vgm

    classes = _classes(cfg)
    R = receptive_field(model_config(cfg, len(classes)))
    vgm = cfg.run_dir / "model.vgm"
    if not vgm.is_file():
        raise TrainError(f"{vgm} not found: run the export step first")
    scorers = {
        "float": keras_scorer(load_model(cfg, "float", None), R, cfg.output_temperature),
        "qat": keras_scorer(load_model(cfg, "qat", None), R, cfg.output_temperature),
        "integer": vgm_scorer(vgm, R),
    }
    report = evaluate_models(cfg, scorers, R)
    # The integer model's thresholds go into the file (rewritten, re-verified).
    # one per class; background, unknown and real_keywords never fire
    thresholds = [report["integer"].get(c, {}).get("threshold", 1.0) for c in classes]
    bits = json.loads((cfg.run_dir / "bits.json").read_text())
    write_vgm(cfg, (cfg.run_dir / "model.tflite").read_bytes(), bits, thresholds)
    return {"evaluation": report, "thresholds": thresholds}
