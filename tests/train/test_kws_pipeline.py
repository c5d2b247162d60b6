"""`voxgate-train kws` end to end on a tiny budget: espeak clips, a small
model, a few epochs, 4-bit QAT, export (which refuses files that disagree
with LiteRT), evaluation; then the file runs on audio in the SDK."""

import json
import shutil

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="needs the [train] extra")
pytest.importorskip("ai_edge_litert", reason="needs the [train] extra")
pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")

from voxgate.model import Model  # noqa: E402
from voxgate_train.cli import main  # noqa: E402
from voxgate_train.synth.espeak import EspeakEngine  # noqa: E402

CONFIG = {
    "keywords": ["computer"], "engines": ["espeak"], "max_voices_per_engine": 10,
    "keyword_takes_per_voice": 2, "keyword_copies": 3, "width": 16,
    "blocks": [[5, 1], [5, 2], [5, 4]], "learning_rate": 0.005,
    "weight_bits": 4, "quantizer": "minmax", "epochs": 15, "qat_epochs": 2, "batch_size": 16,
    "window_s": 1.0, "rir_count": 3, "qat_freeze_bn_after": 0,
    "frontend": {"noise_reduction": True}, "workers": 1,
}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("kws")
    mp = pytest.MonkeyPatch()
    mp.setenv("VOXGATE_CACHE", str(root / "cache"))
    cfg = dict(CONFIG, out_dir=str(root / "run"))
    (root / "cfg.json").write_text(json.dumps(cfg))
    assert main(["kws", "--config", str(root / "cfg.json"), "--quiet"]) == 0
    yield root / "run"
    mp.undo()


def test_every_step_reports(run):
    report = json.loads((run / "report.json").read_text())
    steps = ["synth", "data", "train", "qat", "export", "evaluate"]
    assert list(report) == [*steps, "steps"] and report["steps"] == steps  # ran in that order
    assert report["synth"]["clips"] > 50
    assert report["data"]["rirs"] == 3  # the windows were reverberated with the bank
    export = report["export"]
    assert export["bits"] and set(export["bits"]) == {4}
    assert export["parity_lsb"]["logits_max"] <= 1  # else export refuses to write
    assert export["vgm_bytes"] < export["tflite_bytes"]
    ev = report["evaluate"]["evaluation"]
    assert set(ev) == {"float", "qat", "integer"}
    for name in ev:
        assert 0.0 <= ev[name]["computer"]["frr_at_target"] <= 1.0
    for f in ("det.csv", "det.png", "model.tflite", "model.vgm"):
        assert (run / f).stat().st_size > 0


def test_qat_trains_with_batch_norm_frozen_when_asked(run):
    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.steps import load_model
    from voxgate_train.qat.layers import qat_layers

    qat = load_model(load_config(run / "config.json"), "qat", None)
    convs = [q for q in qat_layers(qat) if q.bn]
    assert convs and all(q.bn_frozen.numpy() == 1 for q in convs)


def test_exported_model_runs_on_audio_with_its_metadata(run):
    model = Model.load(run / "model.vgm")
    assert model.labels == ["_background_", "_unknown_", "computer"]
    # the run's frontend travels with the model, so the device makes its features
    fe = model.frontend_config
    assert fe.noise_reduction and not fe.pcan
    thresholds = model.meta["thresholds"]
    report = json.loads((run / "report.json").read_text())
    assert thresholds == pytest.approx(report["evaluate"]["thresholds"])
    # and the detection rule they were set for, so a device fires as evaluated
    cfg = json.loads((run / "config.json").read_text())
    assert model.meta["smooth_frames"] == [cfg["smooth_frames"]]
    assert model.meta["refractory_ms"] == [round(cfg["refractory_s"] * 1000)]
    pcm = EspeakEngine().synthesize("computer", "en", 1.0, 1.0)
    index, probs = model.stream().accept_waveform(pcm)
    assert len(index) == len(probs) > 0 and probs.shape[1] == 3
    # softmax output: int8 probabilities sum to about 1 (256 LSB)
    total = (probs.astype(int) + 128).sum(axis=1)
    assert np.all(np.abs(total - 256) <= 6)


def test_the_same_config_trains_the_same_model_again(run, tmp_path):
    """A model card's reproduce command means something only if one config
    and seed give one model: the train step run again on the run's data
    writes the same float weights."""
    import dataclasses

    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.steps import load_model, step_train

    shutil.copytree(run / "data", tmp_path / "run" / "data")
    cfg = load_config(run.parent / "cfg.json")
    again = dataclasses.replace(cfg, out_dir=str(tmp_path / "run"))
    step_train(again, progress=False)
    first, second = load_model(cfg, "float"), load_model(again, "float")
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_ema_training_ends_with_the_averaged_weights(run, tmp_path):
    """With ema_momentum the model a step saves is the moving average of its
    weights, not the last (nor the best epoch's) raw weights."""
    import dataclasses

    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.steps import _classes, _fit, _frames, model_config
    from voxgate_train.model.kws import build_kws

    shutil.copytree(run / "data", tmp_path / "run" / "data")
    cfg = dataclasses.replace(
        load_config(run.parent / "cfg.json"), out_dir=str(tmp_path / "run"), ema_momentum=0.9
    )
    model = build_kws(model_config(cfg, len(_classes(cfg))), _frames(cfg))
    out = _fit(cfg, model, 2, cfg.learning_rate, False)
    averages = model.optimizer._model_variables_moving_average  # keras 3
    assert len(averages) == len(model.trainable_variables)
    for v, a in zip(model.trainable_variables, averages, strict=True):
        np.testing.assert_array_equal(v.numpy(), a.numpy())
    assert "ema_val_loss" in out  # the validation loss of what was saved


def test_a_step_alone_needs_its_inputs(tmp_path, capsys):
    cfg = dict(CONFIG, out_dir=str(tmp_path / "empty"))
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    assert main(["kws", "--config", str(tmp_path / "cfg.json"), "--step", "export"]) == 2
    assert "not found" in capsys.readouterr().err


def test_steps_refuse_data_made_with_another_frontend(run, tmp_path, capsys):
    shutil.copytree(run / "data", tmp_path / "run" / "data")
    cfg = dict(CONFIG, out_dir=str(tmp_path / "run"), frontend={"pcan": True})
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    assert main(["kws", "--config", str(tmp_path / "cfg.json"), "--step", "train"]) == 2
    err = capsys.readouterr().err
    assert "another frontend" in err and "noise_reduction" in err


def test_mining_collects_windows_where_the_model_fires(run, monkeypatch):
    """Hard-negative mining on non-keyword speech and noise: it keeps one window
    per peak, of the run's window length and the source's class, and the train
    split then includes them."""
    from voxgate_train.kws import mining
    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.steps import _xyw

    engine = EspeakEngine()
    speech = np.concatenate(
        [engine.synthesize(t, "en", 1.0, 1.0) for t in ("a commuter computes", "come here")] * 4
    )
    noise = (np.random.default_rng(0).standard_normal(16000 * 6) * 3000).astype(np.int16)
    monkeypatch.setattr(
        mining, "_sources", lambda cfg: iter([("speech", speech, 1), ("noise", noise, 0)])
    )
    cfg = load_config(run.parent / "cfg.json")
    before = _xyw(cfg, "train", 9)[0].shape[0]
    result = mining.step_mine(cfg, progress=False, threshold=0.0)
    mined = np.load(run / "data" / "mined.npz")
    n = result["windows_total"]
    assert n == result["windows_found"] >= 2  # threshold 0: at least one peak per source
    assert mined["features"].shape[0] == n and set(mined["labels"].tolist()) <= {0, 1}
    assert np.all(mined["ends"] == -1)
    x, y, w = _xyw(cfg, "train", 9)
    copies = cfg.mined_copies
    assert x.shape[0] == before + copies * n and x.shape[1:3] == (mined["features"].shape[1], 1)
    # a second round keeps the first round's windows
    again = mining.step_mine(cfg, progress=False, threshold=0.0)
    assert again["windows_total"] == n + again["windows_found"]
    (run / "data" / "mined.npz").unlink()  # leave the run as the other tests expect


def test_bit_search_on_the_run_stays_within_its_accuracy_budget(run):
    """The greedy per-layer search on the tiny run: every layer gets a width,
    none wider than it started, and the accuracy drop stays inside max_drop
    on the fixed evaluation subset."""
    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.search import step_bitsearch

    cfg = load_config(run.parent / "cfg.json")
    result = step_bitsearch(cfg, progress=False, max_drop=0.02, max_windows=48)
    assert result["windows"] <= 48 and set(result["bits"].values()) <= set(range(2, 9))
    assert result["accuracy"] >= result["start_accuracy"] - 0.02
    assert result["weight_bytes"] <= result["bytes_at_8_bits"]


def test_realtest_keras_scorer_tracks_the_integer_model(run):
    """realtest scores real clips with the float model too, to tell what
    quantization costs there: the Keras scorer gives one score per frame of
    the integer engine's, even for a clip shorter than the receptive field,
    and run on the QAT model (which the integer one is exported from) its
    track lines up frame for frame with the engine's, on the same
    tempered-softmax scale."""
    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.realtest import KerasScorer, VoxgateScorer
    from voxgate_train.kws.steps import receptive_field_of

    cfg = load_config(run.parent / "cfg.json")
    pcm = EspeakEngine().synthesize("computer", "en", 1.0, 1.0).astype(np.float32) / 32768
    pcm = np.concatenate([np.zeros(8000, np.float32), pcm, np.zeros(8000, np.float32)])
    score = KerasScorer(cfg, "computer")
    f = score(pcm)
    q = VoxgateScorer(run / "model.vgm", "computer")(pcm)
    R = receptive_field_of(cfg)
    assert 0.0 <= f.min() and f.max() <= 1.0 and len(f) == len(q)
    assert len(score(pcm[:800])) == len(VoxgateScorer(run / "model.vgm", "computer")(pcm[:800]))
    # a sound shorter than one frontend window (a short sample among the negatives)
    assert (
        len(score(pcm[:100])) == 0 == len(VoxgateScorer(run / "model.vgm", "computer")(pcm[:100]))
    )
    qat = KerasScorer(cfg, "computer", "qat")(pcm)[R - 1 :]
    q = q[R - 1 :]
    assert np.corrcoef(qat, q)[0, 1] > 0.95
    # one frame early or late lines up worse
    assert np.corrcoef(qat[1:], q[1:])[0, 1] > max(
        np.corrcoef(qat[1:], q[:-1])[0, 1], np.corrcoef(qat[:-1], q[1:])[0, 1]
    )


def test_realtest_baselines_score_earlier_models_on_the_same_clips(run):
    """realtest_baselines adds an earlier .vgm beside the run's model, one
    detector per keyword it knows; a path that is not a file is refused before
    any scoring starts."""
    import dataclasses

    from voxgate_train.errors import TrainError
    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.realtest import VoxgateScorer, baseline_detectors

    cfg = load_config(run.parent / "cfg.json")
    shutil.copy(run / "model.vgm", run.parent / "earlier.vgm")
    dets = baseline_detectors(
        dataclasses.replace(cfg, realtest_baselines=[str(run.parent / "earlier.vgm")])
    )
    assert list(dets) == ["earlier computer"]
    score, phrase, smooth = dets["earlier computer"]
    pcm = EspeakEngine().synthesize("computer", "en", 1.0, 1.0).astype(np.float32) / 32768
    assert phrase == "computer" and smooth == cfg.smooth_frames
    assert np.array_equal(score(pcm), VoxgateScorer(run / "model.vgm", "computer")(pcm))
    with pytest.raises(TrainError, match="not a file"):
        baseline_detectors(dataclasses.replace(cfg, realtest_baselines=[str(run / "nope.vgm")]))


def test_quantizers_compare_the_methods_as_copied_from_the_float_model(run):
    """QAT starts from the float model: min-max at 8 bits must start where
    the float model is, and fewer bits must not start better."""
    import dataclasses

    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.publish import quantizer_table
    from voxgate_train.kws.search import step_quantizers

    cfg = dataclasses.replace(load_config(run / "config.json"), quantizer_epochs=0)
    q = step_quantizers(cfg, progress=False)
    assert "qat_accuracy" not in q and len(q["as_copied"]) == 15
    mm8, mm2 = q["as_copied"]["minmax/8"], q["as_copied"]["minmax/2"]
    assert abs(mm8["accuracy"] - q["float_accuracy"]) < 0.02
    assert abs(mm8["loss"] - q["float_loss"]) < 0.05
    assert mm2["loss"] > mm8["loss"]
    text = "\n".join(quantizer_table(q))
    assert "loss as copied" in text and "| minmax/8 |" in text and "after" not in text


def test_finetune_trains_the_float_model_again_on_mined_windows(run, tmp_path, monkeypatch):
    """Train, mine, train again: finetune starts from the float model's own
    weights and lowers its keyword score on the windows mining found; without
    mined windows it refuses with a message naming the step to run."""
    import dataclasses

    from voxgate import FEATURE_SCALE
    from voxgate_train.errors import TrainError
    from voxgate_train.kws import mining
    from voxgate_train.kws.config import load_config
    from voxgate_train.kws.steps import load_model, step_finetune

    copy = tmp_path / "run"
    shutil.copytree(run, copy, symlinks=True)
    cfg = dataclasses.replace(
        load_config(run.parent / "cfg.json"), out_dir=str(copy), finetune_epochs=2, mined_copies=20
    )
    with pytest.raises(TrainError, match="mine step"):
        step_finetune(cfg, progress=False)
    engine = EspeakEngine()
    phrases = ("a commuter computes", "come put her here") * 3
    speech = np.concatenate([engine.synthesize(t, "en", 1.0, 1.0) for t in phrases])
    monkeypatch.setattr(mining, "_sources", lambda cfg: iter([("speech", speech, 1)]))
    mining.step_mine(cfg, progress=False, threshold=0.0)
    mined = np.load(copy / "data" / "mined.npz")["features"].astype(np.float32) / FEATURE_SCALE

    def keyword_score():
        probs = np.asarray(load_model(cfg, "float", None).predict(mined[:, :, None], verbose=0))
        return float(probs[:, :, 2:].max(axis=2).mean())

    before = keyword_score()
    result = step_finetune(cfg, progress=False)
    assert "loss" in result["float"]
    assert keyword_score() < before
