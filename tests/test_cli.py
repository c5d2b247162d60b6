"""The `voxgate` command: results on good input, a clear message and no
partial file on bad input."""

from pathlib import Path

import numpy as np

import voxgate
from voxgate.cli import main

CLIP = Path(__file__).parent / "data" / "hey_computer.wav"


def test_features_saves_the_frontend_output(tmp_path, capsys):
    out = tmp_path / "f.npy"
    assert main(["features", str(CLIP), "-o", str(out)]) == 0
    saved = np.load(out)
    np.testing.assert_array_equal(saved, voxgate.Frontend().features(voxgate.load_audio(CLIP)))
    assert "245 frames x 40 channels" in capsys.readouterr().out


def test_bad_file_gives_message_and_no_output(tmp_path, capsys):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio at all")
    out = tmp_path / "f.npy"
    assert main(["features", str(bad), "-o", str(out)]) == 2
    assert "cannot decode" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [bad]
