"""Readers for the corpus layouts voxgate trains on. Each yields AudioItems and
raises DataLayoutError naming the path when the layout is not what it claims."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import DataError, DataLayoutError
from .items import BACKGROUND, AudioItem

AUDIO_EXTENSIONS = (".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif", ".au")
SPEECH_COMMANDS_NOISE_DIR = "_background_noise_"
_DIGIT_WORDS = "zero one two three four five six seven eight nine".split()


def _require_dir(root: str | os.PathLike, what: str) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise DataLayoutError(f"{what} folder not found: {root}")
    return root


def _is_audio(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_EXTENSIONS and not path.name.startswith(".")


# ---- Google Speech Commands -------------------------------------------------------
def _read_list(path: Path) -> set[str]:
    if not path.is_file():
        return set()
    return {line.strip() for line in path.read_text().splitlines() if line.strip()}


def read_speech_commands(
    root: str | os.PathLike, labels: set[str] | None = None, include_noise: bool = True
) -> Iterator[AudioItem]:
    """Speech Commands (v1/v2): ``<label>/<speaker>_nohash_<n>.wav``, with the official
    split in ``validation_list.txt`` / ``testing_list.txt`` (meta['split']) and long
    noise recordings in ``_background_noise_/`` (label 'background', no speaker)."""
    root = _require_dir(root, "Speech Commands")
    validation = _read_list(root / "validation_list.txt")
    testing = _read_list(root / "testing_list.txt")
    label_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not label_dirs:
        raise DataLayoutError(f"no label folders in Speech Commands root {root}")
    for label_dir in label_dirs:
        if label_dir.name == SPEECH_COMMANDS_NOISE_DIR:
            if include_noise:
                for path in sorted(filter(_is_audio, label_dir.iterdir())):
                    yield AudioItem(str(path), BACKGROUND, None, {"kind": BACKGROUND})
            continue
        if labels is not None and label_dir.name not in labels:
            continue
        for path in sorted(filter(_is_audio, label_dir.iterdir())):
            rel = f"{label_dir.name}/{path.name}"
            split = "validation" if rel in validation else "test" if rel in testing else "train"
            speaker = path.stem.split("_nohash_")[0] if "_nohash_" in path.stem else None
            yield AudioItem(
                str(path), label_dir.name, speaker and f"sc:{speaker}", {"split": split}
            )


# ---- LibriSpeech -------------------------------------------------------------------
def read_librispeech(root: str | os.PathLike) -> Iterator[AudioItem]:
    """LibriSpeech: ``<speaker>/<chapter>/<speaker>-<chapter>-<utt>.flac`` with a
    ``<speaker>-<chapter>.trans.txt`` per chapter. ``root`` may be a subset folder
    (train-clean-100) or any folder above it. The label is the transcript in lower case."""
    root = _require_dir(root, "LibriSpeech")
    transcripts = sorted(root.rglob("*.trans.txt"))
    if not transcripts:
        raise DataLayoutError(f"no LibriSpeech *.trans.txt transcripts under {root}")
    for trans in transcripts:
        for line_no, line in enumerate(trans.read_text().splitlines(), 1):
            if not line.strip():
                continue
            utt, _, text = line.partition(" ")
            parts = utt.split("-")
            if len(parts) != 3:
                raise DataLayoutError(f"{trans}:{line_no}: bad utterance id {utt!r}")
            audio = trans.parent / f"{utt}.flac"
            if not audio.is_file():
                raise DataLayoutError(f"{trans}:{line_no}: audio file missing: {audio}")
            yield AudioItem(
                str(audio), text.strip().lower(), f"libri{parts[0]}", {"chapter": parts[1]}
            )


# ---- plain folders and manifests ---------------------------------------------------
def read_folder(root: str | os.PathLike, label: str | None = None) -> Iterator[AudioItem]:
    """Every audio file under ``root`` (recursively). The label is ``label`` if given,
    else the first-level subfolder a file lies in (files directly in ``root`` take the
    folder's own name). No speaker ids."""
    root = _require_dir(root, "audio")
    files = sorted(p for p in root.rglob("*") if p.is_file() and _is_audio(p))
    if not files:
        raise DataLayoutError(f"no audio files ({', '.join(AUDIO_EXTENSIONS)}) under {root}")
    for path in files:
        rel = path.relative_to(root)
        item_label = label or (rel.parts[0] if len(rel.parts) > 1 else root.name)
        yield AudioItem(str(path), item_label, None, {})


def read_manifest(path: str | os.PathLike) -> Iterator[AudioItem]:
    """A CSV with a header and at least the columns ``path,label`` (optional
    ``speaker``; other columns go to meta). Relative paths are relative to the CSV's
    folder. An empty speaker, 'none' or '-' means unknown."""
    path = Path(path)
    if not path.is_file():
        raise DataLayoutError(f"manifest not found: {path}")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            yield from _manifest_rows(path, csv.DictReader(f))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"manifest {path} is not a readable UTF-8 CSV: {exc}") from exc


def _manifest_rows(path: Path, reader: csv.DictReader) -> Iterator[AudioItem]:
    missing = {"path", "label"} - set(reader.fieldnames or ())
    if missing:
        raise DataError(f"manifest {path} lacks column(s) {sorted(missing)}")
    for row_no, row in enumerate(reader, 2):
        # DictReader pads short rows with None and files surplus cells under None.
        if None in row or None in row.values():
            raise DataError(f"{path}:{row_no}: {len(reader.fieldnames)} columns expected")
        if not row["path"].strip() or not row["label"].strip():
            raise DataError(f"{path}:{row_no}: empty path or label")
        audio = Path(row["path"].strip())
        if not audio.is_absolute():
            audio = path.parent / audio
        # Checked here, not when a worker first loads it deep inside a build.
        if not audio.is_file():
            raise DataLayoutError(f"{path}:{row_no}: audio file missing: {audio}")
        speaker = (row.get("speaker") or "").strip()
        speaker = None if speaker.lower() in ("", "none", "-") else speaker
        meta = {k: v for k, v in row.items() if k not in ("path", "label", "speaker")}
        yield AudioItem(str(audio), row["label"].strip(), speaker, meta)


# ---- the project's shared real clips ------------------------------------------------
def default_real_root() -> Path | None:
    """$VOXGATE_REAL_DATA, else ``../shared/data/real`` beside the repository; None
    when neither exists (a user's clone has no shared folder)."""
    env = os.environ.get("VOXGATE_REAL_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[3].parent / "shared" / "data" / "real")
    return next((p for p in candidates if (p / "README.md").is_file() or p.is_dir()), None)


def _normalise_real(folder: str, item: AudioItem) -> AudioItem:
    """Turn each folder's free-form label column into a spoken label + kind."""
    label = item.label
    meta = dict(item.meta, corpus=folder)
    speaker = item.speaker
    if folder == "mycroft":
        # The column names the contributor (a GitHub user, as the licenses
        # do), not a voice: one may have recorded several people. Kept for
        # splitting by contributor, not as a speaker id.
        meta["contributor"] = speaker
        speaker = None
        if label == "background noise":
            return item.replace(label=BACKGROUND, speaker=None, meta=dict(meta, kind=BACKGROUND))
        if label.startswith("not-wake-word:"):
            label = label.split(":", 1)[1]
            meta["kind"] = "confusable"
        label = label.lower()
    elif folder == "fsdd":
        m = re.match(r"digit=(\d)", label)
        if not m:
            raise DataError(f"fsdd label {label!r} has no digit=N")
        label = _DIGIT_WORDS[int(m.group(1))]
        speaker = f"fsdd:{speaker}"
    elif folder == "librispeech_subset":
        meta["kind"] = "speech"
        label = "<untranscribed speech>"
    elif folder.startswith("noise"):
        return item.replace(label=BACKGROUND, speaker=None, meta=dict(meta, kind=BACKGROUND))
    return item.replace(label=label, speaker=speaker, meta=meta)


def read_real(root: str | os.PathLike | None = None) -> Iterator[AudioItem]:
    """The shared real clips (``<root>/<folder>/manifest.csv`` with columns
    path,speaker,label,duration_s,sample_rate,channels,bits,license). Labels are
    normalised: fsdd digits become words, Mycroft 'not-wake-word:x' becomes 'x' with
    meta['kind']='confusable', noise files get label 'background'. Yields nothing if
    ``root`` is None and no shared folder exists."""
    if root is None:
        root = default_real_root()
        if root is None:
            return
    root = _require_dir(root, "real data")
    manifests = sorted(root.glob("*/manifest.csv"))
    if not manifests:
        raise DataLayoutError(f"no <folder>/manifest.csv under real data root {root}")
    for manifest in manifests:
        for item in read_manifest(manifest):
            yield _normalise_real(manifest.parent.name, item)
