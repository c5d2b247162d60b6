"""The unit every reader yields: where a clip's audio is, what it says, who says it."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from voxgate import load_audio, to_int16

from .cache import array_digest, cache_key

#: ``kind`` values. The dataset builder maps them to classes.
KEYWORD, UNKNOWN, BACKGROUND = "keyword", "unknown", "background"


@dataclasses.dataclass(frozen=True, eq=False)
class AudioItem:
    """One clip. ``source`` is a file path or a 16 kHz mono int16 array; ``speaker``
    is None where the source has no reliable speaker ids; ``meta`` holds whatever
    else the reader knew (split from an official list, transcript, engine ...)."""

    source: str | np.ndarray
    label: str
    speaker: str | None = None
    meta: Mapping = dataclasses.field(default_factory=dict)

    def audio(self) -> np.ndarray:
        """The clip as 16 kHz mono int16."""
        if isinstance(self.source, np.ndarray):
            return to_int16(self.source)
        return load_audio(self.source)

    def content_id(self) -> str:
        """A cheap, stable id of the audio: the array's hash, or path + size + mtime
        for files (hashing every file's bytes on each resume would cost a full read)."""
        if isinstance(self.source, np.ndarray):
            return array_digest(self.source)
        if "content_id" in self.meta:
            return str(self.meta["content_id"])
        st = os.stat(self.source)
        return cache_key([os.path.abspath(self.source), st.st_size, st.st_mtime_ns])

    @property
    def name(self) -> str:
        if isinstance(self.source, np.ndarray):
            return str(self.meta.get("name", f"<array {self.source.shape[0]} samples>"))
        return Path(self.source).name

    def replace(self, **changes) -> AudioItem:
        return dataclasses.replace(self, **changes)
