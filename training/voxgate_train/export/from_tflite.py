"""A full-integer int8 .tflite window model -> a streaming voxgate model.

The TFLite model takes a window of feature frames [1, T, 1, C] (time as
height, Conv2D with (k, 1) kernels since TFLite has no Conv1D QAT) and
shrinks time to one frame with VALID convolutions. Each VALID temporal conv
becomes a causal CONV_TIME / DWCONV_TIME, so the streaming model's output
at frame t equals the TFLite output for the window ending at t. Multipliers,
shifts, ADD parameters and activation ranges are computed as TFLite's
Prepare does, so the integer results agree; `verify` checks that before a
file is written.
"""

from __future__ import annotations

import math

import numpy as np

from voxgate import format as F
from voxgate import luts
from voxgate.model import Model

from ..errors import TrainError

try:  # the flatbuffer schema: pip install tflite
    import tflite
    from tflite.ActivationFunctionType import ActivationFunctionType as Act
    from tflite.BuiltinOperator import BuiltinOperator as Op
except ImportError as exc:  # pragma: no cover
    raise ImportError("from_tflite needs the `tflite` package (pip install tflite)") from exc


class ExportError(TrainError):
    """A model the exporter cannot convert, or whose outputs disagree."""


def quantize_multiplier(real: float) -> tuple[int, int]:
    """TFLite's QuantizeMultiplier: real = mult * 2^(shift - 31)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    fixed = int(round_half_away(q * (1 << 31)))
    if fixed == 1 << 31:
        fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return fixed, shift


def round_half_away(v: float) -> float:
    return math.copysign(math.floor(abs(v) + 0.5), v)


def _act_range(act: int, scale: float, zp: int) -> tuple[int, int]:
    """TFLite's CalculateActivationRangeQuantized for int8."""

    def q(v):
        return zp + int(round_half_away(v / scale))

    if act == Act.NONE:
        return -128, 127
    if act == Act.RELU:
        return max(-128, q(0.0)), 127
    if act == Act.RELU6:
        return max(-128, q(0.0)), min(127, q(6.0))
    if act == Act.RELU_N1_TO_1:
        return max(-128, q(-1.0)), min(127, q(1.0))
    raise ExportError(f"fused activation {act} is not supported")


class _Graph:
    def __init__(self, data: bytes):
        self.model = tflite.Model.GetRootAsModel(data, 0)
        if self.model.SubgraphsLength() != 1:
            raise ExportError("only single-subgraph models are supported")
        self.g = self.model.Subgraphs(0)

    def tensor(self, i):
        return self.g.Tensors(i)

    def shape(self, i):
        return tuple(int(v) for v in self.tensor(i).ShapeAsNumpy())

    def quant(self, i):
        q = self.tensor(i).Quantization()
        scales = q.ScaleAsNumpy() if q and q.ScaleLength() else np.array([1.0], np.float32)
        zps = q.ZeroPointAsNumpy() if q and q.ZeroPointLength() else np.array([0])
        return np.asarray(scales, np.float32), np.asarray(zps, np.int64)

    def data(self, i, dtype):
        buf = self.model.Buffers(self.tensor(i).Buffer())
        raw = buf.DataAsNumpy()
        if isinstance(raw, int) or raw.size == 0:
            raise ExportError(f"tensor {i} has no constant data")
        return np.frombuffer(raw.tobytes(), dtype).reshape(self.shape(i))

    def opcode(self, op):
        code = self.model.OperatorCodes(op.OpcodeIndex())
        return max(code.BuiltinCode(), code.DeprecatedBuiltinCode())

    def options(self, op, cls):
        table = op.BuiltinOptions()
        opts = cls()
        opts.Init(table.Bytes, table.Pos)
        return opts


def convert(data: bytes, *, bits: int | None = None, labels=None, name="tflite") -> F.ModelFile:
    """The voxgate model for an int8 window .tflite. bits < 8 re-quantizes
    weights per channel (lossy: for size and speed, not parity)."""
    g = _Graph(data)
    (inp,) = [g.g.Inputs(k) for k in range(g.g.InputsLength())]
    shape = g.shape(inp)
    if len(shape) != 4 or shape[0] != 1 or shape[2] != 1:
        raise ExportError(f"input must be [1, T, 1, C], got {shape}")
    s_in, z_in = g.quant(inp)
    m = F.ModelFile(values=[F.Value(shape[3], F.S8, int(z_in[0]), float(s_in[0]))], ops=[], meta={})
    value_of = {inp: 0}

    def new_value(t):
        sc, zp = g.quant(t)
        m.values.append(F.Value(int(g.shape(t)[-1]), F.S8, int(zp[0]), float(sc[0])))
        value_of[t] = len(m.values) - 1
        return value_of[t]

    def requant_tensors(in_t, w_t, out_t, channels):
        si, _ = g.quant(in_t)
        sw, _ = g.quant(w_t)
        so, _ = g.quant(out_t)
        sw = np.broadcast_to(sw, (channels,))
        pairs = [
            quantize_multiplier(float(si[0]) * float(w) / float(so[0])) for w in sw
        ]  # doubles from float32 scales, as TFLite
        mult = m.add_tensor(F.Tensor.s32([p[0] for p in pairs]))
        shift = m.add_tensor(F.Tensor.s32([p[1] for p in pairs]))
        return mult, shift

    def weights(values):
        values = np.asarray(values, np.int8)
        if bits is None or bits == 8:
            return m.add_tensor(F.Tensor.packed(np.clip(values, -127, 127), 8))
        limit = (1 << (bits - 1)) - 1
        rows = values.reshape(values.shape[0], -1).astype(np.float64)
        scale = np.maximum(np.abs(rows).max(axis=1, keepdims=True), 1) / limit
        q = np.clip(np.round(rows / scale), -limit, limit).reshape(values.shape)
        return m.add_tensor(F.Tensor.packed(q, bits))

    for k in range(g.g.OperatorsLength()):
        op = g.g.Operators(k)
        code = g.opcode(op)
        ins = [op.Inputs(j) for j in range(op.InputsLength())]
        out = op.Outputs(0)
        if code == Op.RESHAPE:
            value_of[out] = value_of[ins[0]]
            continue
        x = value_of.get(ins[0])
        if x is None:
            raise ExportError(f"op {k}: input tensor {ins[0]} is not produced by a supported op")
        so, zo = g.quant(out)
        _, zi = g.quant(ins[0])
        if code in (Op.CONV_2D, Op.DEPTHWISE_CONV_2D, Op.FULLY_CONNECTED):
            w = g.data(ins[1], np.int8)
            bias = g.data(ins[2], np.int32) if len(ins) > 2 and ins[2] >= 0 else None
            if code == Op.CONV_2D:
                opts = g.options(op, tflite.Conv2DOptions)
                if opts.StrideH() != 1 or opts.Padding() != 1 or w.shape[2] != 1:
                    raise ExportError(f"op {k}: only VALID (k, 1) convs with stride 1")
                act, dil = opts.FusedActivationFunction(), opts.DilationHFactor()
            elif code == Op.DEPTHWISE_CONV_2D:
                opts = g.options(op, tflite.DepthwiseConv2DOptions)
                if opts.StrideH() != 1 or opts.Padding() != 1 or opts.DepthMultiplier() > 1:
                    raise ExportError(f"op {k}: only VALID (k, 1) depthwise, multiplier 1")
                act, dil = opts.FusedActivationFunction(), opts.DilationHFactor()
            else:
                opts = g.options(op, tflite.FullyConnectedOptions)
                act, dil = opts.FusedActivationFunction(), 1
            lo, hi = _act_range(act, float(so[0]), int(zo[0]))
            channels = w.shape[3] if code == Op.DEPTHWISE_CONV_2D else w.shape[0]
            mult, shift = requant_tensors(ins[0], ins[1], out, channels)
            b = m.add_tensor(F.Tensor.s32(bias)) if bias is not None else -1
            args = [int(zi[0]), int(zo[0]), lo, hi]
            y = new_value(out)
            if code == Op.DEPTHWISE_CONV_2D:
                kern = w.shape[1]
                wt = weights(w[0, :, 0, :])  # tap-major [kernel, channels]
                m.ops.append(
                    F.Op(F.OPS["DWCONV_TIME"], [x], y, [wt, b, mult, shift], args + [kern, dil, 1])
                )
            elif code == Op.CONV_2D and w.shape[1] > 1:
                kern = w.shape[1]
                wt = weights(w[:, :, 0, :])
                m.ops.append(
                    F.Op(F.OPS["CONV_TIME"], [x], y, [wt, b, mult, shift], args + [kern, dil, 1])
                )
            else:
                wt = weights(w.reshape(w.shape[0], -1))
                m.ops.append(F.Op(F.OPS["FC"], [x], y, [wt, b, mult, shift], args))
        elif code == Op.ADD:
            opts = g.options(op, tflite.AddOptions)
            (sa,), (za,) = g.quant(ins[0])
            (sb,), (zb,) = g.quant(ins[1])
            twice = 2 * max(float(sa), float(sb))
            am, ash = quantize_multiplier(float(sa) / twice)
            bm, bsh = quantize_multiplier(float(sb) / twice)
            om, osh = quantize_multiplier(twice / ((1 << 20) * float(so[0])))
            lo, hi = _act_range(opts.FusedActivationFunction(), float(so[0]), int(zo[0]))
            y = new_value(out)
            args = [int(za), am, ash, int(zb), bm, bsh, om, osh, int(zo[0]), lo, hi, 20]
            m.ops.append(F.Op(F.OPS["ADD"], [x, value_of[ins[1]]], y, [], args))
        elif code == Op.SOFTMAX:
            beta = g.options(op, tflite.SoftmaxOptions).Beta()
            (si,), _ = g.quant(ins[0])
            table = m.add_tensor(F.Tensor(luts.softmax_table(float(si), beta), F.S32, 32))
            m.ops.append(F.Op(F.OPS["SOFTMAX"], [x], new_value(out), [table]))
        elif code in (Op.LOGISTIC, Op.TANH):
            (si,), (zi0,) = g.quant(ins[0])
            fn = luts.sigmoid_table if code == Op.LOGISTIC else luts.tanh_table
            table = m.add_tensor(F.Tensor.s8(fn(float(si), int(zi0))))
            m.ops.append(F.Op(F.OPS["LUT"], [x], new_value(out), [table]))
        else:
            raise ExportError(f"op {k}: TFLite builtin {code} is not supported")
    (out_t,) = [g.g.Outputs(k) for k in range(g.g.OutputsLength())]
    so, zo = g.quant(out_t)
    m.meta = {
        "name": name,
        "outputs": [value_of[out_t]],
        "input_quant": [float(s_in[0]), float(z_in[0])],
        "output_scales": [float(so[0]), float(zo[0])],
        "created_by": "voxgate_train.export.from_tflite",
        "window_frames": shape[1],
    }
    if labels:
        m.meta["labels"] = list(labels)
    return m


def litert_window_outputs(data: bytes, frames: np.ndarray) -> np.ndarray:
    """LiteRT's output for each window of T frames ending at t >= T-1
    (builtin kernels, no XNNPACK, whose rounding differs)."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(
        model_content=data,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    interp.allocate_tensors()
    (inp,), (out,) = interp.get_input_details(), interp.get_output_details()
    T = inp["shape"][1]
    results = []
    for t in range(T - 1, len(frames)):
        window = frames[t - T + 1 : t + 1].reshape(inp["shape"])
        interp.set_tensor(inp["index"], window.astype(np.int8))
        interp.invoke()
        results.append(interp.get_tensor(out["index"]).reshape(-1))
    return np.asarray(results)


def verify(data: bytes, model: F.ModelFile, frames: np.ndarray, tolerance: int = 1) -> int:
    """Streams `frames` through voxgate and LiteRT; returns the largest
    difference (in LSB) after the warm-up, raising ExportError above
    `tolerance`."""
    ours = Model.from_bytes(model.to_bytes()).stream().run(frames)[1].astype(int)
    T = model.meta["window_frames"]
    theirs = litert_window_outputs(data, frames).astype(int)
    diff = int(np.max(np.abs(ours[T - 1 :] - theirs))) if len(theirs) else 0
    if diff > tolerance:
        raise ExportError(f"voxgate and LiteRT differ by {diff} LSB (tolerance {tolerance})")
    return diff


def export(data: bytes, path, frames: np.ndarray | None = None, **kwargs) -> int:
    """Convert, verify on `frames` (random int8 frames if None), then write
    the file atomically. Returns the measured max difference."""
    model = convert(data, **kwargs)
    if frames is None:
        channels = model.values[0].channels
        frames = np.random.default_rng(0).integers(-128, 128, (300, channels)).astype(np.int8)
    diff = verify(data, model, frames) if kwargs.get("bits") in (None, 8) else -1
    model.save(path)
    return diff
