"""What every speech engine offers, and the conversions they share.

An engine turns (text, voice, rate, pitch) into 16 kHz mono int16 audio.
``rate`` and ``pitch`` are relative factors around the voice's default (1.0):
rate 1.2 speaks 20% faster, pitch 1.1 raises the voice 10%. Engines without
native pitch control get a pitch shift on their output (which moves formants too,
acceptable for making pseudo-speakers)."""

from __future__ import annotations

import abc
import io
import math
import subprocess
import threading

import numpy as np

from ..augment.perturb import pitch_shift, resample_ratio
from ..errors import EngineUnavailableError, SynthesisError

SAMPLE_RATE_HZ = 16000
RATE_RANGE = (0.5, 2.0)
PITCH_RANGE = (0.5, 2.0)


def decode_wav(data: bytes, what: str) -> np.ndarray:
    """WAV bytes (any rate, any channels) as 16 kHz mono float32."""
    import soundfile as sf

    try:
        x, rate = sf.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise SynthesisError(f"{what} produced no readable WAV ({len(data)} bytes): {exc}") from exc
    return to_16k(x.mean(axis=1), rate)


def to_16k(x: np.ndarray, rate: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if rate != SAMPLE_RATE_HZ:
        x = resample_ratio(x, SAMPLE_RATE_HZ / rate) if x.size else x
    return x


def pitch_shift_factor(x: np.ndarray, factor: float) -> np.ndarray:
    """Shift the pitch of float audio by a frequency factor, keeping its length."""
    return x if factor == 1.0 or x.size == 0 else pitch_shift(x, 12.0 * math.log2(factor))


def run_tool(cmd: list[str], what: str, stdin: bytes | None = None, timeout_s: float = 60) -> bytes:
    """Run a command line tool and return its stdout; a failure raises SynthesisError
    with the tool's own message."""
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout_s, check=False)
    except FileNotFoundError as exc:
        raise EngineUnavailableError(f"{what}: program {cmd[0]!r} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise SynthesisError(f"{what}: {cmd[0]} took over {timeout_s:.0f} s") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode(errors="replace").strip()[-500:]
        raise SynthesisError(f"{what}: {cmd[0]} exited with {proc.returncode}: {err}")
    return proc.stdout


class Engine(abc.ABC):
    """A text-to-speech engine. Subclasses set ``name`` and implement ``available``,
    ``voices``, ``version`` and ``_synthesize``."""

    name: str = ""
    #: True when synthesize may run in several threads at once (subprocess engines);
    #: ONNX engines use their own intra-op threads instead.
    parallel: bool = True
    #: True when _synthesize applies ``pitch`` itself.
    native_pitch: bool = False
    #: True for slow engines whose every voice is a new speaker (kokoro-mix):
    #: plan_jobs gives each voice its keyword takes and one negative of each kind
    few_takes: bool = False

    def __init__(self):
        #: synthesize() calls made, so tests (and progress reports) can count work.
        self.calls = 0
        self._lock = threading.Lock()

    @abc.abstractmethod
    def available(self) -> bool:
        """True if the engine and at least one voice are installed."""

    @abc.abstractmethod
    def voices(self) -> list[str]:
        """Names of the installed voices (empty if unavailable)."""

    @abc.abstractmethod
    def version(self) -> str:
        """A string that changes when the engine's output would, for cache keys."""

    def speaker(self, voice: str) -> str:
        """The identity a voice counts as for speaker-disjoint splits. Voices of one
        recorded person (flite kal and festival kal_diphone) must share it."""
        return f"{self.name}:{voice}"

    @abc.abstractmethod
    def _synthesize(self, text: str, voice: str, rate: float, pitch: float) -> np.ndarray:
        """16 kHz mono float32 audio."""

    def synthesize(
        self, text: str, voice: str, rate: float = 1.0, pitch: float = 1.0
    ) -> np.ndarray:
        """Speak ``text``; returns 16 kHz mono int16. Raises EngineUnavailableError if the
        engine or voice is missing, SynthesisError if it fails or returns silence."""
        if not text.strip():
            raise SynthesisError(f"{self.name}: nothing to say (empty text)")
        for what, v, (lo, hi) in (("rate", rate, RATE_RANGE), ("pitch", pitch, PITCH_RANGE)):
            if not lo <= v <= hi:
                raise SynthesisError(f"{self.name}: {what} {v} outside {lo}..{hi}")
        with self._lock:
            self.calls += 1
        x = self._synthesize(text, voice, float(rate), float(pitch))
        if not self.native_pitch:
            x = pitch_shift_factor(x, pitch)
        if x.size == 0 or float(np.max(np.abs(x))) < 1e-4:
            raise SynthesisError(f"{self.name}/{voice} returned silence for {text!r}")
        peak = float(np.max(np.abs(x)))
        if peak > 1.0:  # vocoders may overshoot; scale, do not clip
            x = x / peak
        return np.round(x * 32767.0).astype(np.int16)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
