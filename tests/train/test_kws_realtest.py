"""The real test's conditions and its account of what fires on the
negatives, and how the model card shows them."""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from voxgate_train.errors import TrainError
from voxgate_train.kws.config import RunConfig
from voxgate_train.kws.publish import card
from voxgate_train.kws.realtest import (
    CONDITIONS,
    at_level,
    condition,
    loudest_peaks,
    mycroft_negatives,
    says,
)
from voxgate_train.kws.steps import real_items


def test_at_level_sets_the_rms_level_and_keeps_silence_silent():
    rng = np.random.default_rng(0)
    clip = (0.001 * rng.standard_normal(16000)).astype(np.float32)
    out = at_level(clip, -25.0)
    assert abs(20 * np.log10(np.sqrt(np.mean(out.astype(np.float64) ** 2))) + 25.0) < 0.01
    assert np.array_equal(at_level(np.zeros(100, np.float32), -25.0), np.zeros(100))


def test_the_levelled_condition_plays_the_clip_at_its_level_in_context():
    rng = np.random.default_rng(0)
    clip = (0.001 * rng.standard_normal(8000)).astype(np.float32)
    clean, levelled = condition(clip, CONDITIONS[0], rng), condition(clip, CONDITIONS[2], rng)
    assert len(clean) == len(levelled) == 16000 + 8000 + 8000  # 1 s lead-in, 0.5 s tail
    body = levelled[16000:24000].astype(np.float64)
    assert abs(20 * np.log10(np.sqrt(np.mean(body**2))) + 25.0) < 0.1
    assert np.abs(clean[16000:24000]).max() < 0.01  # as recorded: quiet


def test_loudest_peaks_lists_one_peak_per_source_highest_first():
    a = np.array([0.1, 0.9, 0.2, 0.95, 0.1], np.float32)[:, None]
    b = np.array([0.3, 0.5, 0.3], np.float32)[:, None]
    empty = np.zeros((0, 1), np.float32)  # a source shorter than one frame
    peaks = loudest_peaks([b, empty, a], ["b.flac", "short.wav", "a.ogg"], 1, 0.01, top=2)
    assert peaks == [[0.95, "a.ogg", 0.03], [0.5, "b.flac", 0.01]]


def test_card_shows_both_rates_and_the_loudest_negative_peaks():
    rt = {
        "negative_hours": 2.5, "target_fa_per_hour": 0.5,
        "loudest_negative_peaks": {"voxgate computer": [[0.742, "x-1-2.flac", 12.5]]},
        "voxgate computer | computer (real, mycroft) | clean, -25 dBFS":
            {"clips": 67, "frr": 0.43, "frr_at": {"0.5": 0.43, "5.0": 0.15}},
    }  # fmt: skip
    text = card(RunConfig(["computer"]), "m", {"realtest": rt}, "models/m.json", 1000)
    assert (
        "| voxgate computer | computer (real, mycroft) | clean, -25 dBFS | 67 | 43.0% | 15.0% |"
        in text
    )
    assert "- voxgate computer: 0.742 x-1-2.flac @12.5 s" in text
    assert "loudest_negative_peaks" not in text


def test_a_detector_scores_the_sets_that_end_in_its_phrase():
    assert says("computer (real, mycroft)", "computer")
    assert says("hey computer (real, mycroft)", "computer")
    assert says("hey jarvis (kokoro)", "jarvis") and says("hey jarvis (kokoro)", "hey jarvis")
    assert not says("jarvis (kokoro)", "hey jarvis")
    assert not says("alexa (kokoro)", "computer")


def _mycroft_folder(tmp_path):
    folder = tmp_path / "mycroft"
    rows = [("computer/a.wav", "kris", "computer", 0.3),
            ("computer/b.wav", "el", "hey computer", 0.3),
            ("athena/a.wav", "el", "athena", 0.2), ("athena/b.wav", "amy", "athena", 0.4),
            ("nww/a.wav", "el", "not-wake-word:ceiling", 0.5)]  # fmt: skip
    lines = ["path,speaker,label,duration_s,sample_rate,channels,bits,license"]
    for rel, who, label, seconds in rows:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        sf.write(folder / rel, np.full(int(seconds * 16000), 0.1), 16000, subtype="PCM_16")
        lines.append(f"{rel},{who},{label},{seconds},16000,1,16,public domain")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n")


def test_mycroft_clips_that_say_no_keyword_are_negatives_unless_trained_on(tmp_path):
    """Other wake words and confusable phrases from real microphones join the
    negatives, one stream per wake word; the keyword's own clips never do, and
    a run that trained on the folder gets none of it."""
    _mycroft_folder(tmp_path)
    cfg = RunConfig(["computer"], real_root=str(tmp_path))
    negs = dict(mycroft_negatives(cfg))
    assert sorted(negs) == ["mycroft athena", "mycroft confusable"]
    assert len(negs["mycroft athena"]) == int(0.6 * 16000)  # back to back
    assert len(negs["mycroft confusable"]) == 8000
    assert mycroft_negatives(RunConfig(["computer"], real_root=str(tmp_path),
                                       real_folders=["mycroft"])) == []  # fmt: skip


def test_a_run_trains_on_some_contributors_and_is_tested_on_the_others(tmp_path):
    """real_contributors splits a folder by who recorded it: the named
    contributors' non-keyword clips are trained on, everyone else's stay
    realtest negatives, and no keyword clip is trained on either way."""
    _mycroft_folder(tmp_path)
    cfg = RunConfig(["computer"], real_root=str(tmp_path), real_folders=["mycroft"],
                    real_contributors={"mycroft": ["amy", "kris"]})  # fmt: skip
    trained = real_items(cfg)
    assert [(Path(i.source).parent.name, i.meta["contributor"]) for i in trained] == [
        ("athena", "amy")
    ]
    negs = dict(mycroft_negatives(cfg))
    assert sorted(negs) == ["mycroft athena", "mycroft confusable"]
    assert len(negs["mycroft athena"]) == int(0.2 * 16000)  # el's clip only


def test_real_contributors_must_name_a_training_folder_and_someone():
    with pytest.raises(TrainError, match="not in real_folders"):
        RunConfig(["computer"], real_contributors={"mycroft": ["amy"]})
    with pytest.raises(TrainError, match="no contributor"):
        RunConfig(["computer"], real_folders=["mycroft"], real_contributors={"mycroft": []})


def test_real_keywords_are_classes_of_their_own_after_the_keywords(tmp_path):
    """Another wake word's real clips become a class after the keywords (so a
    real microphone is not a cue for "no keyword"), from the contributors the
    run trains on only."""
    import shutil

    from voxgate_train.kws.steps import step_data

    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng")
    _mycroft_folder(tmp_path)
    cfg = RunConfig(["computer"], out_dir=str(tmp_path / "run"), engines=["espeak"],
                    max_voices_per_engine=2, keyword_takes_per_voice=1, keyword_copies=2,
                    window_s=1.0, blocks=[[3, 1]], real_root=str(tmp_path),
                    real_folders=["mycroft"], real_contributors={"mycroft": ["amy"]},
                    real_keywords=["athena"], workers=1)  # fmt: skip
    meta = step_data(cfg, progress=False)
    assert meta["classes"] == ["_background_", "_unknown_", "computer", "athena"]
    labels = np.concatenate([np.load(tmp_path / "run" / "data" / f"{s}.npz")["labels"]
                             for s in ("train", "validation", "test")])  # fmt: skip
    assert np.sum(labels == 3) == cfg.keyword_copies  # amy's one clip, el's stays out


def test_real_keyword_windows_are_negatives_when_the_keywords_are_evaluated():
    from voxgate_train.kws.evaluation import score_split

    T, R = 20, 5
    feats = np.stack([np.full((T, 2), float(y)) for y in (0, 1, 2, 3)])

    def score(f):  # the window's label as every class's score
        return np.repeat(f[R - 1 :, :1], 4, axis=1)

    pos, neg = score_split(score, feats, np.array([0, 1, 2, 3]), R, keywords=1)
    assert list(pos) == [2] and len(pos[2]) == 1 and np.all(pos[2][0] == 2)
    assert len(neg) == 3 * T - R + 1 and set(np.unique(neg[:, 0])) == {0.0, 1.0, 3.0}


def test_real_keywords_need_a_real_folder_and_are_not_keywords():
    with pytest.raises(TrainError, match="needs real_folders"):
        RunConfig(["computer"], real_keywords=["athena"])
    with pytest.raises(TrainError, match="at once"):
        RunConfig(["computer"], real_folders=["mycroft"], real_keywords=["Computer"])


def test_noise_floors_keep_the_quiet_stretches_of_real_clips():
    from voxgate_train.data.items import BACKGROUND, AudioItem
    from voxgate_train.kws.negatives import noise_floors

    rng = np.random.default_rng(0)
    hiss = lambda n: (0.001 * rng.standard_normal(n)).astype(np.float32)  # noqa: E731
    speech = (0.2 * np.sin(np.arange(16000) / 5)).astype(np.float32)
    clip = np.concatenate([hiss(16000), speech, hiss(16000)])
    items = [AudioItem(clip, "athena", None, {"contributor": "amy"})]
    out = noise_floors(items, seconds=0.5)
    assert len(out) == 4 and all(i.label == BACKGROUND for i in out)  # the 2 s of hiss
    assert max(np.abs(i.audio()).max() for i in out) < 0.01 * 32768  # int16


def test_a_run_takes_only_the_noise_floor_of_noise_floor_folders(tmp_path):
    """noise_floor_folders: the named contributors' quiet stretches join the
    noise banks; their clips are not trained on, and realtest keeps only the
    others' clips as negatives."""
    import shutil

    from voxgate_train.kws.steps import speech_items

    if shutil.which("espeak-ng") is None:
        pytest.skip("needs espeak-ng")
    _mycroft_folder(tmp_path)
    # amy's clip, longer than one background clip (window_s + 0.5 s)
    sf.write(tmp_path / "mycroft" / "athena" / "b.wav", np.full(48000, 0.1), 16000,
             subtype="PCM_16")  # fmt: skip
    cfg = RunConfig(["computer"], engines=["espeak"], max_voices_per_engine=1,
                    keyword_takes_per_voice=1, real_root=str(tmp_path),
                    noise_floor_folders=["mycroft"], real_contributors={"mycroft": ["amy"]},
                    workers=1)  # fmt: skip
    items = speech_items(cfg, progress=False)
    real = [i for i in items if i.meta.get("corpus") == "mycroft"]
    floors = [i for i in items if i.meta.get("content_id", "").startswith("floor:")]
    assert (
        real == []
        and floors
        and {i.meta["content_id"].split("@")[0] for i in floors} == {"floor:amy"}
    )
    negs = dict(mycroft_negatives(cfg))
    assert len(negs["mycroft athena"]) == int(0.2 * 16000)  # el's clip only
