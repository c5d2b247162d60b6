"""Speaker-disjoint splits that stay put as data is added."""

import numpy as np
import pytest

from voxgate_train.data.items import AudioItem
from voxgate_train.data.splits import SPLITS, assign_splits, check_disjoint, split_items
from voxgate_train.errors import DataError


def items_for(speakers, per_speaker=3):
    return [
        AudioItem(np.full(10, i, np.int16), "yes", s) for s in speakers for i in range(per_speaker)
    ]


def where(splits):
    return {it.speaker: s for s, items in splits.items() for it in items}


def test_speaker_disjoint_and_roughly_proportional():
    splits = split_items(items_for([f"s{i}" for i in range(400)]), 0.1, 0.2)
    check_disjoint(splits)
    spk = {s: {it.speaker for it in v} for s, v in splits.items()}
    assert not (spk["train"] & spk["validation"] or spk["train"] & spk["test"])
    assert not spk["validation"] & spk["test"]
    assert 20 < len(spk["validation"]) < 60 and 50 < len(spk["test"]) < 110


def test_stable_when_items_and_speakers_are_added():
    speakers = [f"s{i}" for i in range(60)]
    before = where(split_items(items_for(speakers)))
    assert set(before.values()) == set(SPLITS)
    more = items_for(speakers, per_speaker=5) + items_for([f"new{i}" for i in range(60)])
    after = where(split_items(more))
    assert {s: after[s] for s in before} == before


def test_pseudo_speakers_follow_their_source():
    base = [f"espeak:v{i}" for i in range(40)]
    pseudo = [f"{s}~p{k}" for s in base for k in range(3)]
    got = where(split_items(items_for(base + pseudo)))
    for p in pseudo:
        assert got[p] == got[p.split("~")[0]]


def test_salt_reshuffles():
    speakers = [f"s{i}" for i in range(60)]
    salted = where(split_items(items_for(speakers), salt="1"))
    assert salted != where(split_items(items_for(speakers)))


def test_every_split_gets_a_speaker_when_few():
    assert set(assign_splits(["a", "b", "c"]).values()) == set(SPLITS)


def test_official_split_wins_and_unknown_speakers_split_by_item():
    official = AudioItem(np.zeros(5, np.int16), "yes", "sc:1", {"split": "test"})
    anonymous = items_for([None] * 1, per_speaker=50)
    splits = split_items([official, *anonymous])
    assert official in splits["test"]
    assert sum(len(v) for v in splits.values()) == 51


def test_leaks_and_bad_fractions_raise():
    a, b = items_for(["x"], per_speaker=2)
    with pytest.raises(DataError, match="more than one split"):
        check_disjoint({"train": [a], "test": [b], "validation": []})
    with pytest.raises(DataError, match="fractions"):
        assign_splits(["a"], validation=0.6, test=0.5)
