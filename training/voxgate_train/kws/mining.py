"""Hard-negative mining: where does the trained model fire on real audio that
holds no keyword? Those windows go back into training.

The float model runs, streaming-equivalent, over the training halves of the
long negatives (LibriSpeech speakers and game music, kws.negatives) and the
real non-keyword clips of the configured folders; never over the held-out
halves that realtest scores. Around each local peak of any keyword's
probability above ``threshold`` (peaks at least a window apart), the
``window_s`` of features ending at the peak becomes a window of its true
class: unknown for speech, background for music. They are written to
``data/mined.npz`` in the layout of the other splits, after those of earlier
rounds; the train step adds them to the training split (``mined_copies``
times) when the file exists.
"""

from __future__ import annotations

import numpy as np

from voxgate import FEATURE_SCALE

from ..data.fileio import save_npz
from .config import RunConfig

BACKGROUND, UNKNOWN = 0, 1


def peaks(score: np.ndarray, threshold: float, gap: int) -> list[int]:
    """Frames of local maxima above `threshold`, greedily highest first, no
    two closer than `gap` frames."""
    order = np.argsort(score)[::-1]
    taken: list[int] = []
    for i in order:
        if score[i] < threshold:
            break
        if all(abs(int(i) - j) >= gap for j in taken):
            taken.append(int(i))
    return sorted(taken)


def _sources(cfg: RunConfig):
    """(name, int16 audio, class) of the training-half negatives."""
    from voxgate.audio import load_audio

    from ..augment.perturb import to_pcm16
    from .negatives import librispeech, music_files
    from .steps import real_items

    for item in librispeech(cfg.real_root, evaluation=False):
        yield item.content_id(), to_pcm16(item.audio()), UNKNOWN
    for f in music_files(evaluation=False):
        yield f, to_pcm16(load_audio(f)), BACKGROUND
    if cfg.real_folders:
        for item in real_items(cfg):
            cls = BACKGROUND if item.meta.get("kind") == "background" else UNKNOWN
            yield item.content_id(), to_pcm16(item.audio()), cls


def step_mine(
    cfg: RunConfig, progress: bool = True, threshold: float = 0.3, max_windows: int = 6000
) -> dict:
    from tqdm import tqdm

    from ..data.dataset import load_split
    from ..data.features import FeatureExtractor
    from .steps import _frames, load_model, mined_path, receptive_field_of

    T, R = _frames(cfg), receptive_field_of(cfg)
    model = load_model(cfg, "float", None)
    extractor = FeatureExtractor(cfg.frontend_config())
    feats, labels, origin = [], [], []
    hours = 0.0
    for name, pcm, cls in tqdm(list(_sources(cfg)), desc="mining", disable=not progress):
        hours += len(pcm) / 16000 / 3600
        f = extractor.features(pcm)
        if not len(f):  # shorter than one frontend window
            continue
        if len(f) < T:
            f = np.concatenate([np.repeat(f[:1], T - len(f), axis=0), f])
        x = (f.astype(np.float32) / FEATURE_SCALE)[None, :, None, :]
        probs = np.asarray(model.predict(x, verbose=0))[0]  # row j: input frame j + R - 1
        kw = probs[:, 2 : 2 + len(cfg.keywords)].max(axis=1)  # not the real_keywords
        for j in peaks(kw, threshold, T):
            end = j + R  # exclusive end frame of the window that fired
            if end >= T:
                feats.append(f[end - T : end])
                labels.append(cls)
                origin.append(name)
    found = len(feats)
    if found > max_windows:  # all are hard: a seeded subset
        keep = np.random.default_rng(cfg.seed).choice(found, max_windows, replace=False)
        feats = [feats[i] for i in keep]
        labels = [labels[i] for i in keep]
        origin = [origin[i] for i in keep]
    n = len(feats)
    out = mined_path(cfg)
    earlier = load_split(out) if out.is_file() else None
    if earlier is not None and earlier["features"].shape[1:] == (T, extractor.num_channels):
        # each round keeps what earlier rounds found: the next model must not forget them
        feats = list(earlier["features"]) + feats
        labels = list(earlier["labels"]) + labels
        origin = list(earlier["speakers"]) + origin
        n = len(feats)
    save_npz(
        out,
        features=np.asarray(feats, np.int16).reshape(n, T, extractor.num_channels),
        labels=np.asarray(labels, np.int16),
        ends=np.full(n, -1, np.int32),
        kinds=np.array(["mined"] * n, dtype=str),
        speakers=np.array(origin, dtype=str),
    )
    return {"negative_hours": hours, "windows_found": found, "windows_total": n,
            "peaks_per_hour": found / max(hours, 1e-9)}  # fmt: skip
