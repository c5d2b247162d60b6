"""The fixed-point audio frontend: 16 kHz PCM in, int16 log-mel frames out.

The same C code runs in training (through this class) and on device, so
features are bit-identical in both. See ``voxgate.h`` for the scale.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .audio import to_int16
from .native import check, ffi, lib

#: feature = round(FEATURE_SCALE * log2(mel power))
FEATURE_SCALE = lib.VOXGATE_FRONTEND_FEATURE_SCALE


@dataclasses.dataclass(frozen=True)
class FrontendConfig:
    """Frontend settings; the defaults match ``voxgate_frontend_default_config``."""

    sample_rate_hz: int = 16000
    window_ms: int = 30
    hop_ms: int = 10
    num_channels: int = 40
    lower_band_hz: int = 125
    upper_band_hz: int = 7500
    noise_reduction: bool = False
    nr_smoothing_bits: int = 6
    nr_min_signal_q14: int = 819
    pcan: bool = False
    pcan_strength_q15: int = 31130
    pcan_smoothing_bits: int = 5
    pcan_eps_log2: int = 10

    def to_c(self):
        c = ffi.new("voxgate_frontend_config *")
        for field in dataclasses.fields(self):
            setattr(c, field.name, int(getattr(self, field.name)))
        return c

    @classmethod
    def from_dict(cls, values: dict) -> FrontendConfig:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(values) - names
        if unknown:
            from .errors import ConfigError

            raise ConfigError(f"unknown frontend config keys: {sorted(unknown)}")
        return cls(**values)


class Frontend:
    """A streaming frontend. ``process`` takes any chunk size; the frames
    depend only on the audio, not on how it was split."""

    def __init__(self, config: FrontendConfig | None = None):
        self.config = config or FrontendConfig()
        c = self.config.to_c()
        out = ffi.new("voxgate_frontend **")
        check(lib.voxgate_frontend_create(c, out), "frontend")
        self._fe = ffi.gc(out[0], lib.voxgate_frontend_destroy)
        self.num_channels = lib.voxgate_frontend_num_channels(self._fe)
        self.hop_samples = lib.voxgate_frontend_hop_samples(self._fe)
        self.window_samples = lib.voxgate_frontend_window_samples(self._fe)
        self._consumed = ffi.new("size_t *")
        self._frames = ffi.new("size_t *")

    def process(self, pcm) -> np.ndarray:
        """Feed audio (int16, or float in [-1, 1]); returns the completed
        frames as an int16 array of shape (frames, num_channels)."""
        if (
            type(pcm) is np.ndarray
            and pcm.dtype == np.int16
            and pcm.ndim == 1
            and pcm.flags.c_contiguous
        ):
            samples = pcm  # the hot path of 10 ms chunks skips the checks
        else:
            samples = to_int16(pcm)
        n = samples.shape[0]
        # Frames this call can complete: one per hop, plus one for audio
        # already buffered from earlier calls.
        max_frames = n // self.hop_samples + 1
        out = np.empty((max_frames, self.num_channels), dtype=np.int16)
        src = ffi.from_buffer("int16_t[]", samples)
        dst = ffi.from_buffer("int16_t[]", out, require_writable=True)
        check(
            lib.voxgate_frontend_process(
                self._fe, src, n, dst, max_frames, self._consumed, self._frames
            ),
            "frontend",
        )
        # max_frames always has room for everything, so all audio is used.
        assert self._consumed[0] == n
        return out[: self._frames[0]]

    def reset(self) -> None:
        """Forget buffered audio and adaptive state; start a new stream."""
        check(lib.voxgate_frontend_reset(self._fe), "frontend")

    def features(self, pcm) -> np.ndarray:
        """Frames of a whole recording, from a fresh state."""
        self.reset()
        out = self.process(pcm)
        self.reset()
        return out

    @staticmethod
    def to_log_mel(features: np.ndarray) -> np.ndarray:
        """Features as natural-log mel power, float32."""
        return (features.astype(np.float32) / FEATURE_SCALE) * np.float32(np.log(2.0))
