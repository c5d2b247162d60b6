"""Long real recordings as negatives, split in two halves by a hash of the
file (LibriSpeech: of the speaker): the training half is cut into short
clips for the dataset, the other half is kept for the real test, never
trained on."""

from __future__ import annotations

import glob
import hashlib
from pathlib import Path

import numpy as np

from ..data.items import BACKGROUND, UNKNOWN, AudioItem

#: Debian's game music and samples (apt: wesnoth-1.16-music, supertux-data,
#: sonic-pi-samples); whichever are installed are used
MUSIC_GLOBS = (
    "/usr/share/games/wesnoth/*/data/core/music/*.ogg",
    "/usr/share/games/frozen-bubble/snd/*.ogg",
    "/usr/share/games/supertux2/music/*/*.ogg",
    "/usr/share/games/supertux2/sounds/*.wav",
    "/usr/share/sonic-pi/samples/*.flac",
)


def held_out(key: str) -> bool:
    """True for the evaluation half."""
    return hashlib.sha256(key.encode()).digest()[0] % 2 == 0


def librispeech(root, evaluation: bool) -> list[AudioItem]:
    from ..data.readers import read_real

    items = [i for i in read_real(root) if i.meta.get("corpus") == "librispeech_subset"]
    return [i for i in items if held_out(f"spk:{i.speaker}") == evaluation]


def music_files(evaluation: bool) -> list[str]:
    files = sorted(f for g in MUSIC_GLOBS for f in glob.glob(g))
    return [f for f in files if held_out(Path(f).name) == evaluation]


def chunks(item_audio: np.ndarray, seconds: float, label: str, kind: str, name: str,
           speaker: str | None) -> list[AudioItem]:  # fmt: skip
    """Consecutive clips of `seconds` (the last partial one dropped)."""
    n = int(seconds * 16000)
    return [
        AudioItem(
            item_audio[i : i + n].copy(),
            label,
            speaker,
            {"kind": kind, "content_id": f"{name}@{i}", "corpus": "long"},
        )  # fmt: skip
        for i in range(0, len(item_audio) - n + 1, n)
    ]


def training_negatives(root, seconds: float = 1.5, music_seconds: float = 20.0):
    """Speech chunks (unknown) from the training half of LibriSpeech, and
    music (background: it joins the noise banks) from the training half of
    the installed game music."""
    from voxgate.audio import load_audio

    out = []
    for item in librispeech(root, evaluation=False):
        out += chunks(item.audio(), seconds, UNKNOWN, "speech", item.content_id(), item.speaker)
    for f in music_files(evaluation=False):
        out += chunks(load_audio(f), music_seconds, BACKGROUND, BACKGROUND, Path(f).name, None)
    return out


def noise_floors(items, seconds: float = 2.5, within_db: float = 10.0) -> list[AudioItem]:
    """The quiet stretches of real recordings: each clip's 20 ms frames within
    `within_db` of its quietest, joined per contributor and cut into
    background clips. The microphones' own hiss and room tone then reach
    every class through the noise banks, not only the real clips' labels."""
    frame = 320
    joined: dict[str, list[np.ndarray]] = {}
    for item in items:
        x = item.audio()  # its own dtype (int16 or float) is kept
        frames = x[: len(x) // frame * frame].reshape(-1, frame)
        if not len(frames):
            continue
        db = 10 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=1) + 1e-12)
        quiet = frames[db <= db.min() + within_db].reshape(-1)
        who = str(item.meta.get("contributor") or item.meta.get("corpus") or "real")
        joined.setdefault(who, []).append(quiet)
    out = []
    for who, parts in sorted(joined.items()):
        out += chunks(np.concatenate(parts), seconds, BACKGROUND, BACKGROUND, f"floor:{who}", None)
    return out
