"""Corpus readers on tiny layouts built in tmp_path."""

import numpy as np
import pytest
import soundfile as sf

from voxgate_train.data.items import BACKGROUND
from voxgate_train.data.readers import (
    read_folder,
    read_librispeech,
    read_manifest,
    read_speech_commands,
)
from voxgate_train.errors import DataError, DataLayoutError


def write_clip(path, seconds=0.1, rate=16000, fmt=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    sf.write(path, 0.3 * np.sin(2 * np.pi * 440 * t), rate, format=fmt)
    return path


def test_speech_commands_items_labels_speakers_splits(tmp_path):
    for rel in ["yes/aa11_nohash_0.wav", "yes/bb22_nohash_1.wav", "no/aa11_nohash_0.wav"]:
        write_clip(tmp_path / rel)
    write_clip(tmp_path / "_background_noise_/hum.wav", seconds=1.0)
    (tmp_path / "validation_list.txt").write_text("yes/bb22_nohash_1.wav\n")
    (tmp_path / "testing_list.txt").write_text("no/aa11_nohash_0.wav\n")
    items = list(read_speech_commands(tmp_path))
    got = {(it.label, it.speaker, it.meta.get("split")) for it in items}
    assert got == {
        ("no", "sc:aa11", "test"),
        ("yes", "sc:aa11", "train"),
        ("yes", "sc:bb22", "validation"),
        (BACKGROUND, None, None),
    }
    assert all(it.audio().dtype == np.int16 for it in items)
    only_yes = list(read_speech_commands(tmp_path, labels={"yes"}, include_noise=False))
    assert sorted(it.label for it in only_yes) == ["yes", "yes"]


def test_librispeech_transcripts_and_speakers(tmp_path):
    chapter = tmp_path / "train-clean-100" / "19" / "198"
    for utt in ("0000", "0001"):
        write_clip(chapter / f"19-198-{utt}.flac", fmt="FLAC")
    (chapter / "19-198.trans.txt").write_text("19-198-0000 HELLO WORLD\n19-198-0001 GOOD DAY\n")
    items = list(read_librispeech(tmp_path))
    assert [(it.label, it.speaker) for it in items] == [
        ("hello world", "libri19"),
        ("good day", "libri19"),
    ]
    assert len(items[0].audio()) == 1600


def test_librispeech_missing_audio_is_a_layout_error(tmp_path):
    chapter = tmp_path / "19" / "198"
    chapter.mkdir(parents=True)
    (chapter / "19-198.trans.txt").write_text("19-198-0000 HELLO\n")
    with pytest.raises(DataLayoutError, match="19-198-0000.flac"):
        list(read_librispeech(tmp_path))


def test_manifest_relative_paths_speakers_and_meta(tmp_path):
    write_clip(tmp_path / "clips" / "a.wav")
    write_clip(tmp_path / "clips" / "b.wav")
    (tmp_path / "m.csv").write_text(
        "path,label,speaker,license\nclips/a.wav,Hey Box ,alice,cc0\nclips/b.wav,stop,-,cc0\n"
    )
    items = list(read_manifest(tmp_path / "m.csv"))
    assert [(it.label, it.speaker, dict(it.meta)) for it in items] == [
        ("Hey Box", "alice", {"license": "cc0"}),
        ("stop", None, {"license": "cc0"}),
    ]
    assert items[0].source == str(tmp_path / "clips" / "a.wav")


def test_folder_labels_from_subfolders(tmp_path):
    write_clip(tmp_path / "up" / "x.wav")
    write_clip(tmp_path / "down" / "deep" / "y.wav")
    assert sorted(it.label for it in read_folder(tmp_path)) == ["down", "up"]
    assert {it.label for it in read_folder(tmp_path, label="cmd")} == {"cmd"}


@pytest.mark.parametrize("reader", [read_speech_commands, read_librispeech, read_folder])
def test_missing_folder_is_a_layout_error(tmp_path, reader):
    with pytest.raises(DataLayoutError, match="not found"):
        list(reader(tmp_path / "nope"))


def test_empty_folders_are_layout_errors(tmp_path):
    for reader in (read_speech_commands, read_librispeech, read_folder):
        with pytest.raises(DataLayoutError):
            list(reader(tmp_path))


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("file,label\na.wav,yes\n", DataError, "lacks column"),
        ("path,label\na.wav\n", DataError, "columns expected"),
        ("path,label\na.wav,yes,extra\n", DataError, "columns expected"),
        ("path,label\na.wav,\n", DataError, "empty path or label"),
        ("path,label\nmissing.wav,yes\n", DataLayoutError, "audio file missing"),
        (b"path,label\n\xff\xfe.wav,yes\n", DataError, "UTF-8"),
    ],
)
def test_malformed_manifest_raises_data_error(tmp_path, text, error, match):
    write_clip(tmp_path / "a.wav")
    path = tmp_path / "m.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    with pytest.raises(error, match=match):
        list(read_manifest(path))


def test_missing_manifest_is_a_layout_error(tmp_path):
    with pytest.raises(DataLayoutError, match="manifest not found"):
        list(read_manifest(tmp_path / "none.csv"))
