"""Fake quantizers in keras.ops with straight-through gradients.

Weights are quantized per output channel, symmetrically, to the integer
levels [-qmax, qmax] with qmax = 2^(b-1) - 1 (b in 2..8), so a b-bit
channel holds at most 2^b - 1 distinct values and exports as s * q exactly.
Every quantizer returns the dequantized weight s * q; `round_ste` passes the
gradient straight through the rounding (x + stop_gradient(round(x) - x)).

- "minmax": s = max|w| / qmax per channel.
- "tanh": stage 1 of "Sub 8-bit quantization of streaming keyword spotting
  models for embedded chipsets" (Zeng et al. 2022): w' = tanh(w) / max|tanh(w)|,
  q = round(qmax w'); the result is rescaled by max|w| (s = max|w| / qmax)
  so the magnitude of a BN-folded kernel survives. tanh spends more levels
  near zero, where most weights are; the gradient flows through the tanh.
- "lsq": learned step size (Esser et al. 2020): a trainable step per
  channel, initialised 2 mean|w| / sqrt(qmax), whose gradient is scaled by
  1 / sqrt(N qmax) (N weights per channel).

Activations use 8-bit asymmetric fake quantization over an EMA min/max
range (stage 2 of the paper), see `fake_quant_range`.
"""

from __future__ import annotations

import math

from keras import ops

METHODS = ("minmax", "tanh", "lsq")
#: QAT fine-tunes a trained float model, and tanh reshapes its weights at any
#: width (kws.search's quantizers step measures each method as copied)
DEFAULT_METHOD = "minmax"
_EPS = 1e-12


def qmax(bits: int) -> int:
    """The largest integer level of a symmetric `bits`-bit weight."""
    if not 2 <= int(bits) <= 8:
        raise ValueError(f"weight bits must be in 2..8, got {bits}")
    return (1 << (int(bits) - 1)) - 1


def round_ste(x):
    """round(x) forward, identity gradient."""
    return x + ops.stop_gradient(ops.round(x) - x)


def grad_scale(x, g: float):
    """x forward, gradient multiplied by g."""
    return ops.stop_gradient(x - x * g) + x * g


def _reduce_axes(ndim: int, axis: int) -> tuple[int, ...]:
    axis = axis % ndim
    return tuple(a for a in range(ndim) if a != axis)


def _channel_shape(ndim: int, axis: int, channels) -> tuple:
    shape = [1] * ndim
    shape[axis % ndim] = channels
    return tuple(shape)


def channel_absmax(w, axis: int = -1):
    """max|w| over every axis but `axis`, keeping dims."""
    return ops.max(ops.abs(w), axis=_reduce_axes(len(w.shape), axis), keepdims=True)


def minmax_quantize(w, bits: int, axis: int = -1):
    qm = qmax(bits)
    scale = ops.maximum(ops.stop_gradient(channel_absmax(w, axis)), _EPS) / qm
    return ops.clip(round_ste(w / scale), -qm, qm) * scale


def tanh_quantize(w, bits: int, axis: int = -1):
    qm = qmax(bits)
    t = ops.tanh(w)
    unit = t / ops.maximum(channel_absmax(t, axis), _EPS)  # in [-1, 1]
    scale = ops.maximum(ops.stop_gradient(channel_absmax(w, axis)), _EPS) / qm
    return ops.clip(round_ste(unit * qm), -qm, qm) * scale


def lsq_init_step(w, bits: int, axis: int = -1):
    """2 mean|w| / sqrt(qmax) per channel, shape (channels,)."""
    m = ops.mean(ops.abs(w), axis=_reduce_axes(len(w.shape), axis))
    return ops.maximum(2.0 * m / math.sqrt(qmax(bits)), 1e-8)


def lsq_quantize(w, step, bits: int, axis: int = -1):
    """`step` has shape (channels,); its gradient is scaled by 1/sqrt(N qmax)."""
    qm = qmax(bits)
    n = int(math.prod(w.shape)) // int(w.shape[axis])
    s = grad_scale(step, 1.0 / math.sqrt(n * qm))
    s = ops.reshape(ops.abs(s) + 1e-12, _channel_shape(len(w.shape), axis, -1))
    return round_ste(ops.clip(w / s, -qm, qm)) * s


def quantize_weights(w, bits: int | None, method: str, axis: int = -1, step=None):
    """Fake-quantized weights (identity when bits is None)."""
    if bits is None:
        return w
    if method == "minmax":
        return minmax_quantize(w, bits, axis)
    if method == "tanh":
        return tanh_quantize(w, bits, axis)
    if method == "lsq":
        if step is None:
            step = lsq_init_step(w, bits, axis)
        return lsq_quantize(w, step, bits, axis)
    raise ValueError(f"unknown quantizer {method!r}, expected one of {METHODS}")


def fake_quant_range(x, lo, hi, bits: int = 8):
    """Asymmetric `bits`-bit fake quantization of x over [lo, hi] (widened to
    hold 0, as TFLite does, so zero is exact). Gradient: straight through
    inside the range, zero outside."""
    levels = (1 << bits) - 1
    qmin = -(1 << (bits - 1))
    lo = ops.minimum(lo, 0.0)
    hi = ops.maximum(hi, 0.0)
    scale = ops.maximum((hi - lo) / levels, 1e-8)
    zp = ops.round(-lo / scale) + qmin
    lo_q = (qmin - zp) * scale
    hi_q = (qmin + levels - zp) * scale
    xc = ops.clip(x, lo_q, hi_q)
    q = ops.clip(ops.round(xc / scale) + zp, qmin, qmin + levels)
    return xc + ops.stop_gradient((q - zp) * scale - xc)
