"""Compare weight quantizers, and choose a bit width per layer.

`quantization_error` measures ||Q(w) - w|| / ||w|| for one kernel;
`layer_errors` tabulates it for every weight layer of a model (BN folded)
over methods x bits. LSQ is measured at its initial step (2 mean|w| /
sqrt(qmax)), i.e. before the step is learned, so it is pessimistic.

`greedy_bit_search` is a MOHAQ-like greedy descent: from `start_bits`
everywhere, repeatedly lower by one bit the layer whose reduction costs the
least accuracy per byte saved, as long as accuracy stays within `max_drop`
of the starting accuracy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from keras import ops

from .quantizers import METHODS, quantize_weights

DEFAULT_BITS = (8, 5, 4, 3, 2)


def quantization_error(weights, bits: int, method: str, axis: int = -1) -> float:
    """Relative L2 error of per-channel (along `axis`) fake quantization."""
    w = np.asarray(weights, np.float32)
    q = np.asarray(ops.convert_to_numpy(quantize_weights(w, bits, method, axis)))
    norm = float(np.linalg.norm(w))
    return float(np.linalg.norm(q - w) / norm) if norm > 0 else 0.0


def folded_kernels(model) -> dict[str, tuple[np.ndarray, int]]:
    """{layer: (BN-folded kernel, channel axis)} for the weight layers of a
    float or QAT KWS model, in graph order."""
    from .export import fold_bn
    from .layers import QConv

    config = getattr(model, "kws_config", None)
    out = {}
    for layer in model.layers:
        if isinstance(layer, QConv):
            out[layer.name] = (np.asarray(layer.folded()[0]), layer.channel_axis)
        elif config is not None and layer.name in config.weight_layers:
            depthwise = layer.__class__.__name__ == "DepthwiseConv2D"
            out[layer.name] = (fold_bn(model, layer.name)[0], 2 if depthwise else -1)
    return out


def layer_errors(
    model, methods: Sequence[str] = METHODS, bits: Sequence[int] = DEFAULT_BITS
) -> dict[str, dict[str, dict[int, float]]]:
    """{layer: {method: {bits: relative L2 error}}} of the folded kernels."""
    return {
        name: {m: {b: quantization_error(w, b, m, axis) for b in bits} for m in methods}
        for name, (w, axis) in folded_kernels(model).items()
    }


def format_errors(table: Mapping[str, Mapping[str, Mapping[int, float]]]) -> str:
    """A plain-text table of `layer_errors`, one row per layer and method."""
    rows = []
    for name, by_method in table.items():
        for method, by_bits in by_method.items():
            if not rows:
                rows.append(f"{'layer':<10} {'method':<7} " + " ".join(f"{b:>6}b" for b in by_bits))
            rows.append(
                f"{name:<10} {method:<7} " + " ".join(f"{e:7.4f}" for e in by_bits.values())
            )
    return "\n".join(rows)


@dataclass
class BitSearchResult:
    bits: dict[str, int]
    accuracy: float
    start_accuracy: float
    size: float
    history: list[tuple[str, int, float, float]] = field(default_factory=list)
    """(layer lowered, its new bits, accuracy, size) per accepted step."""


def greedy_bit_search(
    evaluate_fn: Callable[[dict[str, int]], float],
    layers: Iterable[str],
    size_fn: Callable[[dict[str, int]], float],
    start_bits: int = 8,
    min_bits: int = 2,
    max_drop: float = 0.01,
) -> BitSearchResult:
    """evaluate_fn({layer: bits}) -> accuracy; size_fn({layer: bits}) ->
    model size in bytes. First each layer's sensitivity: the accuracy with only
    that layer lowered, one bit at a time, until it leaves the budget (`max_drop`
    under the start). Then greedy steps: lower the layer whose next bit costs
    the least predicted accuracy per byte saved, and keep the step only if the
    whole model, evaluated, stays within the budget; a layer whose step fails
    is not tried again. Re-evaluating every layer each round (the textbook
    greedy) costs layers x rounds evaluations, most of an hour on a real
    model; this costs at most twice layers x (start_bits - min_bits)."""
    bits = {name: int(start_bits) for name in layers}
    cache: dict[tuple, float] = {}

    def evaluate(b: dict[str, int]) -> float:
        key = tuple(sorted(b.items()))
        if key not in cache:
            cache[key] = float(evaluate_fn(dict(b)))
        return cache[key]

    start = accuracy = evaluate(bits)
    size = float(size_fn(dict(bits)))
    result = BitSearchResult(dict(bits), accuracy, start, size)
    # loss[name][b]: accuracy lost with only `name` at b bits; absent = over budget
    loss = {name: {start_bits: 0.0} for name in bits}
    for name in bits:
        for b in range(start_bits - 1, min_bits - 1, -1):
            acc = evaluate({**bits, name: b})
            if acc < start - max_drop:
                break
            loss[name][b] = start - acc
    blocked: set[str] = set()
    while True:
        best = None
        for name in bits:
            b = bits[name] - 1
            if name in blocked or b not in loss[name]:
                continue
            trial = {**bits, name: b}
            trial_size = float(size_fn(dict(trial)))
            saved = size - trial_size
            cost = (loss[name][b] - loss[name][b + 1]) / saved if saved > 0 else np.inf
            if best is None or cost < best[0]:
                best = (cost, name, trial, trial_size)
        if best is None:
            break
        _, name, trial, trial_size = best
        acc = evaluate(trial)
        if acc < start - max_drop:
            blocked.add(name)
            continue
        bits, accuracy, size = trial, acc, trial_size
        result.history.append((name, bits[name], accuracy, size))
    result.bits, result.accuracy, result.size = dict(bits), accuracy, size
    return result


def weight_bytes(model_or_counts, bits: Mapping[str, int]) -> float:
    """Bytes of packed weights: sum of count * bits / 8, where counts are
    {layer: weight count} or taken from a KWS model's folded kernels."""
    if isinstance(model_or_counts, Mapping):
        counts = model_or_counts
    else:
        counts = {k: int(np.prod(w.shape)) for k, (w, _) in folded_kernels(model_or_counts).items()}
    return float(sum(counts[k] * b / 8 for k, b in bits.items()))
