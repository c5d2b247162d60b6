"""Festival (text2wave) with the Debian voices: kal and ked diphones, slt HTS."""

from __future__ import annotations

import functools
import glob
import os
import shutil
import tempfile

import numpy as np

from ..errors import EngineUnavailableError
from .base import Engine, decode_wav, run_tool

#: voice -> (festival voice function, person)
KNOWN = {
    "kal_diphone": ("voice_kal_diphone", "kal"),
    "ked_diphone": ("voice_ked_diphone", "ked"),
    "cmu_us_slt_arctic_hts": ("voice_cmu_us_slt_arctic_hts", "slt"),
}
VOICE_DIRS = ("/usr/share/festival/voices", "/usr/local/share/festival/voices")


class FestivalEngine(Engine):
    name = "festival"

    def __init__(self, binary: str = "text2wave"):
        super().__init__()
        self.binary = binary

    def available(self) -> bool:
        return bool(self.voices())

    @functools.cache  # noqa: B019 - static per machine
    def voices(self) -> list[str]:
        if shutil.which(self.binary) is None:
            return []
        installed = {os.path.basename(p) for d in VOICE_DIRS for p in glob.glob(f"{d}/*/*")}
        return [v for v in KNOWN if v in installed]

    @functools.cached_property
    def _version(self) -> str:
        out = run_tool(["festival", "--version"], "festival").decode(errors="replace")
        return f"{out.strip()} voices={','.join(self.voices())}"

    def version(self) -> str:
        return self._version

    def speaker(self, voice: str) -> str:
        return f"person:{KNOWN.get(voice, (None, voice))[1]}"

    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        if voice not in self.voices():
            raise EngineUnavailableError(
                f"festival voice {voice!r} not installed ({self.voices()})"
            )
        with tempfile.TemporaryDirectory(prefix="voxgate-festival-") as tmp:
            txt, out = os.path.join(tmp, "in.txt"), os.path.join(tmp, "out.wav")
            with open(txt, "w", encoding="utf-8") as f:
                f.write(text)
            cmd = [
                self.binary,
                "-eval",
                f"({KNOWN[voice][0]})",
                "-eval",
                f"(Parameter.set 'Duration_Stretch {1.0 / rate:.4f})",
                "-o",
                out,
                txt,
            ]
            run_tool(cmd, f"festival/{voice}")
            with open(out, "rb") as f:
                return decode_wav(f.read(), "festival")
