"""Simulated room reverberation: a bank of room impulse responses (RIRs) from random
shoebox rooms (pyroomacoustics image-source method), built once and cached."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
from scipy import signal

from ..data.cache import cache_key, default_cache_dir
from ..data.fileio import save_npz
from ..errors import AugmentError
from .perturb import SAMPLE_RATE_HZ, as_float, keep_level


@dataclasses.dataclass(frozen=True)
class RoomRanges:
    """Ranges rooms are drawn from (uniformly)."""

    length_m: tuple[float, float] = (3.0, 10.0)
    width_m: tuple[float, float] = (2.5, 8.0)
    height_m: tuple[float, float] = (2.4, 4.0)
    rt60_s: tuple[float, float] = (0.15, 0.8)
    #: sources and microphones stay at least this far from walls
    wall_margin_m: float = 0.4
    #: longest kept RIR; the tail beyond holds little energy for rt60 <= 0.8 s
    max_len_s: float = 1.0


def simulate_rir(rng: np.random.Generator, ranges: RoomRanges = RoomRanges()) -> np.ndarray:
    """One RIR (float32, 16 kHz, peak 1) from a random room, source and microphone."""
    import pyroomacoustics as pra

    dims = np.array([rng.uniform(*ranges.length_m), rng.uniform(*ranges.width_m),
                     rng.uniform(*ranges.height_m)])  # fmt: skip
    rt60 = rng.uniform(*ranges.rt60_s)
    try:
        absorption, max_order = pra.inverse_sabine(rt60, dims)
    except ValueError:
        # The room is too small for this rt60 at any absorption: reverberate less.
        absorption, max_order = pra.inverse_sabine(ranges.rt60_s[0], dims)
    room = pra.ShoeBox(dims, fs=SAMPLE_RATE_HZ, materials=pra.Material(absorption),
                       max_order=int(max_order))  # fmt: skip
    m = ranges.wall_margin_m

    def point():
        return [rng.uniform(m, d - m) for d in dims[:2]] + [rng.uniform(0.8, min(2.0, dims[2] - m))]

    room.add_source(point())
    room.add_microphone(point())
    room.compute_rir()
    rir = np.asarray(room.rir[0][0], dtype=np.float64)[: int(ranges.max_len_s * SAMPLE_RATE_HZ)]
    return (rir / np.max(np.abs(rir))).astype(np.float32)


def build_rir_bank(
    count: int = 64,
    seed: int = 0,
    ranges: RoomRanges = RoomRanges(),
    cache_dir: str | os.PathLike | None = None,
    progress: bool = True,
) -> list[np.ndarray]:
    """``count`` RIRs, loaded from ``<cache_dir>/rir/<key>.npz`` if an earlier call
    made the same bank (key: count, seed, ranges, pyroomacoustics version)."""
    import pyroomacoustics as pra

    if count < 1:
        raise AugmentError(f"RIR bank size must be >= 1, got {count}")
    key = cache_key(["rir-bank", count, seed, dataclasses.asdict(ranges), pra.__version__])
    path = Path(cache_dir or default_cache_dir()) / "rir" / f"{key}.npz"
    if path.is_file():
        with np.load(path) as z:
            return [z[f"rir{i}"] for i in range(count)]
    rng = np.random.default_rng(seed)
    it = range(count)
    if progress:
        from tqdm import tqdm

        it = tqdm(it, desc="room impulse responses", unit="rir")
    rirs = [simulate_rir(rng, ranges) for _ in it]
    save_npz(path, **{f"rir{i}": r for i, r in enumerate(rirs)})
    return rirs


def apply_rir(x: np.ndarray, rir: np.ndarray) -> np.ndarray:
    """Reverberate ``x``: convolve, advance by the direct-path delay so the speech
    keeps its position in the window, keep the length and the RMS level."""
    x = as_float(x)
    rir = np.asarray(rir, dtype=np.float32)
    if rir.ndim != 1 or len(rir) == 0:
        raise AugmentError(f"RIR must be a non-empty 1-D array, got shape {rir.shape}")
    if len(x) == 0:
        return x.copy()
    delay = int(np.argmax(np.abs(rir)))
    y = signal.fftconvolve(x, rir)[delay : delay + len(x)].astype(np.float32)
    return keep_level(x, y)
