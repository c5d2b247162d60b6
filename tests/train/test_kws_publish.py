"""The model card credits exactly the data a run trained on."""

from voxgate_train.kws.config import RunConfig
from voxgate_train.kws.publish import license_note


def test_license_note_names_only_the_folders_trained_on():
    without = license_note(RunConfig(["computer"], real_folders=["fsdd"]))
    assert "Free Spoken Digit Dataset" in without
    assert "Mycroft Precise community data" not in without
    assert "LibriSpeech subset's speakers" not in without
    both = license_note(RunConfig(["computer"], real_folders=["mycroft"], long_negatives=True))
    assert "Mycroft Precise community data other than 'computer'" in both
    assert "half of the LibriSpeech subset's speakers" in both
    assert "Free Spoken Digit Dataset" not in both
    some = license_note(RunConfig(["computer"], real_folders=["mycroft"],
                                  real_contributors={"mycroft": ["amelia", "jarbas"]}))  # fmt: skip
    assert "other than 'computer' (public domain), the clips of amelia, jarbas" in some


def test_license_note_names_the_engines_trained_with():
    note = license_note(RunConfig(["computer"], engines=["espeak", "kokoro-mix"]))
    assert "(espeak-ng, Kokoro-82M blends of three voice packs;" in note
    assert "piper" not in license_note(RunConfig(["computer"], engines=["espeak", "flite"]))


def test_reproduce_names_only_the_steps_the_run_took():
    from voxgate_train.kws.publish import _reproduce

    lines = _reproduce({"train": {}, "realtest": {}}, "models/x.json")
    assert "voxgate-train kws --config models/x.json --step realtest --step publish" in lines
    mined = "\n".join(_reproduce({"mine": {}}, "models/x.json"))
    assert "--step mine --step train" in mined


def test_reproduce_keeps_the_order_of_a_mined_run():
    from voxgate_train.kws.publish import _reproduce

    steps = ["data", "train", "mine", "qat", "export", "evaluate", "realtest", "publish"]
    text = "\n".join(_reproduce({"mine": {}, "steps": steps}, "models/x.json"))
    assert ("--step data --step train --step mine --step qat --step export --step evaluate "
            "--step realtest --step publish") in text  # fmt: skip
    assert "fine-tuned by QAT" in text
    twice = ["data", "train", "mine", "train", "qat"]
    assert "model trained on" in "\n".join(_reproduce({"mine": {}, "steps": twice}, "x.json"))


def test_reproduce_runs_a_rerun_tail_once():
    """QAT redone with another quantizer on the same float model: the second
    pass overwrote the first, so the command lists it once; a train after
    mine is not a rerun and stays."""
    from voxgate_train.kws.publish import _reproduce

    tail = ["qat", "export", "evaluate"]
    steps = ["data", "train", "mine", *tail, *tail, "publish"]
    text = "\n".join(_reproduce({"mine": {}, "steps": steps}, "x.json"))
    assert "--step mine --step qat --step export --step evaluate --step publish" in text
    steps = ["data", "train", "mine", "train", "qat", "qat"]
    text = "\n".join(_reproduce({"mine": {}, "steps": steps}, "x.json"))
    assert "--step train --step mine --step train --step qat --step publish" in text
