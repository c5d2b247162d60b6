"""The pipeline's steps. Each takes the RunConfig and works in cfg.run_dir:

    data/      train/validation/test.npz + meta.json (build_dataset)
    float.weights.h5, qat.weights.h5      trained weights
    model.tflite, model.vgm     exports (the .vgm verified against LiteRT)
    report.json, det.csv, det.png

Features reach the Keras model as float int16_feature / FEATURE_SCALE (log2
mel power); the exported .vgm takes the int16 features (or audio) itself."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import numpy as np

from voxgate import FEATURE_SCALE

from ..data.fileio import atomic_write_bytes
from ..errors import TrainError
from .config import RunConfig


def write_report(path: Path, data) -> None:
    """report.json, atomically, keys in step order (save_json would sort them)."""
    atomic_write_bytes(path, (json.dumps(data, indent=2, default=float) + "\n").encode())


def speech_items(cfg: RunConfig, progress: bool = True):
    """Synthesized keyword / confusable / unrelated clips (cached) plus any
    real manifests the config names."""
    from ..data.readers import read_manifest
    from ..synth.engines import available_engines
    from ..synth.runner import Synthesizer, SynthPlan, plan_jobs

    engines = available_engines(tuple(cfg.engines))
    if not engines:
        raise TrainError(f"none of the speech engines {cfg.engines} is installed")
    missing = not_installed(cfg)
    if missing:  # the run goes on, but it is not the run the config describes
        print(f"[voxgate-train] not installed, so left out: {', '.join(missing)} "
              "(`make setup-train` installs them)", file=sys.stderr, flush=True)  # fmt: skip
    plan = SynthPlan(
        max_voices_per_engine=cfg.max_voices_per_engine,
        keyword_takes_per_voice=cfg.keyword_takes_per_voice,
        min_takes_per_engine=min(60, cfg.max_voices_per_engine * cfg.keyword_takes_per_voice),
        prose_takes_per_voice=cfg.prose_takes_per_voice,
        carrier_takes_per_voice=cfg.carrier_takes_per_voice,
        word_takes_per_voice=cfg.word_takes_per_voice,
    )
    jobs = plan_jobs(cfg.keywords, engines, plan, seed=cfg.seed)
    items = Synthesizer(engines, workers=cfg.workers).run(jobs, progress=progress)
    for manifest in cfg.real_manifests:
        items += list(read_manifest(manifest))
    if cfg.real_folders:
        items += real_items(cfg)
    if cfg.noise_floor_folders:
        from .negatives import noise_floors

        items += noise_floors(real_items(cfg, cfg.noise_floor_folders), cfg.window_s + 0.5)
    if cfg.long_negatives:
        from .negatives import training_negatives

        items += training_negatives(cfg.real_root, seconds=cfg.window_s + 0.5)
    return items


def not_installed(cfg: RunConfig) -> list[str]:
    """What the config asks for that this machine lacks: speech engines,
    and the game music the long negatives and the real test play."""
    from ..synth.engines import get_engine
    from .negatives import music_files

    out = [f"{n} voices" for n in cfg.engines if not get_engine(n).available()]
    if cfg.long_negatives and not music_files(evaluation=False):
        out.append("game music (kws.negatives.MUSIC_GLOBS)")
    return out


def says_a_keyword(cfg: RunConfig, label: str) -> bool:
    """Whether a real clip's label holds one of the run's keywords."""
    label = label.lower()
    return any(" ".join(k.lower().split()) in label for k in cfg.keywords)


def mined_path(cfg: RunConfig) -> Path:
    """Where the mine step keeps its windows (kws.mining)."""
    return cfg.run_dir / "data" / "mined.npz"


def real_items(cfg: RunConfig, folders=None):
    """Clips of the chosen shared folders (default real_folders) and
    contributors, minus any that say a keyword: real keyword recordings are
    kept for evaluation, never trained on."""
    from ..data.readers import read_real

    folders = cfg.real_folders if folders is None else folders
    keep = [i for i in read_real(cfg.real_root)
            if i.meta.get("corpus") in folders and cfg.trains_on(i)
            and not says_a_keyword(cfg, i.label)]  # fmt: skip
    if not keep:
        raise TrainError(
            f"no clips found in real folders {folders} (contributors {cfg.real_contributors})"
        )
    return keep


def step_synth(cfg: RunConfig, progress: bool = True) -> dict:
    items = speech_items(cfg, progress)
    return {"clips": len(items), "not_installed": not_installed(cfg)}


def step_data(cfg: RunConfig, progress: bool = True) -> dict:
    from ..data.dataset import DatasetConfig, build_dataset

    items = speech_items(cfg, progress)
    # Keywords end anywhere that leaves the model a whole view of them and of
    # the frames after: at least R + 10 frames from the window's start.
    fe = cfg.frontend_config()
    frames_s = (receptive_field_of(cfg) + 10) * fe.hop_ms / 1000 + fe.window_ms / 1000
    latest = max(0.2, round(cfg.window_s - frames_s, 2))
    dcfg = DatasetConfig(
        window_s=cfg.window_s, end_margin_s=(0.0, latest), keyword_copies=cfg.keyword_copies,
        max_unknown_items=cfg.max_unknown_items,
        augment=cfg.augment_config(),
    )  # fmt: skip
    rirs = []
    if cfg.rir_count > 0:
        from ..augment.reverb import build_rir_bank

        rirs = build_rir_bank(cfg.rir_count, seed=cfg.seed, progress=progress)
    meta = build_dataset(
        cfg.classes_after_background, items, cfg.run_dir / "data", dcfg, frontend=fe,
        rirs=rirs, seed=cfg.seed, workers=cfg.workers, progress=progress,
    )  # fmt: skip
    return {"rendered": meta.get("rendered"), "classes": meta.get("classes"),
            "rirs": meta.get("rirs")}  # fmt: skip


def _xy(cfg: RunConfig, split: str):
    """Features as the Keras model takes them, and each window's class."""
    from ..data.dataset import load_xy

    x, y = load_xy(cfg.run_dir / "data", split)
    return (x.astype(np.float32) / FEATURE_SCALE)[:, :, None, :], y.astype(np.int32)


def _xyw(cfg: RunConfig, split: str, R: int):
    """Features, per-frame targets and per-frame loss weights (kws.targets);
    the train split includes mined hard negatives when there are any."""
    from ..data.dataset import load_split
    from .targets import frame_targets

    d = load_split(cfg.run_dir / "data" / f"{split}.npz")
    mined = mined_path(cfg)
    if split == "train" and mined.is_file():  # hard negatives (kws.mining)
        m = load_split(mined)
        keys = ("features", "labels", "ends")
        d = {k: np.concatenate([d[k]] + [m[k]] * cfg.mined_copies) for k in keys}
    x = (d["features"].astype(np.float32) / FEATURE_SCALE)[:, :, None, :]
    y, w = frame_targets(d["labels"], d["ends"], x.shape[1], R,
                         negative_weight=cfg.negative_weight)  # fmt: skip
    return x, y, w


def _meta(cfg: RunConfig) -> dict:
    meta = cfg.run_dir / "data" / "meta.json"
    if not meta.is_file():
        raise TrainError(f"{meta} not found: run the data step first")
    data = json.loads(meta.read_text())
    # Features of another frontend would train or export a model the device
    # feeds with different numbers.
    from ..data.features import config_key

    want, have = config_key(cfg.frontend_config()), data.get("frontend") or {}
    if have != want:
        changed = sorted(k for k in want if have.get(k) != want[k])
        raise TrainError(
            f"{meta} was made with another frontend (differs in {changed}): run the data step again"
        )
    return data


def _classes(cfg: RunConfig) -> list[str]:
    return _meta(cfg)["classes"]


def _frames(cfg: RunConfig) -> int:
    """Feature frames per dataset window (without loading a split)."""
    return int(_meta(cfg)["frames"])


def receptive_field_of(cfg: RunConfig) -> int:
    """The run's model's receptive field in frames (classes do not change it)."""
    from ..model.kws import receptive_field

    return receptive_field(model_config(cfg, len(cfg.keywords) + 2))


def model_config(cfg: RunConfig, num_classes: int, qat: bool = False):
    from ..model.kws import KWSConfig

    return KWSConfig(
        num_classes=num_classes, width=cfg.width, blocks=tuple(map(tuple, cfg.blocks)),
        weight_bits=cfg.weight_bits, quantizer=cfg.quantizer,
    )  # fmt: skip


def spec_augment(x, y, freq_masks: int = 2, freq_width: int = 6, time_width: int = 8):
    """SpecAugment-style masking of a training batch (float features): bands
    of mel channels and short spans of frames set to the batch's minimum,
    so the model cannot lean on one band or one instant of one voice."""
    import tensorflow as tf

    shape = tf.shape(x)
    n, t, c = shape[0], shape[1], shape[3]
    floor = tf.reduce_min(x)
    keep = tf.ones_like(x, dtype=tf.bool)
    chans = tf.range(c)[None, None, None, :]
    for _ in range(freq_masks):
        w = tf.random.uniform([n, 1, 1, 1], 0, freq_width + 1, tf.int32)
        f0 = tf.random.uniform([n, 1, 1, 1], 0, c - freq_width, tf.int32)
        keep &= ~((chans >= f0) & (chans < f0 + w))
    frames = tf.range(t)[None, :, None, None]
    w = tf.random.uniform([n, 1, 1, 1], 0, time_width + 1, tf.int32)
    t0 = tf.random.uniform([n, 1, 1, 1], 0, t - time_width, tf.int32)
    keep &= ~((frames >= t0) & (frames < t0 + w))
    return tf.where(keep, x, floor), y


def _fit(
    cfg: RunConfig, model, epochs: int, lr: float, progress: bool, callbacks=(), patience=None
) -> dict:
    """Trains every output frame against kws.targets, with SpecAugment masking
    and a cosine learning-rate decay; with a validation split, keeps the
    weights of the epoch with the best validation loss, and stops after
    `patience` epochs without a better one (default: a third of the epochs)."""
    import keras
    import tensorflow as tf

    from ..model.kws import receptive_field

    R = receptive_field(model.kws_config)
    x, y, weights = _xyw(cfg, "train", R)
    xv, yv, wv = _xyw(cfg, "validation", R)
    steps = max(1, epochs * int(np.ceil(len(x) / cfg.batch_size)))
    schedule = keras.optimizers.schedules.CosineDecay(lr, steps, alpha=0.05)
    model.compile(
        optimizer=keras.optimizers.AdamW(
            schedule, weight_decay=1e-4, use_ema=cfg.ema_momentum > 0,
            ema_momentum=cfg.ema_momentum or 0.99,  # unused when off
        ),
        loss="sparse_categorical_crossentropy", weighted_metrics=["accuracy"],
    )  # fmt: skip
    data = (
        tf.data.Dataset.from_tensor_slices((x, y, weights))
        .shuffle(len(x), seed=cfg.seed, reshuffle_each_iteration=True)
        .batch(cfg.batch_size)
        # sequential: stateful random ops in a parallel map draw in thread
        # order, so the same seed trained different models
        .map(lambda a, b, w: (*spec_augment(a, b), w))
        .prefetch(2)
    )
    callbacks = list(callbacks)
    if len(xv):
        patience = max(2, epochs // 3) if patience is None else patience
        # with EMA the averaged weights are the result (fit ends by writing
        # them in); restoring the best epoch's raw weights would undo that
        stop = keras.callbacks.EarlyStopping(
            "val_loss", patience=patience, restore_best_weights=not cfg.ema_momentum
        )
        callbacks.append(stop)
    hist = model.fit(
        data, validation_data=(xv, yv, wv) if len(xv) else None, epochs=epochs,
        verbose=2 if progress else 0, callbacks=callbacks,
    )  # fmt: skip
    out = {k: float(v[-1]) for k, v in hist.history.items()}
    if cfg.ema_momentum and len(xv):  # the history scored the raw weights
        ev = model.evaluate(xv, yv, sample_weight=wv, verbose=0, return_dict=True)
        out.update({f"ema_val_{k}": float(v) for k, v in ev.items()})
    if "val_loss" in hist.history:
        best = int(np.argmin(hist.history["val_loss"]))
        out.update(best_epoch=best + 1, best_val_loss=float(hist.history["val_loss"][best]))
        if "val_accuracy" in hist.history:
            out["best_val_accuracy"] = float(hist.history["val_accuracy"][best])
    return out


def step_train(cfg: RunConfig, progress: bool = True) -> dict:
    import keras

    from ..model.kws import build_kws

    keras.utils.set_random_seed(cfg.seed)
    model = build_kws(model_config(cfg, len(_classes(cfg))), _frames(cfg))
    metrics = _fit(cfg, model, cfg.epochs, cfg.learning_rate, progress)
    _save(model, cfg.run_dir / "float.weights.h5")
    return {"float": metrics, "params": int(model.count_params())}


def step_finetune(cfg: RunConfig, progress: bool = True) -> dict:
    """Trains the float model again, from its own weights, with the windows
    the mine step found where it fired (train, mine, train again): a fresh
    cosine schedule from learning_rate * finetune_lr_scale."""
    import keras

    if not mined_path(cfg).is_file():
        raise TrainError("no mined windows (data/mined.npz): run the mine step first")
    keras.utils.set_random_seed(cfg.seed + 1)  # not the first run's shuffle
    model = load_model(cfg, "float", _frames(cfg))
    lr = cfg.learning_rate * cfg.finetune_lr_scale
    # no early stop: a restarted schedule is worse before it decays (the
    # first try stopped after 3 of 8 epochs and kept the first)
    metrics = _fit(cfg, model, cfg.finetune_epochs, lr, progress, patience=cfg.finetune_epochs)
    _save(model, cfg.run_dir / "float.weights.h5")
    return {"float": metrics}


def _save(model, path: Path) -> None:
    tmp = path.with_name(".tmp." + path.name)
    model.save_weights(tmp)
    os.replace(tmp, path)


def load_model(cfg: RunConfig, which: str, time_frames: int | None = None):
    """The float or QAT Keras model of this run for `time_frames` input frames
    (None: any length): rebuilt from the config, then its weights."""
    from ..model.kws import build_kws

    path = cfg.run_dir / f"{which}.weights.h5"
    if not path.is_file():
        raise TrainError(f"{path} not found: run the {which} step first")
    model = build_kws(model_config(cfg, len(_classes(cfg))), time_frames, qat=which == "qat")
    model.load_weights(path)
    return model


def step_qat(cfg: RunConfig, progress: bool = True) -> dict:
    import keras

    from ..model.kws import build_kws
    from ..qat.export import copy_float_to_qat
    from ..qat.layers import freeze_bn

    keras.utils.set_random_seed(cfg.seed)
    frames = _frames(cfg)
    qat = build_kws(model_config(cfg, len(_classes(cfg))), frames, qat=True)
    copy_float_to_qat(load_model(cfg, "float", frames), qat)
    after = cfg.qat_freeze_bn_after

    def freeze(epoch, logs=None):
        if after is not None and epoch >= after:
            freeze_bn(qat)

    hook = keras.callbacks.LambdaCallback(on_epoch_begin=freeze)
    lr = cfg.learning_rate * cfg.qat_lr_scale
    metrics = _fit(cfg, qat, cfg.qat_epochs, lr, progress, [hook])
    _save(qat, cfg.run_dir / "qat.weights.h5")
    return {"qat": metrics}


def _int8_frames(feats: np.ndarray, s_in: float, z_in: int) -> np.ndarray:
    q = np.round(feats.astype(np.float64) / FEATURE_SCALE / s_in) + z_in
    return np.clip(q, -128, 127).astype(np.int8)


def write_vgm(cfg: RunConfig, data: bytes, bits: list[int], thresholds=None) -> dict:
    """model.tflite -> model.vgm at `bits`, verified against LiteRT on held-out
    test windows streamed back to back; nothing is written if they disagree.
    Returns the measured parity (int8 LSB)."""
    from ..data.dataset import load_xy
    from ..export import from_tflite

    feats, _ = load_xy(cfg.run_dir / "data", "test")
    s_in, z_in = from_tflite.convert(data).meta["input_quant"]
    frames = _int8_frames(feats[:20].reshape(-1, feats.shape[-1]), s_in, int(z_in))
    meta = {"task": "kws", "output_temperature": float(cfg.output_temperature)}
    if thresholds is not None:
        # a threshold means something only with the rule it was set for
        meta["thresholds"] = [float(t) for t in thresholds]
        meta["smooth_frames"] = int(cfg.smooth_frames)
        meta["refractory_ms"] = round(cfg.refractory_s * 1000)
    p = from_tflite.export(
        data, cfg.run_dir / "model.vgm", frames, bits=bits, labels=_classes(cfg),
        name="-".join(cfg.keywords), frontend=cfg.frontend_config(),
        feature_scale=1.0 / FEATURE_SCALE, meta=meta,
    )  # fmt: skip
    return dataclasses.asdict(p)


def step_export(cfg: RunConfig, progress: bool = True) -> dict:
    from ..export.keras_tflite import to_int8_tflite
    from ..export.regrid import regrid
    from ..model.kws import receptive_field
    from ..qat.export import fold_and_snap

    classes = _classes(cfg)
    mcfg = model_config(cfg, len(classes))
    R = receptive_field(mcfg)
    window, bits = fold_and_snap(load_model(cfg, "qat", None), R, cfg.output_temperature)
    bits = list(bits.values())  # graph order, as the exporter counts layers
    x, _ = _xy(cfg, "train")
    rng = np.random.default_rng(cfg.seed)

    def representative():
        for i in rng.choice(len(x), min(200, len(x)), replace=False):
            start = int(rng.integers(0, x.shape[1] - R + 1))
            yield [x[i : i + 1, start : start + R]]

    # On the QAT grid in int8 form, so LiteRT runs what the .vgm runs.
    data = regrid(to_int8_tflite(window, representative), bits)
    (cfg.run_dir / "bits.json").write_text(json.dumps([int(b) for b in bits]) + "\n")
    atomic_write_bytes(cfg.run_dir / "model.tflite", data)
    parity = write_vgm(cfg, data, [int(b) for b in bits])
    size = (cfg.run_dir / "model.vgm").stat().st_size
    return {"receptive_field": R, "bits": list(map(int, bits)), "parity_lsb": parity,
            "vgm_bytes": size, "tflite_bytes": len(data)}  # fmt: skip
