"""Run settings that shape the training data."""

import pytest

from voxgate_train.augment.chain import AugmentConfig
from voxgate_train.errors import AugmentError
from voxgate_train.kws.config import RunConfig, load_config


def test_default_gain_is_the_augmenters_default():
    # A config written before gain_db existed must render the same windows.
    assert RunConfig(["computer"]).augment_config() == AugmentConfig()


def test_gain_range_from_a_config_file_reaches_the_augmenter(tmp_path):
    path = tmp_path / "run.json"
    RunConfig(["computer"], gain_db=[-30.0, 3.0]).save(path)
    assert load_config(path).augment_config().gain_db == (-30.0, 3.0)


def test_a_reversed_gain_range_is_refused():
    with pytest.raises(AugmentError, match="gain_db"):
        RunConfig(["computer"], gain_db=[3.0, -30.0]).augment_config()


def test_an_ema_momentum_outside_0_1_is_refused():
    from voxgate_train.errors import TrainError

    with pytest.raises(TrainError, match="ema_momentum"):
        RunConfig(["computer"], ema_momentum=1.0)


def test_frontend_settings_from_a_config_file_reach_the_features(tmp_path):
    from voxgate import FrontendConfig

    assert RunConfig(["computer"]).frontend_config() == FrontendConfig()  # older configs
    path = tmp_path / "run.json"
    RunConfig(["computer"], frontend={"pcan": True}).save(path)
    assert load_config(path).frontend_config() == FrontendConfig(pcan=True)


def test_an_unknown_frontend_setting_is_refused():
    from voxgate_train.errors import TrainError

    with pytest.raises(TrainError, match="pcn"):
        RunConfig(["computer"], frontend={"pcn": True}).frontend_config()


def test_a_run_names_what_its_config_asks_for_and_this_machine_lacks(tmp_path, monkeypatch):
    """A config written on a machine with every voice and the game music
    trains a different model where some are missing: the run says which."""
    from voxgate_train.kws import negatives
    from voxgate_train.kws.steps import not_installed
    from voxgate_train.synth.engines import ENGINES

    monkeypatch.setattr(ENGINES["flite"], "available", lambda self: False)
    monkeypatch.setattr(negatives, "MUSIC_GLOBS", (str(tmp_path / "*.ogg"),))
    cfg = RunConfig(["computer"], engines=["flite"], long_negatives=True)
    assert not_installed(cfg) == ["flite voices", "game music (kws.negatives.MUSIC_GLOBS)"]
    # one song of the training half installed: nothing is missing
    song = next(f"song{i}.ogg" for i in range(100) if not negatives.held_out(f"song{i}.ogg"))
    (tmp_path / song).write_bytes(b"")
    assert not_installed(RunConfig(["computer"], engines=[], long_negatives=True)) == []
