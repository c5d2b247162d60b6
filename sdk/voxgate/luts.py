"""Tables for the engine's table-driven kernels, built at export time.

Float math is fine here: it runs once, in Python, and only its integer
results go into the model file. Every builder computes in float64 and rounds
half away from zero (as C's ``round`` / ``std::round``), so the tables are a
pure function of their arguments.

``lut_table`` follows TFLite's ``LUTPopulate`` for int8: entry ``k`` holds
``clamp(round(f(in_scale * (k - 128 - in_zp)) / out_scale) + out_zp)``.
TFLite does that arithmetic in float32; a table here can differ from TFLite's
only where float32 and float64 round to opposite sides of a .5 boundary.

Fixed output quantizations (the same as TFLite's int8 kernels, which require
them):

* LOGISTIC (sigmoid) int8 output: scale 1/256, zero point -128, so
  sigmoid(x) = (q + 128) / 256; an output of 1.0 saturates to 127 (255/256).
* TANH int8 output: scale 1/128, zero point 0, so tanh(x) = q / 128; +1.0
  saturates to 127 (127/128).
* SOFTMAX int8 output: scale 1/256, zero point -128 (see ``softmax_table``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

SIGMOID_OUT_SCALE = 1.0 / 256.0
SIGMOID_OUT_ZERO_POINT = -128
TANH_OUT_SCALE = 1.0 / 128.0
TANH_OUT_ZERO_POINT = 0
SOFTMAX_OUT_SCALE = 1.0 / 256.0
SOFTMAX_OUT_ZERO_POINT = -128
SOFTMAX_ONE = 1 << 20  # table[0] of softmax_table, VOXGATE_SOFTMAX_S8_ONE

_INPUTS = np.arange(-128, 128, dtype=np.int64)


def round_half_away(v: np.ndarray) -> np.ndarray:
    """Round to the nearest integer, halves away from zero (float64 in)."""
    v = np.asarray(v, np.float64)
    return np.sign(v) * np.floor(np.abs(v) + 0.5)


def _check_quant(scale: float, zero_point: int, what: str) -> None:
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"{what} scale must be positive and finite, got {scale!r}")
    if not -128 <= int(zero_point) <= 127:
        raise ValueError(f"{what} zero point must be in -128..127, got {zero_point!r}")


def lut_table(
    fn: Callable[[np.ndarray], np.ndarray],
    in_scale: float,
    in_zero_point: int,
    out_scale: float,
    out_zero_point: int,
) -> np.ndarray:
    """The 256-entry int8 table of ``fn`` (vectorized, float64 -> float64)
    for lut_s8: entry k is the output for the int8 input k - 128."""
    _check_quant(in_scale, in_zero_point, "input")
    _check_quant(out_scale, out_zero_point, "output")
    real_in = float(in_scale) * (_INPUTS - int(in_zero_point)).astype(np.float64)
    real_out = np.asarray(fn(real_in), np.float64)
    if real_out.shape != (256,) or not np.all(np.isfinite(real_out)):
        raise ValueError("fn must map 256 inputs to 256 finite outputs")
    q = round_half_away(real_out / float(out_scale)) + int(out_zero_point)
    return np.clip(q, -128, 127).astype(np.int8)


def _sigmoid(v: np.ndarray) -> np.ndarray:
    # Both branches without overflow: exp of a non-positive number only.
    e = np.exp(-np.abs(v))
    return np.where(v >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_table(
    in_scale: float,
    in_zero_point: int,
    out_scale: float = SIGMOID_OUT_SCALE,
    out_zero_point: int = SIGMOID_OUT_ZERO_POINT,
) -> np.ndarray:
    """int8 sigmoid table; the default output is TFLite's fixed (1/256, -128)."""
    return lut_table(_sigmoid, in_scale, in_zero_point, out_scale, out_zero_point)


def tanh_table(
    in_scale: float,
    in_zero_point: int,
    out_scale: float = TANH_OUT_SCALE,
    out_zero_point: int = TANH_OUT_ZERO_POINT,
) -> np.ndarray:
    """int8 tanh table; the default output is TFLite's fixed (1/128, 0)."""
    return lut_table(np.tanh, in_scale, in_zero_point, out_scale, out_zero_point)


def softmax_table(in_scale: float, beta: float = 1.0) -> np.ndarray:
    """The int32[256] exp table of softmax_s8: entry d is
    round(2^20 * exp(-beta * in_scale * d)), the weight of a class d input
    steps below the maximum (the input zero point cancels out)."""
    if not (np.isfinite(in_scale) and in_scale > 0 and np.isfinite(beta) and beta > 0):
        raise ValueError("in_scale and beta must be positive and finite")
    d = np.arange(256, dtype=np.float64)
    t = round_half_away(SOFTMAX_ONE * np.exp(-float(beta) * float(in_scale) * d))
    return t.astype(np.int32)


def activation_table(name: str, in_scale: float, in_zero_point: int) -> np.ndarray:
    """The table of a named activation at its fixed output quantization."""
    if name == "sigmoid":
        return sigmoid_table(in_scale, in_zero_point)
    if name == "tanh":
        return tanh_table(in_scale, in_zero_point)
    raise ValueError(f"unknown activation {name!r} (sigmoid, tanh)")
