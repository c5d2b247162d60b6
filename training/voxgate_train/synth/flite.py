"""CMU Flite: small statistical (clustergen) and diphone voices."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile

import numpy as np

from ..errors import EngineUnavailableError
from .base import Engine, decode_wav, pitch_shift_factor, run_tool

#: voices worth using: kal16 is the 16 kHz build of kal (the 8 kHz one adds nothing),
#: awb_time only says the time.
USABLE = ("kal16", "awb", "rms", "slt")
#: voices whose pitch flite's f0_shift ignores (measured); they get a post pitch shift
NO_F0_SHIFT = ("rms",)
#: the person behind each voice, shared with festival's voices of the same people
PERSON = {"kal16": "kal", "kal": "kal", "awb": "awb", "rms": "rms", "slt": "slt"}


class FliteEngine(Engine):
    name = "flite"
    native_pitch = True  # f0_shift, or a post shift for the voices that ignore it

    def __init__(self, binary: str = "flite"):
        super().__init__()
        self.binary = binary

    def available(self) -> bool:
        return bool(self.voices())

    @functools.cache  # noqa: B019 - one engine object per run; the list is static
    def voices(self) -> list[str]:
        if shutil.which(self.binary) is None:
            return []
        out = run_tool([self.binary, "-lv"], "flite").decode(errors="replace")
        listed = out.split(":", 1)[-1].split()
        return [v for v in USABLE if v in listed]

    @functools.cached_property
    def _version(self) -> str:
        # flite --version prints its version and exits with status 1.
        out = subprocess.run([self.binary, "--version"], capture_output=True, check=False)
        return out.stdout.decode(errors="replace").strip()

    def version(self) -> str:
        return self._version

    def speaker(self, voice: str) -> str:
        return f"person:{PERSON.get(voice, voice)}"

    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        if voice not in self.voices():
            raise EngineUnavailableError(f"flite voice {voice!r} not installed ({self.voices()})")
        native = voice not in NO_F0_SHIFT
        cmd = [self.binary, "-voice", voice, "--setf", f"duration_stretch={1.0 / rate:.4f}"]
        if native:
            cmd += ["--setf", f"f0_shift={pitch:.4f}"]
        # flite writes WAV only to a file name; read it back from a private temp dir.
        with tempfile.TemporaryDirectory(prefix="voxgate-flite-") as tmp:
            out = os.path.join(tmp, "out.wav")
            txt = os.path.join(tmp, "in.txt")
            with open(txt, "w", encoding="utf-8") as f:
                f.write(text)
            run_tool(cmd + ["-f", txt, "-o", out], f"flite/{voice}")
            with open(out, "rb") as f:
                x = decode_wav(f.read(), "flite")
        return x if native else pitch_shift_factor(x, pitch)
