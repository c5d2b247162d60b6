"""A tiny dataset from espeak clips and noise: shapes, labels, splits, resuming."""

import shutil

import numpy as np
import pytest
import soundfile as sf

from voxgate_train.augment import AugmentConfig
from voxgate_train.data.dataset import DatasetConfig, build_dataset, load_split, load_xy
from voxgate_train.data.items import BACKGROUND, UNKNOWN, AudioItem
from voxgate_train.synth import Synthesizer, SynthJob
from voxgate_train.synth.espeak import EspeakEngine

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
KEYWORD = "hey voxgate"


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """Keyword, confusable and unrelated clips in four espeak voices, plus noise."""
    root = tmp_path_factory.mktemp("data")
    engine = EspeakEngine()
    voices = [f"en-us+{v}" for v in engine.variants()[:4]]
    jobs = []
    for v in voices:
        jobs.append(SynthJob("espeak", v, KEYWORD, label=KEYWORD))
        jobs.append(SynthJob("espeak", v, "hey vox", label=UNKNOWN, kind="confusable"))
        jobs.append(SynthJob("espeak", v, "what time is it", label=UNKNOWN, kind="unrelated"))
    items = Synthesizer([engine], root / "cache").run(jobs, progress=False)
    assert len(items) == len(jobs)
    rng = np.random.default_rng(0)
    sf.write(root / "hum.wav", 0.05 * rng.standard_normal(24000), 16000)
    items.append(AudioItem(str(root / "hum.wav"), BACKGROUND))
    items.append(AudioItem((0.02 * rng.standard_normal(20000)).astype(np.float32), BACKGROUND))
    return root, items


CONFIG = DatasetConfig(
    keyword_copies=2,
    unknown_copies=1,
    pseudo_speakers=1,
    background_fraction=0.5,
    augment=AugmentConfig(p_reverb=0.0),
)


def test_build_shapes_labels_splits_and_resume(clips, tmp_path):
    root, items = clips
    cache = root / "cache"
    meta = build_dataset(
        [KEYWORD], items, tmp_path / "out", CONFIG, cache_dir=cache, progress=False
    )
    assert meta["classes"] == ["_background_", "_unknown_", KEYWORD]
    # 4 voices x (2 keyword + 2 unknown windows) x (voice + pseudo-speaker) + background
    speech = 4 * 4 * 2
    total = sum(s["examples"] for s in meta["splits"].values())
    assert meta["rendered"] == total and speech < total <= speech * 1.5 + 3
    speakers = {}
    for split in ("train", "validation", "test"):
        x, y = load_xy(tmp_path / "out", split)
        assert x.dtype == np.int16 and x.shape[1:] == (98, 40) and len(x) == len(y) > 0
        assert y.dtype == np.int16 and set(y.tolist()) <= {0, 1, 2}
        assert 2 in y.tolist(), f"{split} has keyword windows"
        assert np.any(x != x.min())  # not constant: audio went through the frontend
        d = load_split(tmp_path / "out" / f"{split}.npz")
        assert set(d["kinds"][y == 2]) == {"keyword"}
        assert set(d["kinds"][y == 1]) == {"confusable", "unrelated"}
        speakers[split] = {s.split("~")[0] for s in d["speakers"] if s}
    assert not (speakers["train"] & speakers["validation"] or speakers["train"] & speakers["test"])

    # A second build makes nothing and writes the same arrays.
    again = build_dataset([KEYWORD], items, tmp_path / "b", CONFIG, cache_dir=cache, progress=False)
    assert again["rendered"] == 0
    for split in ("train", "test"):
        np.testing.assert_array_equal(
            load_xy(tmp_path / "b", split)[0], load_xy(tmp_path / "out", split)[0]
        )

    # One more keyword copy reuses the rest: only the new copy of each keyword clip is made.
    more = DatasetConfig(**{**CONFIG.__dict__, "keyword_copies": 3})
    grown = build_dataset([KEYWORD], items, tmp_path / "c", more, cache_dir=cache, progress=False)
    assert grown["rendered"] == 4 * 2 + round(4 * 2 * 0.5)  # keyword windows + background


def test_parallel_build_is_identical(clips, tmp_path):
    _, items = clips
    kw = [i for i in items if i.label in (KEYWORD, BACKGROUND)]
    config = DatasetConfig(keyword_copies=1, pseudo_speakers=0, background_fraction=1.0)
    a = build_dataset(
        [KEYWORD], kw, tmp_path / "a", config, cache_dir=tmp_path / "c1", progress=False
    )
    b = build_dataset(
        [KEYWORD], kw, tmp_path / "b", config, cache_dir=tmp_path / "c2", workers=2, progress=False
    )
    assert a["rendered"] == b["rendered"] > 0
    for split in ("train", "validation", "test"):
        for u, v in zip(
            load_xy(tmp_path / "a", split), load_xy(tmp_path / "b", split), strict=True
        ):
            np.testing.assert_array_equal(u, v)


def test_keyword_synthesized_for_another_model_is_unknown(clips, tmp_path):
    _, items = clips
    config = DatasetConfig(keyword_copies=1, pseudo_speakers=0)
    with pytest.warns(UserWarning, match="no keyword examples"):
        build_dataset(["stop"], items, tmp_path / "o", config, cache_dir=tmp_path, progress=False)
    for split in ("train", "validation", "test"):
        assert "keyword" not in set(load_split(tmp_path / "o" / f"{split}.npz")["kinds"])


def test_keyword_windows_record_where_the_word_ends(clips, tmp_path):
    """`ends` says where each keyword clip stops: the clean copy is silent after
    it, and speech energy sits just before it; other windows have no end."""
    root, items = clips
    cfg = DatasetConfig(
        window_s=2.0, end_margin_s=(0.3, 0.9), keyword_copies=1, unknown_copies=1,
        pseudo_speakers=1, background_fraction=0.5, augment=AugmentConfig(p_reverb=0.0),
    )  # fmt: skip
    build_dataset([KEYWORD], items, tmp_path / "o", cfg, cache_dir=root / "cache", progress=False)
    seen = 0
    for split in ("train", "validation", "test"):
        d = load_split(tmp_path / "o" / f"{split}.npz")
        kw = d["labels"] == 2
        assert np.all(d["ends"][~kw] == -1)
        ends = d["ends"][kw]
        assert np.all((ends >= 32000 - 0.9 * 16000) & (ends <= 32000 - 0.3 * 16000))
        for feats, end in zip(d["features"][kw], ends, strict=True):
            energy = feats.astype(np.float64).mean(axis=1)
            f = (end - 480) // 160  # frame holding the clip's last sample
            # louder over the word's last 300 ms than 100 ms after the clip
            assert energy[f - 30 : f].max() > energy[f + 10 :].max()
            seen += 1
    assert seen > 0
