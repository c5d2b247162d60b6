"""The models that ship in the package: each in registry.json loads through
voxgate.models.path (sha256 checked), has a model card, and runs on audio."""

import json
from pathlib import Path

import numpy as np
import pytest

import voxgate
import voxgate.models
from voxgate.errors import ModelFileError
from voxgate.model import Model

REGISTRY = json.loads((Path(voxgate.models.__file__).parent / "registry.json").read_text())
AUDIO = Path(__file__).parent / "data" / "hey_computer.wav"


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_shipped_model_loads_and_runs_on_audio(name):
    entry = REGISTRY[name]
    path = voxgate.models.path(name)
    assert path.stat().st_size == entry["bytes"] < 64 * 1024
    assert (path.with_suffix(".md")).read_text().startswith(f"# {name}")
    model = Model.load(path)
    assert model.labels == entry["labels"]
    assert len(model.meta["thresholds"]) == len(model.labels)
    index, probs = model.stream().accept_waveform(voxgate.load_audio(AUDIO))
    assert len(index) > 0 and probs.shape[1] == len(model.labels)
    total = (probs.astype(int) + 128).sum(axis=1)  # int8 softmax: sums to ~256
    assert np.all(np.abs(total - 256) <= 8)


def test_unknown_name_is_a_typed_error():
    with pytest.raises(ModelFileError, match="no shipped model"):
        voxgate.models.path("kws-nothing-v0")
