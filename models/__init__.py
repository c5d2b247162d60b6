"""Models that ship with voxgate: `<task>-<arch>-w<bits>a<bits>-v<ver>.vgm`,
each with a model card (.md) and its sha256 in registry.json.

    import voxgate.models
    model = voxgate.model.Model.load(voxgate.models.path("kws-tcn-w4a8-v1.0"))
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from voxgate.errors import ModelFileError

HERE = Path(__file__).resolve().parent


def registry() -> dict:
    """{name: {file, sha256, bytes, task, labels}} of the shipped models."""
    return json.loads((HERE / "registry.json").read_text())


def path(name: str) -> Path:
    """The file of a shipped model, after checking its sha256."""
    entries = registry()
    if name not in entries:
        raise ModelFileError(f"no shipped model {name!r}; shipped: {sorted(entries)}")
    entry = entries[name]
    file = HERE / entry["file"]
    digest = hashlib.sha256(file.read_bytes()).hexdigest() if file.is_file() else None
    if digest != entry["sha256"]:
        raise ModelFileError(f"{file} is missing or does not match its sha256 in registry.json")
    return file
