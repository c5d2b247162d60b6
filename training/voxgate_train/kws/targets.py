"""Per-frame training targets for a streaming detector.

The model emits a prediction at every frame t >= R - 1 (R the receptive
field). A window that holds a keyword ending at sample ``end`` teaches:

  * the keyword for the frames from just before the word's last frame to
    ``positive_s`` after it (where a streaming detector should fire);
  * nothing (weight 0) a little before that, where only the tail of the word
    is missing, and after it, while the whole word is still in view: firing
    late is not an error, the detector's refractory time absorbs it;
  * ``_unknown_`` before the word: part of a keyword is not the keyword.

Every frame of every other window teaches that window's class (background
or unknown), so each window of real speech or music gives dozens of negative
frames, not one: false accepts per hour come from exactly such frames.
"""

from __future__ import annotations

import numpy as np

from voxgate import FrontendConfig

UNKNOWN = 1


def end_frame(end: np.ndarray, frontend: FrontendConfig) -> np.ndarray:
    """The first feature frame that holds sample ``end - 1``."""
    win = frontend.sample_rate_hz * frontend.window_ms // 1000
    hop = frontend.sample_rate_hz * frontend.hop_ms // 1000
    return np.maximum(0, -(-(end - win) // hop))


def frame_targets(
    labels: np.ndarray,
    ends: np.ndarray,
    frames: int,
    receptive_field: int,
    frontend: FrontendConfig | None = None,
    positive_s: float = 0.2,
    lead_s: float = 0.03,
    guard_s: float = 0.1,
    negative_weight: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``(targets, weights)``, each (N, frames - R + 1): the class and loss
    weight of every output frame of every window."""
    frontend = frontend or FrontendConfig()
    hop_s = frontend.hop_ms / 1000
    n_out = frames - receptive_field + 1
    t = np.arange(n_out)[None, :] + receptive_field - 1  # input frame of each output
    labels = np.asarray(labels, np.int32)[:, None]
    targets = np.broadcast_to(labels, (len(labels), n_out)).copy()
    weights = np.full(targets.shape, negative_weight, np.float32)
    kw = labels[:, 0] >= 2
    if np.any(kw):
        f = end_frame(np.asarray(ends)[kw], frontend)[:, None]
        lead, pos, guard = (round(s / hop_s) for s in (lead_s, positive_s, guard_s))
        tk = np.broadcast_to(t, (int(kw.sum()), n_out))
        on = (tk >= f - lead) & (tk <= f + pos)
        off = ((tk >= f - lead - guard) & (tk < f - lead)) | (tk > f + pos)
        tgt = np.where(on, labels[kw], UNKNOWN)
        w = np.where(on, 1.0, np.where(off, 0.0, negative_weight)).astype(np.float32)
        targets[kw], weights[kw] = tgt, w
    return targets, weights
