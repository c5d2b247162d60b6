"""Per-frame targets: where a streaming keyword model must fire, where it
must not, and where either is fine."""

import numpy as np

from voxgate import FrontendConfig
from voxgate_train.kws.targets import end_frame, frame_targets


def test_keyword_frames_fire_from_the_word_end_and_not_before():
    R, frames = 20, 100
    end = 160 * 60 + 480  # the clip's last sample lands in frame 60
    assert end_frame(np.array([end]), FrontendConfig())[0] == 60
    y, w = frame_targets(np.array([3]), np.array([end]), frames, R, negative_weight=2.0)
    t = np.arange(frames - R + 1) + R - 1
    on = (t >= 57) & (t <= 80)  # 30 ms lead, 200 ms after
    assert np.all(y[0][on] == 3) and np.all(w[0][on] == 1.0)
    before = t < 57 - 10
    assert np.all(y[0][before] == 1) and np.all(w[0][before] == 2.0)  # part of a word
    assert np.all(w[0][(t >= 47) & (t < 57)] == 0) and np.all(w[0][t > 80] == 0)


def test_other_windows_train_every_frame_as_their_class():
    y, w = frame_targets(np.array([0, 1]), np.array([-1, -1]), 50, 10, negative_weight=3.0)
    assert y.shape == w.shape == (2, 41)
    assert np.all(y[0] == 0) and np.all(y[1] == 1) and np.all(w == 3.0)
