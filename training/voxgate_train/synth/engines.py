"""The engine registry: names -> classes, and picking the installed ones."""

from __future__ import annotations

from ..errors import EngineUnavailableError
from .base import Engine
from .espeak import EspeakEngine
from .festival import FestivalEngine
from .flite import FliteEngine
from .kokoro import KokoroEngine, KokoroMixEngine
from .piper import PiperEngine

ENGINES: dict[str, type[Engine]] = {
    "espeak": EspeakEngine,
    "flite": FliteEngine,
    "festival": FestivalEngine,
    "piper": PiperEngine,
    "kokoro": KokoroEngine,
    "kokoro-mix": KokoroMixEngine,
}
#: kokoro and kokoro-mix are left out by default: 0.4x real time, 50x slower than the rest
DEFAULT_ENGINES = ("espeak", "flite", "festival", "piper")


def get_engine(name: str) -> Engine:
    try:
        return ENGINES[name]()
    except KeyError:
        raise EngineUnavailableError(
            f"unknown speech engine {name!r}; known: {sorted(ENGINES)}"
        ) from None


def available_engines(names=DEFAULT_ENGINES) -> list[Engine]:
    """The named engines that are installed here; the rest are skipped silently
    (``report_engines`` says which)."""
    return [e for e in (get_engine(n) for n in names) if e.available()]


def report_engines(names=tuple(ENGINES)) -> dict[str, int]:
    """Voice count of each named engine (0 = not installed)."""
    out = {}
    for n in names:
        e = get_engine(n)
        out[n] = len(e.voices()) if e.available() else 0
    return out
