"""The augmentation recipe the dataset builder applies, deterministic given a seed.

Two stages, because tempo changes a clip's length and the builder places the clip
in a fixed window in between: ``perturb_speech`` (tempo, pitch, VTLP on the bare
utterance), then ``environment`` (room reverb, background noise at an SNR, gain on
the whole window)."""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np

from ..errors import AugmentError
from .channel import apply_channel, random_response
from .noise import NoiseBank, at_level, mix_at_snr, power
from .perturb import as_float, gain, pitch_shift, tempo, vtlp
from .reverb import apply_rir


def rng_for(seed: int, *keys) -> np.random.Generator:
    """A generator seeded from ``seed`` and ``keys`` (e.g. an item id and a copy
    index), so every example's randomness is independent of processing order: a
    parallel or resumed run makes exactly the same data."""
    h = hashlib.sha256(repr((seed, *keys)).encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "little"))


@dataclasses.dataclass(frozen=True)
class AugmentConfig:
    """Probabilities and ranges (uniform) of each augmentation."""

    p_tempo: float = 0.3
    tempo_range: tuple[float, float] = (0.85, 1.15)
    p_pitch: float = 0.3
    pitch_semitones: tuple[float, float] = (-3.0, 3.0)
    p_vtlp: float = 0.5
    vtlp_alpha: tuple[float, float] = (0.9, 1.1)
    p_reverb: float = 0.5
    p_noise: float = 0.85
    snr_db: tuple[float, float] = (0.0, 20.0)
    gain_db: tuple[float, float] = (-12.0, 3.0)
    #: a random microphone/channel response (augment.channel) on the whole window
    p_channel: float = 0.5
    #: RMS level (dBFS) of pure-background windows
    background_dbfs: tuple[float, float] = (-60.0, -20.0)

    def __post_init__(self):
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.name.startswith("p_") and not 0.0 <= v <= 1.0:
                raise AugmentError(f"{f.name}={v} is not a probability")
            if isinstance(v, tuple) and (len(v) != 2 or v[0] > v[1]):
                raise AugmentError(f"{f.name}={v} is not a (low, high) range")


class Augmenter:
    def __init__(
        self,
        config: AugmentConfig = AugmentConfig(),
        noise: NoiseBank | None = None,
        rirs: list[np.ndarray] | None = None,
    ):
        self.config = config
        self.noise = noise or NoiseBank()
        self.rirs = list(rirs or [])

    def perturb_speech(self, x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        c = self.config
        y = as_float(x)
        # Draw every random number whether or not it is used, so changing one
        # probability does not reshuffle the others.
        u = rng.random(3)
        t, s, a = (
            rng.uniform(*c.tempo_range),
            rng.uniform(*c.pitch_semitones),
            rng.uniform(*c.vtlp_alpha),
        )
        if u[0] < c.p_tempo:
            y = tempo(y, t)
        if u[1] < c.p_pitch:
            y = pitch_shift(y, s)
        if u[2] < c.p_vtlp:
            y = vtlp(y, a)
        return y

    def environment(
        self, x: np.ndarray, rng: np.random.Generator, speech_power: float | None = None
    ) -> np.ndarray:
        """Reverb, noise and gain on a window; ``speech_power`` is the power of the
        bare utterance the window holds (the SNR refers to it)."""
        c = self.config
        y = as_float(x)
        u = rng.random(3)
        response = random_response(rng)
        rir_index = int(rng.integers(len(self.rirs))) if self.rirs else -1
        snr = rng.uniform(*c.snr_db)
        g = rng.uniform(*c.gain_db)
        noise = self.noise.sample(len(y), rng)
        if u[0] < c.p_reverb and rir_index >= 0:
            before = power(y)
            y = apply_rir(y, self.rirs[rir_index])
            if speech_power is not None and before > 0:
                speech_power *= power(y) / before
        if u[1] < c.p_noise:
            y = mix_at_snr(y, noise, snr, speech_power)
        if u[2] < c.p_channel:  # the microphone hears the speech and the noise alike
            y = apply_channel(y, response)
        return gain(y, g)

    def background(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """A window of pure background noise at a random level."""
        noise = self.noise.sample(n, rng)
        return at_level(noise, rng.uniform(*self.config.background_dbfs))
