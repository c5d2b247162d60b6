"""An independent numpy model of the engine's graph semantics (format.h),
computed over a whole sequence at once (not streaming), to check the C
runner's ring buffers, dilation, strides and op order bit for bit."""

import numpy as np

from voxgate import format as F


def requantize(acc, mult, shift):
    """TFLite's MultiplyByQuantizedMultiplier, vectorized in int64, with the
    final shift rounding halves up (LiteRT's kernels)."""
    acc = np.asarray(acc, np.int64)
    mult = np.asarray(mult, np.int64)
    shift = np.asarray(shift, np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    x = ((acc << left) + 2**31) % 2**32 - 2**31  # int32 wrap, as C's uint32 shift
    ab = x * mult
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    t = ab + nudge
    high = np.where(t >= 0, t // 2**31, -((-t) // 2**31))  # truncating divide
    half = np.where(right > 0, np.left_shift(np.int64(1), np.maximum(right - 1, 0)), 0)
    return (high + half) >> right


def _causal_taps(x, kernel, dilation, zero_point):
    """x: (T, C) -> (T, kernel, C), tap j = frame t - (kernel-1-j)*dilation,
    frames before the start filled with the zero point."""
    pad = (kernel - 1) * dilation
    padded = np.concatenate([np.full((pad, x.shape[1]), zero_point, np.int64), x])
    idx = np.arange(x.shape[0])[:, None] + np.arange(kernel)[None, :] * dilation
    return padded[idx]


def _unpack(model: F.ModelFile, index):
    return np.asarray(model.tensors[index].data, np.int64)


def _clamp(y, lo, hi):
    return np.clip(y, lo, hi)


def run(model: F.ModelFile, frames: np.ndarray) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Returns {value index: (frame indices where written, values)}."""
    T = frames.shape[0]
    vals = {0: (np.arange(T), np.asarray(frames, np.int64))}
    for op in model.ops:
        t_in, x = vals[op.inputs[0]]
        a = list(op.args) + [0] * (16 - len(op.args))
        name = F.OP_NAMES[op.type]
        if name == "QUANTIZE":
            y = _clamp(requantize(x - a[0], a[2], a[3]) + a[1], a[4], a[5])
            t_out = t_in
        elif name in ("FC", "CONV_TIME", "DWCONV_TIME"):
            w = _unpack(model, op.tensors[0])
            channels = w.shape[1] if name == "DWCONV_TIME" else w.shape[0]
            bias = (
                np.zeros(channels, np.int64)
                if op.tensors[1] == -1
                else _unpack(model, op.tensors[1])
            )
            mult, shift = _unpack(model, op.tensors[2]), _unpack(model, op.tensors[3])
            if name == "FC":
                acc = (x - a[0]) @ w.T + bias
                t_out = t_in
            else:
                kernel, dilation, stride = a[4], a[5], a[6]
                taps = _causal_taps(x, kernel, dilation, a[0]) - a[0]
                if name == "CONV_TIME":
                    acc = np.einsum("tkc,okc->to", taps, w) + bias
                else:
                    acc = np.einsum("tkc,kc->tc", taps, w) + bias
                keep = np.arange(T if t_in is None else len(t_in)) % stride == stride - 1
                acc, t_out = acc[keep], t_in[keep]
            y = _clamp(requantize(acc, mult, shift) + a[1], a[2], a[3])
        elif name == "ADD":
            # The second input as of each step the first is written (it may
            # be older: the runner reads whatever its buffer holds).
            t_b, b = vals[op.inputs[1]]
            b = b[np.searchsorted(t_b, t_in, side="right") - 1]
            sa = requantize((x - a[0]) << a[11], a[1], a[2])
            sb = requantize((b - a[3]) << a[11], a[4], a[5])
            y = _clamp(requantize(sa + sb, a[6], a[7]) + a[8], a[9], a[10])
            t_out = t_in
        elif name == "LUT":
            table = _unpack(model, op.tensors[0])
            y = table[x + 128]
            t_out = t_in
        else:
            raise NotImplementedError(name)
        vals[op.output] = (t_out, y)
    return vals
