"""Features through the native frontend (bit-identical to the device), cached on
disk by audio hash + frontend config."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np

from voxgate import Frontend, FrontendConfig, to_int16

from ..errors import DataError
from .cache import ArrayCache, array_digest, cache_key, default_cache_dir


def num_frames(num_samples: int, config: FrontendConfig | None = None) -> int:
    """Frames the frontend makes from ``num_samples`` of audio from a fresh state:
    one per hop once a whole window is in (1 s -> 98 frames at 30 ms / 10 ms)."""
    config = config or FrontendConfig()
    window = config.sample_rate_hz * config.window_ms // 1000
    hop = config.sample_rate_hz * config.hop_ms // 1000
    return 0 if num_samples < window else 1 + (num_samples - window) // hop


def samples_for_frames(frames: int, config: FrontendConfig | None = None) -> int:
    """The fewest samples that make ``frames`` frames."""
    config = config or FrontendConfig()
    if frames < 1:
        raise DataError(f"a window needs at least one frame, got {frames}")
    window = config.sample_rate_hz * config.window_ms // 1000
    hop = config.sample_rate_hz * config.hop_ms // 1000
    return window + (frames - 1) * hop


def config_key(config: FrontendConfig) -> dict:
    return dataclasses.asdict(config)


class FeatureExtractor:
    """``features(pcm)`` -> int16 (frames, num_channels), from a fresh frontend state,
    cached under ``<cache_dir>/features/`` (key: audio hash + frontend config)."""

    def __init__(
        self,
        config: FrontendConfig | None = None,
        cache_dir: str | os.PathLike | None = None,
        use_cache: bool = True,
    ):
        self.config = config or FrontendConfig()
        self.frontend = Frontend(self.config)
        self.cache = (
            ArrayCache(Path(cache_dir or default_cache_dir()) / "features") if use_cache else None
        )
        self._config_key = config_key(self.config)
        #: cache lookups that found / did not find the features (for reports and tests)
        self.hits = self.misses = 0

    @property
    def num_channels(self) -> int:
        return self.frontend.num_channels

    def compute(self, pcm: np.ndarray) -> np.ndarray:
        """Features without the cache."""
        return self.frontend.features(to_int16(pcm))

    def features(self, pcm: np.ndarray) -> np.ndarray:
        pcm = to_int16(pcm)
        if self.cache is None:
            return self.compute(pcm)
        key = cache_key(["features", array_digest(pcm), self._config_key])
        cached = self.cache.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        self.misses += 1
        feats = self.compute(pcm)
        self.cache.put(key, feats)
        return feats
