"""Fixed-length feature windows with class labels, split by speaker.

Window: ``window_s`` of audio (default 1.0 s = 16,000 samples) gives
``num_frames`` frames of the default frontend (98 frames of 40 channels at a
30 ms window and 10 ms hop). Keyword clips are placed so they end ``end_margin_s``
before the window's end (default 0..200 ms: a streaming detector fires as the word
finishes); where each one ends is saved (``ends``, in samples), so a trainer can
label every frame of a longer window, not just the last. Other speech lands
anywhere (long clips are cut at a random place), and background windows are pure
noise.

Classes: 0 ``_background_`` (no speech), 1 ``_unknown_`` (speech that is not a
keyword: confusables, unrelated sentences, other corpora), 2.. the keywords in the
order given. ``kinds`` keeps the finer origin (confusable, unrelated, ...) for
weighting or reporting.

Every example is made from (item, copy, seed) alone, so building is parallel and
resumable: finished examples sit in ``<cache_dir>/examples`` and are not remade.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np

from voxgate import FrontendConfig

from ..augment.chain import AugmentConfig, Augmenter, rng_for
from ..augment.noise import COLORS, NoiseBank, power
from ..augment.perturb import as_float, to_pcm16
from ..errors import DataError
from .cache import ArrayCache, array_digest, cache_key, default_cache_dir
from .features import FeatureExtractor, config_key, num_frames
from .fileio import save_json, save_npz
from .items import BACKGROUND, KEYWORD, UNKNOWN, AudioItem
from .splits import SPLITS, split_items

BACKGROUND_CLASS, UNKNOWN_CLASS = "_background_", "_unknown_"
#: bump when the way examples are made changes, so old cached examples are not reused
EXAMPLE_VERSION = 3


@dataclasses.dataclass(frozen=True)
class DatasetConfig:
    window_s: float = 1.0
    #: augmented copies of each keyword clip / of each other speech clip
    keyword_copies: int = 4
    unknown_copies: int = 1
    #: copy 0 of each clip is placed in the window without any augmentation
    clean_copy: bool = True
    #: pseudo-speakers made from each synthetic voice (fixed VTLP + pitch + tempo)
    pseudo_speakers: int = 1
    #: pure-background windows per split, relative to that split's speech windows
    background_fraction: float = 0.15
    #: where a keyword's end lands, in seconds before the window's end
    end_margin_s: tuple[float, float] = (0.0, 0.2)
    #: silence below this level (dB under the clip's peak) is trimmed at both ends
    trim_db: float = 40.0
    #: at most this many non-keyword real clips (the rest are dropped, seeded)
    max_unknown_items: int = 4000
    validation: float = 0.1
    test: float = 0.1
    augment: AugmentConfig = AugmentConfig()

    def window_samples(self, frontend: FrontendConfig) -> int:
        return int(round(self.window_s * frontend.sample_rate_hz))

    def render_key(self) -> dict:
        """The settings a window's audio depends on. Counts, caps and split fractions
        are left out, so raising ``keyword_copies`` reuses every window made before."""
        keep = ("window_s", "clean_copy", "end_margin_s", "trim_db", "augment")
        return {k: v for k, v in dataclasses.asdict(self).items() if k in keep}


def class_names(keywords: Sequence[str]) -> list[str]:
    return [BACKGROUND_CLASS, UNKNOWN_CLASS, *keywords]


def normalize_label(label: str) -> str:
    return " ".join("".join(c for c in label.lower() if c.isalnum() or c.isspace()).split())


def trim_silence(x: np.ndarray, db: float, pad: int = 800) -> np.ndarray:
    """Cut leading and trailing audio more than ``db`` under the peak (in 10 ms
    frames), keeping ``pad`` samples (50 ms) around the speech."""
    x = as_float(x)
    if len(x) < 160:
        return x
    frames = x[: len(x) // 160 * 160].reshape(-1, 160)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    loud = np.nonzero(level > level.max() - db)[0]
    start = max(0, loud[0] * 160 - pad)
    end = min(len(x), (loud[-1] + 1) * 160 + pad)
    return x[start:end]


def place(x: np.ndarray, n: int, rng: np.random.Generator, end: int | None):
    """Put clip ``x`` into a window of ``n`` samples. With ``end`` the clip ends at
    that sample (cut at its start if too long); without it the clip lands anywhere
    (a random ``n`` of it if too long)."""
    out = np.zeros(n, np.float32)
    if end is not None:
        seg = x[max(0, len(x) - end) :]
        out[end - len(seg) : end] = seg
    elif len(x) >= n:
        start = int(rng.integers(len(x) - n + 1))
        out[:] = x[start : start + n]
    else:
        start = int(rng.integers(n - len(x) + 1))
        out[start : start + len(x)] = x
    return out


@dataclasses.dataclass(frozen=True)
class Example:
    """One window to make: ``item`` is None for a pure-background window;
    ``end`` is the sample where a keyword clip ends in the window (-1: none)."""

    key: str
    split: str
    label: int
    kind: str
    speaker: str
    item: AudioItem | None
    copy: int
    end: int = -1


class _Renderer:
    """What a worker needs to make examples: a frontend and per-split augmenters.
    Noise recordings are split like speakers, so test noise is never trained on.
    ``noise`` maps a split to its noise items (files or arrays)."""

    def __init__(self, config, frontend, noise, rirs, seed):
        self.config = config
        self.extractor = FeatureExtractor(frontend, use_cache=False)
        self.n = config.window_samples(frontend)
        self.seed = seed
        self.augmenters = {}
        for split in SPLITS:
            bank = NoiseBank([i.audio() for i in noise.get(split, [])], COLORS)
            self.augmenters[split] = Augmenter(config.augment, bank, rirs)

    def __call__(self, ex: Example) -> np.ndarray:
        rng = rng_for(self.seed, ex.key)
        aug = self.augmenters[ex.split]
        if ex.item is None:
            window = aug.background(self.n, rng)
        else:
            x = as_float(ex.item.audio())
            pseudo = ex.item.meta.get("pseudo")
            if pseudo:
                from ..synth.runner import make_pseudo_speaker

                x = as_float(make_pseudo_speaker(x, pseudo))
            x = trim_silence(x, self.config.trim_db)
            augmented = not (self.config.clean_copy and ex.copy == 0)
            if augmented:
                x = aug.perturb_speech(x, rng)
            window = place(x, self.n, rng, ex.end if ex.kind == KEYWORD else None)
            if augmented:
                window = aug.environment(window, rng, speech_power=power(x))
        return self.extractor.compute(to_pcm16(window))


_worker: _Renderer | None = None


def _init_worker(*args):
    global _worker
    _worker = _Renderer(*args)


def _render_batch(batch: list[Example], cache_root: str) -> int:
    cache = ArrayCache(cache_root)
    for ex in batch:
        cache.put(ex.key, _worker(ex))
    return len(batch)


def _kind(item: AudioItem, keywords: dict[str, int]) -> tuple[int, str]:
    if item.meta.get("kind") == BACKGROUND or item.label == BACKGROUND:
        return 0, BACKGROUND
    idx = keywords.get(normalize_label(item.label))
    if idx is not None:
        return idx, KEYWORD
    # A clip synthesized as some other keyword is, for this model, unknown speech.
    kind = str(item.meta.get("kind") or UNKNOWN)
    return 1, UNKNOWN if kind == KEYWORD else kind


def build_dataset(
    keywords: Sequence[str],
    items: Sequence[AudioItem],
    out_dir: str | os.PathLike,
    config: DatasetConfig = DatasetConfig(),
    frontend: FrontendConfig | None = None,
    rirs: Sequence[np.ndarray] = (),
    seed: int = 0,
    cache_dir: str | os.PathLike | None = None,
    workers: int = 1,
    progress: bool = True,
) -> dict:
    """Make the windows for ``keywords`` from ``items`` (synthetic and real speech;
    items of kind 'background' become the noise banks) and write
    ``<out_dir>/{train,validation,test}.npz`` (features int16 (N, frames, channels),
    labels int16, ends int32 (sample where the keyword ends, -1 for other windows),
    kinds and speakers as strings; read with ``load_xy`` / ``load_split``) and
    ``<out_dir>/meta.json``. Windows are cached in ``<cache_dir>/examples`` (default
    $VOXGATE_CACHE or ~/.cache/voxgate), so a second call only assembles. Returns the
    metadata plus ``rendered``, the number of windows this call made."""
    from tqdm import tqdm

    frontend = frontend or FrontendConfig()
    if not keywords:
        raise DataError("no keywords given")
    kw_index = {normalize_label(k): i + 2 for i, k in enumerate(keywords)}
    if len(kw_index) != len(keywords):
        raise DataError(f"keywords repeat after normalisation: {list(keywords)}")
    n = config.window_samples(frontend)
    frames = num_frames(n, frontend)
    if frames < 1:
        raise DataError(f"window of {config.window_s} s is shorter than one frontend window")
    # Speech items, capped unknowns, plus pseudo-speakers of the synthetic voices.
    noise_items, speech = [], []
    for item in items:
        (noise_items if _kind(item, kw_index)[1] == BACKGROUND else speech).append(item)
    unknown_real = [i for i in speech if _kind(i, kw_index)[0] == 1 and not i.meta.get("synthetic")]
    if len(unknown_real) > config.max_unknown_items:
        rng = rng_for(seed, "cap-unknown")
        drop = set(
            rng.choice(len(unknown_real), len(unknown_real) - config.max_unknown_items, False)
        )
        dropped = {id(unknown_real[i]) for i in drop}
        speech = [i for i in speech if id(i) not in dropped]
    from ..synth.runner import pseudo_speaker_params

    pseudo = []
    for item in speech:
        if item.meta.get("synthetic") and item.speaker:
            for k in range(config.pseudo_speakers):
                p = pseudo_speaker_params(item.speaker, k, seed)
                meta = dict(item.meta, pseudo=p)
                pseudo.append(item.replace(speaker=f"{item.speaker}~p{k}", meta=meta))
    speech += pseudo
    by_split = split_items(speech, config.validation, config.test, salt=str(seed))
    noise_split = split_items(noise_items, config.validation, config.test, salt=str(seed))

    rirs = [np.asarray(r, np.float32) for r in rirs]
    base = [
        "example",
        EXAMPLE_VERSION,
        seed,
        config_key(frontend),
        config.render_key(),
        [array_digest(r) for r in rirs],
    ]
    lo, hi = sorted(config.end_margin_s)
    margin = (int(round(lo * frontend.sample_rate_hz)), int(round(hi * frontend.sample_rate_hz)))
    if margin[1] >= n:
        raise DataError(f"end_margin_s {config.end_margin_s} leaves no room in the window")
    examples: dict[str, list[Example]] = {s: [] for s in SPLITS}
    for split in SPLITS:
        # A window depends on its split's noise bank and on where the clip is placed
        # (keywords at the end), so both are in the key: an item that changes split
        # or class is remade, not read back with the wrong noise or placement.
        split_base = [*base, split, sorted(i.content_id() for i in noise_split[split])]
        for item in by_split[split]:
            label, kind = _kind(item, kw_index)
            copies = config.keyword_copies if kind == KEYWORD else config.unknown_copies
            ident = [item.content_id(), item.meta.get("pseudo"), kind == KEYWORD]
            for c in range(copies):
                key = cache_key([*split_base, ident, c])
                end = -1
                if kind == KEYWORD:  # drawn apart from the audio's own random stream
                    end = n - int(rng_for(seed, key + ":end").integers(margin[0], margin[1] + 1))
                examples[split].append(
                    Example(key, split, label, kind, item.speaker or "", item, c, end)
                )
        n_bg = int(round(len(examples[split]) * config.background_fraction))
        for b in range(n_bg):
            key = cache_key([*split_base, "background", b])
            examples[split].append(Example(key, split, 0, BACKGROUND, "", None, b))

    cache_root = Path(cache_dir or default_cache_dir()) / "examples"
    cache = ArrayCache(cache_root)
    todo = [ex for s in SPLITS for ex in examples[s] if ex.key not in cache]
    init_args = (config, frontend, noise_split, rirs, seed)
    bar = tqdm(total=len(todo), desc="examples", unit="win", disable=not progress)
    # Batches of up to 32 amortise pickling; smaller ones so every worker gets some.
    size = max(1, min(32, -(-len(todo) // max(1, workers))))
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    if workers <= 1 or len(batches) <= 1:
        _init_worker(*init_args)
        for batch in batches:
            bar.update(_render_batch(batch, str(cache_root)))
    else:
        # spawn, not fork: the parent may hold ONNX runtime threads from synthesis.
        ctx = get_context("spawn")
        with ProcessPoolExecutor(workers, ctx, _init_worker, init_args) as pool:
            for done in pool.map(_render_batch, batches, [str(cache_root)] * len(batches)):
                bar.update(done)
    bar.close()

    out_dir = Path(out_dir)
    classes = class_names(keywords)
    meta = {
        "classes": classes,
        "window_s": config.window_s,
        "window_samples": n,
        "frames": frames,
        "channels": FeatureExtractor(frontend, use_cache=False).num_channels,
        "frontend": config_key(frontend),
        "rirs": len(rirs),
        "seed": seed,
        "splits": {},
    }
    # Reading back one small file per window is itself slow for big sets: show it.
    total = sum(len(v) for v in examples.values())
    bar = tqdm(total=total, desc="assembling", unit="win", disable=not progress)
    for split in SPLITS:
        exs = examples[split]
        feats = np.zeros((len(exs), frames, meta["channels"]), np.int16)
        for i, ex in enumerate(exs):
            f = cache.get(ex.key)
            if f is None or f.shape != feats.shape[1:]:
                raise DataError(f"example {ex.key} missing from {cache_root}; build again")
            feats[i] = f
            bar.update()
        labels = np.array([ex.label for ex in exs], np.int16)
        save_npz(
            out_dir / f"{split}.npz",
            features=feats,
            labels=labels,
            ends=np.array([ex.end for ex in exs], np.int32),
            kinds=np.array([ex.kind for ex in exs], dtype=str),
            speakers=np.array([ex.speaker for ex in exs], dtype=str),
        )
        counts = Counter(classes[i] for i in labels.tolist())
        meta["splits"][split] = {
            "examples": len(exs),
            "per_class": {c: counts.get(c, 0) for c in classes},
            "speakers": len({ex.speaker for ex in exs if ex.speaker}),
            "noise_clips": len(noise_split[split]),
        }
        if exs and not any(ex.kind == KEYWORD for ex in exs):
            warnings.warn(f"{split} split has no keyword examples", stacklevel=2)
    bar.close()
    save_json(out_dir / "meta.json", meta)
    # Not in meta.json, which should not change when a build is resumed.
    return {**meta, "rendered": len(todo)}


def load_split(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """A written split as a dict of arrays."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def load_xy(out_dir: str | os.PathLike, split: str) -> tuple[np.ndarray, np.ndarray]:
    """``(features, labels)`` of a split build_dataset wrote: int16 (N, frames,
    channels) and int16 (N,) class indices into meta.json's ``classes``."""
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r}; choose from {SPLITS}")
    path = Path(out_dir) / f"{split}.npz"
    if not path.is_file():
        raise DataError(f"{path} not found; run build_dataset first")
    d = load_split(path)
    return d["features"], d["labels"]
