"""Training features are the device's features: the same native frontend, cached."""

import numpy as np
import pytest

from voxgate import Frontend, FrontendConfig
from voxgate_train.data.features import FeatureExtractor, num_frames, samples_for_frames
from voxgate_train.errors import DataError


def speechlike(n, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / 16000
    x = 0.3 * np.sin(2 * np.pi * 220 * t * (1 + 0.2 * np.sin(3 * t))) + 0.02 * rng.normal(size=n)
    return np.round(x * 32767).astype(np.int16)


def test_bit_identical_to_frontend_and_cached(tmp_path):
    pcm = speechlike(16000)
    ex = FeatureExtractor(cache_dir=tmp_path)
    first = ex.features(pcm)
    expected = Frontend().process(pcm)
    assert first.dtype == np.int16 and first.shape == (98, 40)
    np.testing.assert_array_equal(first, expected)
    assert (ex.hits, ex.misses) == (0, 1)
    # A new extractor (a later run) reads the cache and computes nothing.
    again = FeatureExtractor(cache_dir=tmp_path)
    again.compute = None  # would fail if called
    np.testing.assert_array_equal(again.features(pcm), expected)
    assert (again.hits, again.misses) == (1, 0)


def test_cache_key_includes_frontend_config(tmp_path):
    pcm = speechlike(8000)
    FeatureExtractor(cache_dir=tmp_path).features(pcm)
    other = FeatureExtractor(FrontendConfig(num_channels=32), cache_dir=tmp_path)
    feats = other.features(pcm)
    assert other.misses == 1 and feats.shape[1] == 32
    np.testing.assert_array_equal(feats, Frontend(FrontendConfig(num_channels=32)).process(pcm))


def test_float_input_matches_int16():
    pcm = speechlike(4000)
    ex = FeatureExtractor(use_cache=False)
    np.testing.assert_array_equal(ex.features(pcm.astype(np.float32) / 32767), ex.features(pcm))


@pytest.mark.parametrize("n", [0, 479, 480, 639, 640, 16000, 16161])
def test_num_frames_matches_frontend(n):
    assert num_frames(n) == len(Frontend().process(np.zeros(n, np.int16)))


def test_samples_for_frames_is_the_minimum():
    for frames in (1, 2, 98):
        n = samples_for_frames(frames)
        assert num_frames(n) == frames and num_frames(n - 1) == frames - 1
    with pytest.raises(DataError):
        samples_for_frames(0)


def test_array_cache_misses_and_corrupt_entries(tmp_path):
    import warnings

    from voxgate_train.data.cache import ArrayCache

    for audio in (False, True):
        cache = ArrayCache(tmp_path / str(audio), audio=audio)
        key = "ab" * 32
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a plain miss is not "corrupt"
            assert cache.get(key) is None
        cache.put(key, np.arange(10, dtype=np.int16))
        np.testing.assert_array_equal(cache.get(key), np.arange(10))
        cache.path(key).write_bytes(b"junk")
        with pytest.warns(UserWarning, match="corrupt"):
            assert cache.get(key) is None
        assert key not in cache
