"""Offline speech synthesis of keywords, confusable phrases and unrelated speech."""

from .base import Engine
from .engines import DEFAULT_ENGINES, ENGINES, available_engines, get_engine, report_engines
from .phrases import UNRELATED, confusable_phrases, keyword_texts, sound_alikes
from .runner import (
    Synthesizer,
    SynthJob,
    SynthPlan,
    make_pseudo_speaker,
    plan_jobs,
    pseudo_speaker_params,
)

__all__ = [
    "DEFAULT_ENGINES",
    "ENGINES",
    "UNRELATED",
    "Engine",
    "SynthJob",
    "SynthPlan",
    "Synthesizer",
    "available_engines",
    "confusable_phrases",
    "get_engine",
    "keyword_texts",
    "make_pseudo_speaker",
    "plan_jobs",
    "pseudo_speaker_params",
    "report_engines",
    "sound_alikes",
]
