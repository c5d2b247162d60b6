"""Puts the weights of an int8 .tflite on sub-8-bit grids, in place.

TFLite stores weights in int8 at best: a layer trained to 4 bits comes out of
the converter as round(q * 127 / max|q|), close to but not on the 4-bit grid.
Rewriting each such layer as q itself (|q| <= 2^(b-1) - 1, still int8), its
per-channel scale times max|q| / (2^(b-1) - 1) and its bias re-rounded to the
new scale makes the .tflite run exactly the b-bit model: LiteRT and the
voxgate file (which packs the same q) then compute the same integers."""

from __future__ import annotations

import numpy as np

from .from_tflite import ExportError, _Graph, _layer_bits, requantize_weights

try:
    from tflite.BuiltinOperator import BuiltinOperator as Op
except ImportError as exc:  # pragma: no cover
    raise ImportError("regrid needs the `tflite` package (pip install tflite)") from exc

WEIGHT_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


def regrid(data: bytes, bits) -> bytes:
    """`bits` as for from_tflite.convert (one width, or one per weight layer in
    graph order). Returns the rewritten model; layers at 8 bits are left as
    they are."""
    buf = bytearray(data)
    g = _Graph(buf)
    codes = {getattr(Op, n) for n in WEIGHT_OPS}
    layer = 0
    for k in range(g.g.OperatorsLength()):
        op = g.g.Operators(k)
        code = g.opcode(op)
        if code not in codes:
            continue
        b = _layer_bits(bits, layer)
        layer += 1
        if b == 8:
            continue
        w_t = g.tensor(op.Inputs(1))
        w = g.model.Buffers(w_t.Buffer()).DataAsNumpy().view(np.int8)
        shape = g.shape(op.Inputs(1))
        axis = 3 if code == Op.DEPTHWISE_CONV_2D else 0  # output channels
        values = np.moveaxis(w.reshape(shape), axis, 0)
        q, factor = requantize_weights(values, b)
        scales = w_t.Quantization().ScaleAsNumpy()
        if scales.size not in (1, len(factor)):
            raise ExportError(f"op {k}: {scales.size} weight scales for {len(factor)} channels")
        if scales.size == 1:  # per-tensor (TFLite's FC): one factor for all rows
            q, f = requantize_weights(values.reshape(1, -1), b)
            q, factor = q.reshape(values.shape), np.full(len(factor), f[0])
        w[:] = np.moveaxis(q, 0, axis).reshape(-1)
        scales[:] = (scales.astype(np.float64) * factor[: scales.size]).astype(np.float32)
        if op.InputsLength() > 2 and op.Inputs(2) >= 0:
            b_t = g.tensor(op.Inputs(2))
            bias = g.model.Buffers(b_t.Buffer()).DataAsNumpy().view(np.int32)
            bias[:] = np.round(bias / factor).astype(np.int32)
            b_scales = b_t.Quantization().ScaleAsNumpy()
            b_scales[:] = (b_scales.astype(np.float64) * factor[: b_scales.size]).astype(np.float32)
    return bytes(buf)
