"""Quantizer comparison and per-layer bit-width search on one evaluation
(the run's test split, frame accuracy weighted as in training), as MQBench and MOHAQ ask:

  quantizers: tanh vs min-max vs learned step size at 8/5/4/3/2 bits, each
              as copied from the float weights (QAT's starting point) and
              after a short QAT fine-tune from them;
  bitsearch:  greedy per-layer widths (qat.compare.greedy_bit_search) for
              weights only, judged without retraining on a fixed subset of
              the validation split, against packed size.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .config import RunConfig

BITS = (8, 5, 4, 3, 2)


def _frame_accuracy(p, y, w) -> float:
    """Per-frame accuracy of probabilities `p` under the training weights (kws.targets)."""
    return float(np.sum(w * (np.argmax(p, axis=-1) == y)) / max(np.sum(w), 1e-9))


def _accuracy(model, x, y, w) -> float:
    return _frame_accuracy(np.asarray(model.predict(x, batch_size=256, verbose=0)), y, w)


def _loss(p, y, w) -> float:
    """Cross-entropy of probabilities `p` under the training weights."""
    picked = np.take_along_axis(np.asarray(p), y[..., None].astype(int), axis=-1)[..., 0]
    return float(np.sum(w * -np.log(np.maximum(picked, 1e-7))) / max(np.sum(w), 1e-9))


def _scores(model, x, y, w) -> tuple[float, float]:
    """(loss, frame accuracy) of `model` on (x, y, w)."""
    p = np.asarray(model.predict(x, batch_size=256, verbose=0))
    return _loss(p, y, w), _frame_accuracy(p, y, w)


def _as_copied(qat, calib, test) -> tuple[float, float]:
    """(loss, accuracy) of a QAT model straight after copy_float_to_qat: the
    activation ranges are set on `calib` windows with batch norm frozen (its
    statistics stay the float model's), then unfrozen for any fine-tune,
    which so starts from calibrated ranges rather than its first batch's."""
    from ..qat.layers import freeze_bn

    freeze_bn(qat)
    for i in range(0, len(calib), 128):
        qat(calib[i : i + 128], training=True)
    freeze_bn(qat, False)
    return _scores(qat, *test)


def step_quantizers(cfg: RunConfig, progress: bool = True) -> dict:
    import keras

    from ..model.kws import build_kws
    from ..qat.compare import layer_errors
    from ..qat.export import copy_float_to_qat
    from .steps import _classes, _fit, _xyw, load_model, model_config, receptive_field_of

    epochs = cfg.quantizer_epochs
    test = _xyw(cfg, "test", receptive_field_of(cfg))
    calib = _xyw(cfg, "validation", receptive_field_of(cfg))[0][:2048]
    frames = test[0].shape[1]
    float_model = load_model(cfg, "float", frames)
    loss, acc = _scores(float_model, *test)
    out = {"float_accuracy": acc, "float_loss": loss, "qat_epochs": epochs}
    errors = layer_errors(float_model)
    out["weight_error"] = {  # mean over layers of relative L2 error
        m: {b: float(np.mean([e[m][b] for e in errors.values()])) for b in BITS}
        for m in ("tanh", "minmax", "lsq")
    }
    table, copied = {}, {}
    for method in ("tanh", "minmax", "lsq"):
        for bits in BITS:
            key = f"{method}/{bits}"
            keras.utils.set_random_seed(cfg.seed)
            run = dataclasses.replace(cfg, weight_bits=bits, quantizer=method)
            qat = build_kws(model_config(run, len(_classes(cfg))), frames, qat=True)
            copy_float_to_qat(float_model, qat)
            loss, acc = _as_copied(qat, calib, test)
            copied[key] = {"loss": loss, "accuracy": acc}
            if epochs:
                _fit(run, qat, epochs, cfg.learning_rate * cfg.qat_lr_scale, False)
                table[key] = _accuracy(qat, *test)
            if progress:
                after = f", after QAT {table[key]:.4f}" if epochs else ""
                print(f"quantizer {key}: as copied loss {loss:.3f} accuracy {acc:.4f}{after}")
    out["as_copied"] = copied
    if epochs:
        out["qat_accuracy"] = table
    return out


def _subset(arrays, count: int, seed: int):
    """The same `count` windows of each array (seeded): the greedy search
    evaluates hundreds of candidates, so each must be cheap."""
    n = len(arrays[0])
    if n <= count:
        return arrays
    keep = np.sort(np.random.default_rng(seed).choice(n, count, replace=False))
    return tuple(a[keep] for a in arrays)


def step_bitsearch(
    cfg: RunConfig, progress: bool = True, max_drop: float = 0.01, max_windows: int = 512
) -> dict:
    from ..model.kws import build_kws
    from ..qat.compare import folded_kernels, greedy_bit_search, weight_bytes
    from ..qat.export import copy_float_to_qat
    from ..qat.layers import set_act_quant
    from .steps import _classes, _xyw, load_model, model_config, receptive_field_of

    x, y, w = _subset(_xyw(cfg, "validation", receptive_field_of(cfg)), max_windows, cfg.seed)
    float_model = load_model(cfg, "float", x.shape[1])
    names = model_config(cfg, len(_classes(cfg))).weight_layers
    counts = {k: int(np.prod(w.shape)) for k, (w, _) in folded_kernels(float_model).items()}

    # One QAT model, its widths changed in place and run eagerly: rebuilding
    # and retracing a model per candidate made the search take hours.
    qat = build_kws(model_config(cfg, len(_classes(cfg))), x.shape[1], qat=True)
    copy_float_to_qat(float_model, qat)
    set_act_quant(qat, False)  # weights only: activations stay 8-bit anyway
    layers = {n: qat.get_layer(n) for n in names}

    def evaluate(bits: dict[str, int]) -> float:
        for name, layer in layers.items():
            layer.bits = int(bits.get(name, 8))
            layer.reset_quantizer()  # LSQ: a step for the new width
        p = np.concatenate([np.asarray(qat(x[i : i + 128], training=False))
                            for i in range(0, len(x), 128)])  # fmt: skip
        return _frame_accuracy(p, y, w)

    result = greedy_bit_search(
        evaluate, names, lambda b: weight_bytes(counts, b), start_bits=8, min_bits=2,
        max_drop=max_drop,
    )  # fmt: skip
    if progress:
        print(f"bit search: {result.bits} accuracy {result.accuracy:.4f} size {result.size:.0f} B")
    return {"bits": result.bits, "accuracy": result.accuracy,
            "start_accuracy": result.start_accuracy, "weight_bytes": result.size,
            "windows": len(x),
            "bytes_at_8_bits": weight_bytes(counts, dict.fromkeys(names, 8)),
            "history": [list(h) for h in result.history]}  # fmt: skip
