"""eSpeak NG: formant synthesis, fast, with English accents x ~100 voice variants."""

from __future__ import annotations

import functools
import os
import re
import shutil

import numpy as np

from ..errors import EngineUnavailableError
from .base import Engine, decode_wav, run_tool

#: espeak-ng's default speed in words per minute, and its pitch scale 0..99
DEFAULT_WPM = 175
DEFAULT_PITCH = 50


@functools.cache
def _list_voices(binary: str, which: str) -> tuple[tuple[str, str], ...]:
    """(name, file) rows of ``espeak-ng --voices=<which>``."""
    out = run_tool([binary, f"--voices={which}"], "espeak-ng").decode(errors="replace")
    rows = []
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5:
            rows.append((parts[1], parts[4]))
    return tuple(rows)


def _mbrola_installed(file: str) -> bool:
    # mb/mb-us1 needs the mbrola program and /usr/share/mbrola/us1
    name = os.path.basename(file).removeprefix("mb-").split("-")[0]
    return shutil.which("mbrola") is not None and os.path.exists(f"/usr/share/mbrola/{name}")


class EspeakEngine(Engine):
    """Voices are ``<language>+<variant>`` (e.g. ``en-us+klatt``) or a bare language."""

    name = "espeak"
    native_pitch = True

    def __init__(self, binary: str = "espeak-ng"):
        super().__init__()
        self.binary = binary

    def available(self) -> bool:
        return shutil.which(self.binary) is not None and bool(self.languages())

    def languages(self) -> list[str]:
        """English accents (en-us, en-gb-scotland, ...), MBROLA ones only if installed."""
        if shutil.which(self.binary) is None:
            return []
        langs = []
        for lang, file in _list_voices(self.binary, "en"):
            if not lang.startswith("en") or lang in langs:
                continue
            if file.startswith("mb/") and not _mbrola_installed(file):
                continue
            langs.append(lang)
        return langs

    def variants(self) -> list[str]:
        if shutil.which(self.binary) is None:
            return []
        return sorted({os.path.basename(f) for _, f in _list_voices(self.binary, "variant")})

    def voices(self) -> list[str]:
        return [f"{lang}+{var}" for lang in self.languages() for var in self.variants()]

    @functools.cached_property
    def _version(self) -> str:
        return run_tool([self.binary, "--version"], "espeak-ng").decode().strip()

    def version(self) -> str:
        return self._version

    def speaker(self, voice: str) -> str:
        # The variant sets the timbre; the language only the accent. All accents of
        # one variant count as one speaker so a timbre never spans two splits.
        return f"espeak:{voice.partition('+')[2] or 'default'}"

    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        if not re.fullmatch(r"[\w.-]+(\+[\w.-]+)?", voice):
            raise EngineUnavailableError(f"espeak-ng: malformed voice name {voice!r}")
        wpm = int(round(DEFAULT_WPM * rate))
        # espeak's pitch is a 0..99 scale; map the factor linearly around its default.
        p = int(np.clip(round(DEFAULT_PITCH * pitch), 0, 99))
        cmd = [self.binary, "-v", voice, "-s", str(wpm), "-p", str(p), "--stdout", "--stdin"]
        return decode_wav(run_tool(cmd, f"espeak-ng/{voice}", stdin=text.encode()), "espeak-ng")
