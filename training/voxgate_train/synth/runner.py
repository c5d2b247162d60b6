"""Planning and running synthesis: which (engine, voice, text, rate, pitch) to make,
made once into a content-addressed WAV cache, in parallel where the engine allows.

A second run with the same plan finds every clip in the cache and calls no engine;
a run that was stopped resumes where it stopped."""

from __future__ import annotations

import dataclasses
import math
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import numpy as np

from ..augment.chain import rng_for
from ..data.cache import ArrayCache, cache_key, default_cache_dir
from ..data.items import KEYWORD, UNKNOWN, AudioItem
from ..errors import SynthesisError
from .base import Engine
from .phrases import (
    UNRELATED,
    carrier_texts,
    confusable_phrases,
    isolated_words,
    keyword_texts,
    prose_sentences,
)

CONFUSABLE, UNRELATED_KIND, WORD_KIND = "confusable", "unrelated", "word"


@dataclasses.dataclass(frozen=True)
class SynthJob:
    engine: str
    voice: str
    text: str
    rate: float = 1.0
    pitch: float = 1.0
    #: what the clip is for: the keyword it says, or '_unknown_' for negatives
    label: str = ""
    #: keyword / confusable / unrelated
    kind: str = KEYWORD

    def key(self, engine_version: str) -> str:
        spec = ["synth", self.engine, engine_version, self.voice, self.text, self.rate, self.pitch]
        return cache_key(spec)


@dataclasses.dataclass(frozen=True)
class SynthPlan:
    """How much to synthesize per engine. Engines with few voices get more takes per
    voice so each engine reaches ``min_takes_per_engine`` of each kind."""

    max_voices_per_engine: int = 120
    keyword_takes_per_voice: int = 3
    confusable_takes_per_voice: int = 4
    unrelated_takes_per_voice: int = 2
    #: sentences of everyday prose (phrases.prose_sentences), for more unknown speech
    prose_takes_per_voice: int = 0
    #: each keyword after a carrier word ("hey computer": phrases.carrier_texts)
    carrier_takes_per_voice: int = 0
    #: dictionary words said alone (phrases.isolated_words), for the unknown class
    word_takes_per_voice: int = 0
    min_takes_per_engine: int = 60
    rate_range: tuple[float, float] = (0.8, 1.25)
    pitch_range: tuple[float, float] = (0.85, 1.2)
    num_confusables: int = 24


def plan_jobs(
    keywords: Sequence[str], engines: Sequence[Engine], plan: SynthPlan = SynthPlan(), seed: int = 0
) -> list[SynthJob]:
    """The synthesis jobs for ``keywords``; deterministic for a seed."""
    jobs = []
    confusables = {kw: confusable_phrases(kw, plan.num_confusables, seed) for kw in keywords}
    prose = prose_sentences(tuple(keywords)) if plan.prose_takes_per_voice else ()
    words = isolated_words(tuple(keywords)) if plan.word_takes_per_voice else ()
    # A confusable of one keyword may be another keyword or part of it: keep those out.
    spoken = {" ".join(kw.lower().split()) for kw in keywords}
    for engine in engines:
        voices = engine.voices()
        rng = rng_for(seed, "voices", engine.name)
        if len(voices) > plan.max_voices_per_engine:
            voices = sorted(rng.choice(voices, plan.max_voices_per_engine, replace=False).tolist())
        if not voices:
            continue
        boost = max(1, math.ceil(plan.min_takes_per_engine / len(voices)))
        kw_takes = plan.keyword_takes_per_voice * boost
        conf_takes = plan.confusable_takes_per_voice * boost
        unrel_takes = plan.unrelated_takes_per_voice * boost
        prose_takes = plan.prose_takes_per_voice * boost
        carrier_takes = plan.carrier_takes_per_voice * boost
        word_takes = plan.word_takes_per_voice * boost
        if engine.few_takes:
            # A slow engine (~4 s a clip): two takes of each keyword and, so that it
            # never speaks only keywords, one confusable per keyword and one
            # unrelated line; no prose (long sentences cost the most).
            kw_takes, conf_takes, unrel_takes, prose_takes = min(2, kw_takes), 1, 1, 0
            carrier_takes, word_takes = min(1, carrier_takes), min(2, word_takes)
        for voice in voices:
            r = rng_for(seed, "takes", engine.name, voice)

            def take(text, label, kind, r=r, voice=voice, engine=engine):
                rate = round(float(r.uniform(*plan.rate_range)), 3)
                pitch = round(float(r.uniform(*plan.pitch_range)), 3)
                return SynthJob(engine.name, voice, text, rate, pitch, label, kind)

            for kw in keywords:
                texts = keyword_texts(kw)
                for _ in range(kw_takes):
                    jobs.append(take(texts[int(r.integers(len(texts)))], kw, KEYWORD))
                conf = [c for c in confusables[kw] if c not in spoken]
                for _ in range(conf_takes if conf else 0):
                    jobs.append(take(conf[int(r.integers(len(conf)))], UNKNOWN, CONFUSABLE))
            for _ in range(unrel_takes):
                text = UNRELATED[int(r.integers(len(UNRELATED)))]
                if not any(kw in text for kw in spoken):
                    jobs.append(take(text, UNKNOWN, UNRELATED_KIND))
            # Drawn after the others, so turning prose on keeps every earlier take.
            for _ in range(prose_takes if prose else 0):
                jobs.append(take(prose[int(r.integers(len(prose)))], UNKNOWN, UNRELATED_KIND))
            # Last of all, for the same reason.
            for kw in keywords:
                texts = carrier_texts(kw)
                for _ in range(carrier_takes if texts else 0):
                    jobs.append(take(texts[int(r.integers(len(texts)))], kw, KEYWORD))
            # After the carriers, so turning words on keeps every earlier take.
            for _ in range(word_takes if words else 0):
                jobs.append(take(words[int(r.integers(len(words)))], UNKNOWN, WORD_KIND))
    # The same take drawn twice would only be a duplicate example.
    return list(dict.fromkeys(jobs))


class Synthesizer:
    """Runs jobs through their engines into ``<cache_dir>/synth``."""

    def __init__(
        self,
        engines: Sequence[Engine],
        cache_dir: str | os.PathLike | None = None,
        workers: int | None = None,
    ):
        self.engines = {e.name: e for e in engines}
        self.cache = ArrayCache(Path(cache_dir or default_cache_dir()) / "synth", audio=True)
        self.workers = workers or min(4, os.cpu_count() or 1)
        self.failures: list[tuple[SynthJob, str]] = []

    def _engine(self, job: SynthJob) -> Engine:
        try:
            return self.engines[job.engine]
        except KeyError:
            raise SynthesisError(f"job needs engine {job.engine!r}, not given") from None

    def item(self, job: SynthJob) -> AudioItem:
        engine = self._engine(job)
        key = job.key(engine.version())
        meta = dataclasses.asdict(job) | {"content_id": key, "synthetic": True}
        return AudioItem(str(self.cache.path(key)), job.label, engine.speaker(job.voice), meta)

    def _make(self, job: SynthJob) -> None:
        engine = self._engine(job)
        key = job.key(engine.version())
        if key in self.cache:
            return
        try:
            pcm = engine.synthesize(job.text, job.voice, job.rate, job.pitch)
        except SynthesisError as exc:
            if type(exc) is not SynthesisError:
                raise  # a missing engine or voice is a set-up problem, not one bad clip
            self.failures.append((job, str(exc)))
            return
        self.cache.put(key, pcm)

    def run(self, jobs: Sequence[SynthJob], progress: bool = True) -> list[AudioItem]:
        """Make every job's clip that is not cached yet; return the items of the clips
        that exist (jobs an engine failed on are left out, with a warning)."""
        from tqdm import tqdm

        self.failures = []  # this run's, so the warning below does not repeat old ones
        todo = [j for j in jobs if j.key(self._engine(j).version()) not in self.cache]
        parallel = [j for j in todo if self._engine(j).parallel]
        serial = [j for j in todo if not self._engine(j).parallel]
        bar = tqdm(total=len(todo), desc="synthesis", unit="clip", disable=not progress)
        with ThreadPoolExecutor(self.workers) as pool:
            futures = [pool.submit(self._make, j) for j in parallel]
            # ONNX engines run here, beside the subprocess engines, with their own threads.
            for j in serial:
                self._make(j)
                bar.update()
            # In completion order, so the bar moves while slow clips are still running.
            for f in as_completed(futures):
                f.result()
                bar.update()
        bar.close()
        if self.failures:
            warnings.warn(
                f"{len(self.failures)} synthesis job(s) failed, e.g. {self.failures[0][1]}",
                stacklevel=2,
            )
        return [self.item(j) for j in jobs if j.key(self._engine(j).version()) in self.cache]


def pseudo_speaker_params(speaker: str, index: int, seed: int = 0) -> dict[str, float]:
    """The fixed perturbation that turns ``speaker`` into pseudo-speaker ``index``:
    a vocal tract length (VTLP alpha), a pitch offset and a tempo, all the
    pseudo-speaker's clips share."""
    r = rng_for(seed, "pseudo", speaker, index)
    return {
        "vtlp_alpha": round(float(r.uniform(0.86, 1.14)), 3),
        "semitones": round(float(r.uniform(-4.0, 4.0)), 2),
        "tempo": round(float(r.uniform(0.9, 1.1)), 3),
    }


def make_pseudo_speaker(pcm: np.ndarray, params: dict[str, float]) -> np.ndarray:
    """Apply pseudo_speaker_params to a clip; returns int16."""
    from ..augment.perturb import pitch_shift, tempo, to_pcm16, vtlp

    x = tempo(pcm, params["tempo"])
    x = pitch_shift(x, params["semitones"])
    return to_pcm16(vtlp(x, params["vtlp_alpha"]))
