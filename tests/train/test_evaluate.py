"""Keyword evaluation: detections, FRR / FA-per-hour curves, operating points, DET files."""

import csv
import subprocess
import sys

import numpy as np
import pytest

from voxgate.errors import VoxgateError
from voxgate_train.errors import EvalError
from voxgate_train.evaluate import (
    KeywordCurve,
    detections,
    evaluate_keyword,
    false_accept_counts,
    frr_at_fah,
    frr_vs_fah,
    max_scores_per_clip,
    plot_det,
    threshold_for_fah,
    write_det_csv,
)
from voxgate_train.evaluate.detect import smooth


def spikes(n, at, value=0.9, width=1):
    x = np.zeros(n)
    for a in at:
        x[a : a + width] = value
    return x


def naive_fire(x, t, smooth_frames, gap):
    """Frame-by-frame streaming detector, the reference the vectorized one must match."""
    hist, last, out = [0.0] * smooth_frames, -(10**9), []
    for i, v in enumerate(x):
        hist = hist[1:] + [v]
        if sum(hist) / smooth_frames >= t and i - last >= gap:
            out.append(i)
            last = i
    return out


def test_single_spike_is_one_detection():
    assert np.allclose(detections(spikes(300, [50]), 0.5), [0.50])
    assert len(detections(spikes(300, [50]), 0.95)) == 0
    assert np.allclose(detections(spikes(300, [50], value=0.5), 0.5), [0.50])  # >= fires


def test_refractory_suppresses_repeats():
    x = spikes(400, [10, 50, 110, 150])
    # 50 is within 1 s of 10; 110 is exactly 1 s after it; 150 within 1 s of 110
    assert np.allclose(detections(x, 0.5, refractory_s=1.0), [0.10, 1.10])
    assert np.allclose(detections(x, 0.5, refractory_s=0.3), [0.10, 0.50, 1.10, 1.50])
    # a score held high refires once per refractory period
    assert np.allclose(detections(spikes(400, [0], width=250), 0.5), [0.0, 1.0, 2.0])


def test_smoothing_delays_and_blocks():
    one = spikes(100, [10], value=1.0)
    assert len(detections(one, 0.5, smooth_frames=3)) == 0  # 1/3 < 0.5
    three = spikes(100, [10], value=1.0, width=3)
    assert np.allclose(detections(three, 0.5), [0.10])
    assert np.allclose(detections(three, 0.5, smooth_frames=3), [0.11])  # 2/3 at frame 11
    assert np.allclose(detections(three, 0.9, smooth_frames=3), [0.12])
    # zero history at the start of a stream
    assert len(detections(spikes(10, [0], value=1.0), 0.5, smooth_frames=3)) == 0


def test_false_accept_counts_match_streaming_reference():
    rng = np.random.default_rng(0)
    x = rng.random(3000) ** 4
    th = np.linspace(0.05, 1.0, 20)
    for smooth_frames, refractory_s, gap in [(1, 1.0, 100), (3, 0.25, 25), (5, 0.0, 1)]:
        got = false_accept_counts(x, th, 0.01, smooth_frames, refractory_s)
        want = [len(naive_fire(x, t, smooth_frames, gap)) for t in th]
        assert got.tolist() == want
        times = detections(x, 0.3, 0.01, smooth_frames, refractory_s)
        assert np.allclose(times, np.array(naive_fire(x, 0.3, smooth_frames, gap)) * 0.01)


def test_max_scores_per_clip():
    clips = [spikes(50, [5], 0.8), spikes(50, [5], 0.6, width=2), np.full(3, 0.2)]
    assert np.allclose(max_scores_per_clip(clips), [0.8, 0.6, 0.2])
    assert np.allclose(max_scores_per_clip(clips, smooth_frames=2), [0.4, 0.6, 0.2])


def test_curve_is_monotone():
    rng = np.random.default_rng(1)
    pos = [rng.random((80, 3)) for _ in range(40)]
    neg = [rng.random((5000, 3)) ** 3, rng.random((2000, 3)) ** 3]
    c = evaluate_keyword(pos, neg, class_index=1, smooth_frames=3, refractory_s=0.5)
    assert len(c.thresholds) == 200 and c.n_positive == 40
    assert c.neg_hours == pytest.approx(7000 * 0.01 / 3600)
    assert np.all(np.diff(c.frr) >= 0) and np.all(np.diff(c.fa_per_hour) <= 0)
    assert c.frr[0] == 0 and c.fa_counts[0] > c.fa_counts[-1]
    assert np.allclose(c.fa_per_hour, c.fa_counts / c.neg_hours)


def test_evaluate_keyword_uses_the_class_column():
    pos = [np.stack([spikes(50, [10], 0.9), np.zeros(50)], 1)]
    neg = [np.stack([np.zeros(360000), spikes(360000, [100, 50000])], 1)]  # 1 hour
    kw0 = evaluate_keyword(pos, neg, 0, thresholds=[0.5])
    kw1 = evaluate_keyword(pos, neg, 1, thresholds=[0.5])
    assert (kw0.frr[0], kw0.fa_per_hour[0]) == (0.0, 0.0)
    assert (kw1.frr[0], kw1.fa_per_hour[0]) == (1.0, pytest.approx(2.0))


def known_curve():
    th = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    pos = np.array([0.15, 0.25, 0.35, 0.45])  # FRR 0, .25, .5, .75, 1
    return frr_vs_fah(pos, np.array([10, 6, 3, 1, 0]), 2.0, th)  # FA/h 5, 3, 1.5, .5, 0


def test_threshold_for_fah_on_known_counts():
    c = known_curve()
    assert np.allclose(c.frr, [0, 0.25, 0.5, 0.75, 1.0])
    assert np.allclose(c.fa_per_hour, [5, 3, 1.5, 0.5, 0])
    assert threshold_for_fah(c, 1.5) == (0.3, 0.5, 1.5)  # equal counts as reaching it
    assert threshold_for_fah(c, 1.0).threshold == 0.4
    assert threshold_for_fah(c, 100).threshold == 0.1
    assert frr_at_fah(c, 0.0) == 1.0
    no_zero = frr_vs_fah([0.5], np.array([4, 2]), 1.0, [0.2, 0.4])
    with pytest.raises(EvalError, match="no threshold"):
        threshold_for_fah(no_zero, 1.0)


def test_csv_round_trips(tmp_path):
    curves = {"hey_computer": known_curve(), "stop": frr_vs_fah([1 / 3], np.array([1]), 3.0, [0.1])}
    path = tmp_path / "det.csv"
    path.write_text("old")
    write_det_csv(path, curves)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["keyword", "threshold", "frr", "fa_per_hour"]
    for kw, c in curves.items():
        mine = [r for r in rows if r["keyword"] == kw]
        for col, want in [
            ("threshold", c.thresholds),
            ("frr", c.frr),
            ("fa_per_hour", c.fa_per_hour),
        ]:
            assert [float(r[col]) for r in mine] == want.tolist()  # exact
    assert [p.name for p in tmp_path.iterdir()] == ["det.csv"]


def test_plot_is_a_png_and_leaves_no_temp(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "det.png"
    plot_det(path, {"a": known_curve(), "b": known_curve()}, target_fah=1.0)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["det.png"]


def test_bad_input_raises_typed_errors():
    ok = np.zeros((10, 2))
    bad = [
        lambda: detections(np.zeros((10, 2)), 0.5),  # not 1-D
        lambda: detections(np.zeros(10, np.uint8), 0.5),  # quantized
        lambda: detections(np.full(10, np.nan), 0.5),
        lambda: detections(np.full(10, 1.5), 0.5),
        lambda: detections(np.zeros(10), 0.5, hop_s=0),
        lambda: detections(np.zeros(10), 0.5, smooth_frames=0),
        lambda: max_scores_per_clip([np.zeros(0)]),
        lambda: frr_vs_fah([0.5], np.array([1]), -1.0, [0.5]),
        lambda: frr_vs_fah([0.5], np.array([1, 2]), 1.0, [0.5]),  # counts length
        lambda: frr_vs_fah([0.5], np.array([1, 2]), 1.0, [0.6, 0.5]),  # not ascending
        lambda: frr_vs_fah([], np.array([1]), 1.0, [0.5]),
        lambda: evaluate_keyword([], [ok], 0),
        lambda: evaluate_keyword([ok], [], 0),
        lambda: evaluate_keyword([ok], [ok], 2),  # class out of range
        lambda: evaluate_keyword([np.zeros(10)], [ok], 0),  # (frames,) not (frames, classes)
    ]
    for call in bad:
        with pytest.raises(EvalError) as e:
            call()
        assert isinstance(e.value, ValueError) and isinstance(e.value, VoxgateError)
    assert isinstance(known_curve(), KeywordCurve)


def test_no_tensorflow_import():
    code = "import sys, voxgate_train.evaluate; assert 'tensorflow' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_recording_too_short_for_one_frame_counts_no_false_accepts():
    """An empty score stream (audio shorter than one frontend window) is hours
    of nothing, not an error."""
    empty = np.zeros(0, np.float32)
    assert len(smooth(empty, 5)) == 0
    assert np.all(false_accept_counts(empty, np.array([0.1, 0.5]), 0.01, 5, 1.0) == 0)


def test_soften_gives_the_exports_tempered_softmax():
    # The float and QAT rows of the report must score as the integer model
    # does: softmax(logits / T), recovered from softmax(logits).
    from voxgate_train.kws.evaluation import soften

    z = np.random.default_rng(0).normal(0, 6, (50, 5))

    def softmax(a):
        e = np.exp(a - a.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    np.testing.assert_allclose(soften(softmax(z), 4.0), softmax(z / 4.0), atol=1e-6)
    p = softmax(z).astype(np.float32)
    assert soften(p, 1.0) is p
