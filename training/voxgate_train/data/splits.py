"""Speaker-disjoint train / validation / test splits.

A speaker's split comes from a hash of its id (as Speech Commands does), so it
never changes when other data is added, and no voice is in two splits. Pseudo-
speakers (``<speaker>~...``) follow their source voice. Items without a speaker
are split by their own id. Official splits (meta['split'], Speech Commands' lists)
are kept."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..errors import DataError
from .items import AudioItem

SPLITS = ("train", "validation", "test")


def split_group(item: AudioItem) -> str:
    """The unit that must stay within one split."""
    if item.speaker:
        return "spk:" + item.speaker.split("~", 1)[0]
    return "item:" + item.content_id()


def _fraction(group: str, salt: str) -> float:
    h = hashlib.sha1(f"{salt}{group}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def assign_splits(
    groups: Iterable[str], validation: float = 0.1, test: float = 0.1, salt: str = ""
) -> dict[str, str]:
    """group -> split. With three or more groups every split gets at least one."""
    if not (0 <= validation < 1 and 0 <= test < 1 and validation + test < 1):
        raise DataError(f"bad split fractions validation={validation} test={test}")
    ordered = sorted(set(groups), key=lambda g: _fraction(g, salt))
    out = {}
    for g in ordered:
        f = _fraction(g, salt)
        out[g] = "test" if f < test else "validation" if f < test + validation else "train"
    if len(ordered) >= 3:
        # Too few speakers for the hash to reach every split: the lowest hashes go
        # to test and validation (still a pure function of the set of groups).
        if test > 0 and "test" not in out.values():
            out[ordered[0]] = "test"
        if validation > 0 and "validation" not in out.values():
            out[next(g for g in ordered if out[g] == "train")] = "validation"
    return out


def split_items(
    items: Sequence[AudioItem], validation: float = 0.1, test: float = 0.1, salt: str = ""
) -> dict[str, list[AudioItem]]:
    """Items by split; official splits in meta['split'] win for their items."""
    free = [split_group(i) for i in items if i.meta.get("split") not in SPLITS]
    table = assign_splits(free, validation, test, salt)
    out: dict[str, list[AudioItem]] = {s: [] for s in SPLITS}
    for item in items:
        official = item.meta.get("split")
        out[official if official in SPLITS else table[split_group(item)]].append(item)
    check_disjoint(out)
    return out


def check_disjoint(splits: dict[str, Sequence[AudioItem]]) -> None:
    """Raise DataError if a speaker (or pseudo-speaker's source) is in two splits."""
    where = defaultdict(set)
    for name, items in splits.items():
        for item in items:
            if item.speaker:
                where[split_group(item)].add(name)
    leaks = {g: sorted(s) for g, s in where.items() if len(s) > 1}
    if leaks:
        sample = dict(list(leaks.items())[:5])
        raise DataError(f"{len(leaks)} speaker(s) in more than one split, e.g. {sample}")
