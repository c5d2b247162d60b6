"""The run's model beside microWakeWord (pip pymicro-wakeword) on the same
audio, with the same detection rule: FRR at a false-accept rate per hour.

Audio, none of it trained on:
  * positives: the real Mycroft "computer" / "hey computer" recordings (and
    the "hey computer" ones alone), and
    each keyword spoken by the held-out Kokoro voices (synth.kokoro.HELD_OUT_VOICES:
    kokoro-mix trains only on blends of the other packs);
  * negatives: the LibriSpeech subset and, when installed, Debian's game
    music and samples (kws.negatives.MUSIC_GLOBS); only their held-out
    halves when the run trained on the others; and the Mycroft clips that
    say no keyword (other wake words, confusable phrases, room noise; real
    microphones, some of the dev set's own speakers), those of the
    contributors the run did not train on;
  * every positive clean and with pink noise at 10 dB SNR, after 1 s of
    lead-in (the same noise) so the detectors start from a settled state;
    and clean again with the clip scaled to LEVEL_DBFS (RMS over the whole
    clip): the real clips' own levels span 20 dB, so the gap between the
    two clean rows is what the model's level sensitivity costs.
For each detector the loudest peaks on the negatives (score, source, time)
are listed too: they set the threshold at a low false-accept rate.
microWakeWord has "alexa" and "hey jarvis" models; they are scored on the
same Kokoro clips (saying "alexa" / "hey jarvis") and the same negatives. A
detector scores every set whose phrase ends in its own (`says`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from voxgate.audio import load_audio
from voxgate.model import Model

from ..augment.noise import at_level, colored_noise
from ..augment.perturb import to_pcm16
from ..errors import TrainError
from .config import RunConfig

MWW_HOP_S = 0.03  # microWakeWord invokes once per 3 feature frames
FA_RATES = (0.5, 1.0, 2.0, 5.0)  # false accepts per hour reported
LEVEL_DBFS = -25.0  # the levelled condition: near synthetic speech's level
CONDITIONS = ("clean", "10 dB", f"clean, {LEVEL_DBFS:g} dBFS")


def _float(pcm: np.ndarray) -> np.ndarray:
    return pcm.astype(np.float32) / 32768.0


def real_computer(cfg: RunConfig) -> list[tuple[str, np.ndarray]]:
    """(label, float audio) of the real Mycroft "computer" / "hey computer"
    recordings: the development set."""
    from ..data.readers import read_real

    return [
        (i.label.lower(), _float(i.audio())) for i in read_real(cfg.real_root)
        if i.meta.get("corpus") == "mycroft" and i.label.lower() in ("computer", "hey computer")
    ]  # fmt: skip


def positives(cfg: RunConfig, rng) -> dict[str, list[np.ndarray]]:
    """Float clips by set name: real computer, and Kokoro per phrase."""
    from ..synth.engines import get_engine
    from ..synth.runner import Synthesizer, SynthJob

    sets: dict[str, list[np.ndarray]] = {}
    real = real_computer(cfg)
    sets["computer (real, mycroft)"] = [a for _, a in real]
    # the carrier-phrase clips again on their own: a word before the keyword
    # is a failure mode of its own (v1.6 missed every one)
    hey = [a for label, a in real if label == "hey computer"]
    if hey:
        sets["hey computer (real, mycroft)"] = hey
    kokoro = get_engine("kokoro")
    if not kokoro.available():
        return sets
    if "kokoro" in cfg.engines:  # its packs are the held-out ones
        print("realtest: no Kokoro clips, the run trained on the plain kokoro voices")
        return sets
    phrases = sorted(set(cfg.keywords) | {"hey jarvis"})
    jobs = [
        SynthJob("kokoro", v, p, round(float(r), 2), 1.0, p)
        for p in phrases for v in kokoro.held_out_voices() for r in (0.8, 0.9, 1.0, 1.1, 1.2)
    ]  # fmt: skip
    for item in Synthesizer([kokoro], workers=1).run(jobs, progress=False):
        sets.setdefault(f"{item.label} (kokoro)", []).append(_float(item.audio()))
    return sets


def negatives(cfg: RunConfig) -> list[tuple[str, np.ndarray]]:
    """(source name, float audio) of LibriSpeech and game music; when the run
    trained on long negatives, only their held-out halves."""
    from .negatives import librispeech, music_files

    halves = (True,) if cfg.long_negatives else (True, False)
    audio = [(Path(i.source).name, _float(i.audio()))
             for h in halves for i in librispeech(cfg.real_root, h)]  # fmt: skip
    audio += [(Path(p).name, _float(load_audio(p))) for h in halves for p in music_files(h)]
    audio += mycroft_negatives(cfg)
    if not audio:
        raise TrainError("no negative audio: needs the shared LibriSpeech subset")
    return audio


def mycroft_negatives(cfg: RunConfig) -> list[tuple[str, np.ndarray]]:
    """The Mycroft clips that say none of the keywords, back to back per
    wake word ('mycroft athena', ...; the confusable phrases and the noise
    files as one recording each), as a device hears them: one stream. Only
    the contributors the run did not train on (RunConfig.real_contributors)."""
    from ..data.readers import read_real
    from .steps import says_a_keyword

    groups: dict[str, list[np.ndarray]] = {}
    for item in read_real(cfg.real_root):
        mycroft = item.meta.get("corpus") == "mycroft"
        if not mycroft or cfg.trains_on(item) or says_a_keyword(cfg, item.label):
            continue
        name = item.meta.get("kind") or item.label  # confusable / background
        groups.setdefault(f"mycroft {name}", []).append(_float(item.audio()))
    return [(name, np.concatenate(clips)) for name, clips in sorted(groups.items())]


def condition(clip: np.ndarray, name: str, rng) -> np.ndarray:
    """A positive clip in context for one of CONDITIONS."""
    if name == CONDITIONS[0]:
        return in_context(clip, None, rng)
    if name == CONDITIONS[1]:
        return in_context(clip, 10.0, rng)
    return in_context(at_level(clip, LEVEL_DBFS), None, rng)


def loudest_peaks(neg_scores, names, smooth_frames: int, hop_s: float, top: int = 3):
    """The `top` highest smoothed scores on the negatives, one per source:
    [score, source, seconds into it]."""
    from ..evaluate.detect import smooth

    best = []
    for x, name in zip(neg_scores, names, strict=True):
        if len(x):
            s = smooth(x[:, 0], smooth_frames)
            i = int(np.argmax(s))
            best.append([round(float(s[i]), 4), name, round(i * hop_s, 2)])
    return sorted(best, key=lambda b: -b[0])[:top]


def in_context(clip: np.ndarray, snr_db: float | None, rng) -> np.ndarray:
    """1 s lead-in, the clip, 0.5 s tail; with noise at `snr_db` (None: a
    faint noise floor only, -60 dBFS)."""
    pad = np.zeros(16000 + len(clip) + 8000, np.float32)
    pad[16000 : 16000 + len(clip)] = clip
    noise = colored_noise(len(pad), "pink", rng)
    if snr_db is None:
        return pad + 0.001 * noise
    # SNR against the clip's own power, not diluted by the silent padding.
    p_s = float(np.mean(clip.astype(np.float64) ** 2)) or 1e-12
    scale = np.sqrt(p_s / 10 ** (snr_db / 10))
    out = pad + scale * noise
    peak = np.max(np.abs(out))
    return out / peak * 0.9 if peak > 0.99 else out


class VoxgateScorer:
    hop_s = 0.01

    def __init__(self, model: Model | Path, label: str):
        # a loaded Model is shared by the detectors of its keywords
        self.model = model if isinstance(model, Model) else Model.load(model)
        self.index = self.model.labels.index(label)
        self.scale, self.zp = self.model.meta["output_scales"]

    def __call__(self, pcm: np.ndarray) -> np.ndarray:
        _, out = self.model.stream().accept_waveform(to_pcm16(pcm))
        return (out[:, self.index].astype(np.float32) - self.zp) * self.scale


class KerasScorer:
    """The run's float (or QAT, `which`) Keras model on the native frontend's
    features (the whole clip at once; streaming agrees, tests/train): beside
    the integer model it tells what quantization costs on real audio."""

    hop_s = 0.01

    def __init__(self, cfg: RunConfig, label: str, which: str = "float"):
        from ..data.features import FeatureExtractor
        from .evaluation import keras_scorer
        from .steps import _classes, load_model, receptive_field_of

        self.R = receptive_field_of(cfg)
        self.score = keras_scorer(load_model(cfg, which, None), self.R, cfg.output_temperature)
        self.index = _classes(cfg).index(label)
        self.features = FeatureExtractor(cfg.frontend_config(), use_cache=False)

    def __call__(self, pcm: np.ndarray) -> np.ndarray:
        # R - 1 zero frames first, as the engine's stream starts: one score per
        # frame, and clips shorter than the receptive field still score.
        feats = self.features.compute(to_pcm16(pcm))
        feats = np.concatenate([np.zeros((self.R - 1, feats.shape[1]), feats.dtype), feats])
        return self.score(feats)[:, self.index]


class MicroWakeWordScorer:
    """Raw per-invoke probabilities (its own sliding mean is applied by the
    shared detection rule, as smoothing)."""

    hop_s = MWW_HOP_S

    def __init__(self, which: str):
        from pymicro_wakeword import MicroWakeWord, MicroWakeWordFeatures
        from pymicro_wakeword import Model as MwwModel

        self.mww = MicroWakeWord.from_builtin(MwwModel(which))
        self.smooth = self.mww.sliding_window_size
        self.mww.sliding_window_size = 1
        self.features = MicroWakeWordFeatures

    def __call__(self, pcm: np.ndarray) -> np.ndarray:
        from collections import deque

        self.mww.reset()
        self.mww._probabilities = deque(maxlen=1)
        feats = self.features()
        probs = []
        for f in feats.process_streaming(to_pcm16(pcm).tobytes()):
            p = self.mww.process_streaming_prob(f)
            if len(self.mww._features) == 0:  # an invoke happened
                probs.append(p)
        return np.asarray(probs, np.float32)


def baseline_detectors(cfg: RunConfig) -> dict:
    """cfg.realtest_baselines as detectors named '<file stem> <keyword>', for
    the run's keywords each model knows; checked before any scoring starts."""
    out = {}
    for path in map(Path, cfg.realtest_baselines):
        if not path.is_file():
            raise TrainError(f"realtest baseline {path} is not a file")
        model = Model.load(path)
        out.update({f"{path.stem} {k}": (VoxgateScorer(model, k), k, cfg.smooth_frames)
                    for k in cfg.keywords if k in model.labels})  # fmt: skip
    return out


def says(set_name: str, phrase: str) -> bool:
    """Whether a set's clips end in a detector's phrase: 'hey jarvis (kokoro)'
    is a jarvis clip too, 'jarvis (kokoro)' is no 'hey jarvis' one."""
    said = set_name.split(" (")[0].split()
    return said[-len(phrase.split()) :] == phrase.split()


def curve(score, clips, neg_scores, smooth, refractory_s):
    from ..evaluate import evaluate_keyword

    pos = [score(c)[:, None] for c in clips]
    return evaluate_keyword(pos, neg_scores, 0, score.hop_s, smooth, refractory_s)


def step_realtest(cfg: RunConfig, progress: bool = True) -> dict:
    from ..errors import EvalError
    from ..evaluate import frr_at_fah, threshold_for_fah

    baselines = baseline_detectors(cfg)
    rng = np.random.default_rng(cfg.seed)
    pos = positives(cfg, rng)
    negs = negatives(cfg)
    hours = sum(len(a) for _, a in negs) / 16000 / 3600
    vgm = Model.load(cfg.run_dir / "model.vgm")
    detectors = {f"voxgate {k}": (VoxgateScorer(vgm, k), k, cfg.smooth_frames)
                 for k in cfg.keywords}  # fmt: skip
    # float, QAT and integer on the same audio: whether a gap on real speech
    # comes from QAT's training or from the integer conversion
    for which in ("float", "qat"):
        for k in cfg.keywords:
            detectors[f"voxgate-{which} {k}"] = (KerasScorer(cfg, k, which), k, cfg.smooth_frames)
    detectors.update(baselines)
    for which, phrase in (("alexa", "alexa"), ("hey_jarvis", "hey jarvis")):
        try:
            s = MicroWakeWordScorer(which)
            detectors[f"microWakeWord {which}"] = (s, phrase, s.smooth)
        except Exception as exc:  # not installed / no built-in model
            print(f"microWakeWord {which} unavailable: {exc}")
    # every detector hears the same audio: one noise draw per clip and condition
    contexts = {(n, cond): [condition(c, cond, rng) for c in clips]
                for n, clips in pos.items() for cond in CONDITIONS}  # fmt: skip
    results = {"negative_hours": hours, "target_fa_per_hour": cfg.target_fa_per_hour,
               "loudest_negative_peaks": {}}  # fmt: skip
    for name, (score, phrase, smooth) in detectors.items():
        neg_scores = [score(a)[:, None] for _, a in negs]  # once per detector
        results["loudest_negative_peaks"][name] = loudest_peaks(
            neg_scores, [n for n, _ in negs], smooth, score.hop_s
        )
        for set_name, clips in pos.items():
            if not says(set_name, phrase):
                continue
            for cond in CONDITIONS:
                c = curve(score, contexts[set_name, cond], neg_scores, smooth, cfg.refractory_s)
                key = f"{name} | {set_name} | {cond}"
                row = {"clips": len(clips), "frr": frr_at_fah(c, cfg.target_fa_per_hour),
                       "frr_at": {f: frr_at_fah(c, f) for f in FA_RATES}}  # fmt: skip
                try:
                    row["threshold"] = threshold_for_fah(c, cfg.target_fa_per_hour).threshold
                except EvalError:
                    row["threshold"] = None
                results[key] = row
                if progress:
                    print(key, row, flush=True)
    return results
