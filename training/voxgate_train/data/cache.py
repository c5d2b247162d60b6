"""A content-addressed store of numpy arrays on disk.

The key is a SHA-256 of a canonical JSON description of how the array was made
(engine, voice, text, parameters, config ...), so equal requests share one
entry, a changed parameter never reads a stale one, and a second run finds
everything it already made. Entries are written atomically, which makes a run
that was killed half-way resumable by simply running it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path

import numpy as np

from ..errors import CacheError
from .fileio import save_npy, save_wav


def cache_key(spec) -> str:
    """SHA-256 hex digest of ``spec`` (any JSON-serialisable value), order-independent
    for dict keys."""
    try:
        text = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except TypeError as exc:
        raise CacheError(f"cache key spec is not JSON-serialisable: {exc}") from exc
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def array_digest(array: np.ndarray) -> str:
    """SHA-256 of an array's dtype, shape and bytes (the 'audio hash')."""
    a = np.ascontiguousarray(array)
    h = hashlib.sha256(f"{a.dtype.str}{a.shape}".encode())
    h.update(a.tobytes())
    return h.hexdigest()


def default_cache_dir() -> Path:
    """$VOXGATE_CACHE, else ~/.cache/voxgate."""
    base = os.environ.get("VOXGATE_CACHE")
    return Path(base) if base else Path.home() / ".cache" / "voxgate"


class ArrayCache:
    """Arrays stored as ``<root>/<key[:2]>/<key>.npy``, or, with ``audio=True``, 16 kHz
    int16 audio as ``.wav`` files any audio tool (and voxgate.load_audio) can read."""

    def __init__(self, root: str | os.PathLike, audio: bool = False):
        self.root = Path(root)
        self.audio = audio

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{'.wav' if self.audio else '.npy'}"

    def __contains__(self, key: str) -> bool:
        return self.path(key).is_file()

    def get(self, key: str) -> np.ndarray | None:
        path = self.path(key)
        # soundfile reports a missing file as a generic error, not FileNotFoundError.
        if not path.is_file():
            return None
        try:
            if self.audio:
                import soundfile as sf

                return sf.read(path, dtype="int16")[0]
            return np.load(path, allow_pickle=False)
        except FileNotFoundError:
            return None
        except (ValueError, OSError, EOFError, RuntimeError) as exc:
            # Writes are atomic, so this is outside damage: drop it so it is remade.
            warnings.warn(f"removing corrupt cache entry {path}: {exc}", stacklevel=2)
            path.unlink(missing_ok=True)
            return None

    def put(self, key: str, array: np.ndarray) -> Path:
        try:
            if self.audio:
                return save_wav(self.path(key), np.asarray(array, dtype=np.int16))
            return save_npy(self.path(key), array)
        except OSError as exc:
            raise CacheError(f"cannot write cache entry {self.path(key)}: {exc}") from exc
