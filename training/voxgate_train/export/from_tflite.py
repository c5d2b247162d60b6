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

import dataclasses
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


def _layer_bits(bits, index: int) -> int:
    """bits: None (8), one width for all weight layers, or a sequence with
    one width per weight layer in graph order."""
    if bits is None:
        return 8
    if isinstance(bits, int):
        chosen = bits
    else:
        if index >= len(bits):
            raise ExportError(f"bits lists {len(bits)} layers, the model has more")
        chosen = int(bits[index])
    if not 2 <= chosen <= 8:
        raise ExportError(f"weight bits must be 2..8, got {chosen}")
    return chosen


def requantize_weights(values: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """int8 per-channel weights (channel first) -> `bits`-bit values and the
    factor each channel's scale grows by. Weights trained on a `bits` grid
    (QAT) come back exactly; others lose precision."""
    rows = values.reshape(values.shape[0], -1).astype(np.float64)
    limit = (1 << (bits - 1)) - 1
    if bits == 8 or np.abs(rows).max(initial=0) <= limit:  # already on the grid
        return np.clip(values, -limit, limit).astype(np.int8), np.ones(values.shape[0])
    factor = np.maximum(np.abs(rows).max(axis=1), 1) / limit
    q = np.clip(np.round(rows / factor[:, None]), -limit, limit)
    return q.reshape(values.shape).astype(np.int8), factor


def convert(data: bytes, *, bits=None, labels=None, name="tflite") -> F.ModelFile:
    """The voxgate model for an int8 window .tflite. `bits` (one width, or
    one per weight layer in graph order) below 8 re-quantizes weights per
    channel, and the requantization multipliers follow the new scales."""
    g = _Graph(data)
    layer = [0]
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

    def requant_tensors(in_t, w_t, out_t, channels, factor):
        si, _ = g.quant(in_t)
        sw, _ = g.quant(w_t)
        so, _ = g.quant(out_t)
        sw = np.broadcast_to(sw, (channels,)).astype(np.float32) * factor.astype(np.float32)
        pairs = [
            quantize_multiplier(float(si[0]) * float(w) / float(so[0])) for w in sw
        ]  # doubles from float32 scales, as TFLite
        mult = m.add_tensor(F.Tensor.s32([p[0] for p in pairs]))
        shift = m.add_tensor(F.Tensor.s32([p[1] for p in pairs]))
        return mult, shift

    def weights(values, channel_axis=0):
        """Packs one weight layer; returns (tensor, per-channel scale factor)."""
        b = _layer_bits(bits, layer[0])
        layer[0] += 1
        values = np.moveaxis(np.asarray(values, np.int8), channel_axis, 0)
        q, factor = requantize_weights(values, b)
        return m.add_tensor(F.Tensor.packed(np.moveaxis(q, 0, channel_axis), b)), factor

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
            if code == Op.DEPTHWISE_CONV_2D:  # tap-major [kernel, channels]
                wt, factor = weights(w[0, :, 0, :], channel_axis=1)
            elif code == Op.CONV_2D and w.shape[1] > 1:
                wt, factor = weights(w[:, :, 0, :])
            else:
                wt, factor = weights(w.reshape(w.shape[0], -1))
            # The bias keeps its TFLite scale (input x weight scale): it only
            # needs the same factor as the weights to stay in step.
            if bias is not None:
                bias = np.round(bias / factor).astype(np.int64)
            mult, shift = requant_tensors(ins[0], ins[1], out, channels, factor)
            b = m.add_tensor(F.Tensor.s32(bias)) if bias is not None else -1
            args = [int(zi[0]), int(zo[0]), lo, hi]
            y = new_value(out)
            tensors = [wt, b, mult, shift]
            if code == Op.DEPTHWISE_CONV_2D:
                kern = w.shape[1]
                m.ops.append(F.Op(F.OPS["DWCONV_TIME"], [x], y, tensors, args + [kern, dil, 1]))
            elif code == Op.CONV_2D and w.shape[1] > 1:
                kern = w.shape[1]
                m.ops.append(F.Op(F.OPS["CONV_TIME"], [x], y, tensors, args + [kern, dil, 1]))
            else:
                m.ops.append(F.Op(F.OPS["FC"], [x], y, tensors, args))
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


def litert_window_outputs(data: bytes, frames: np.ndarray, tensor: int | None = None) -> np.ndarray:
    """LiteRT's output (or, given `tensor`, the newest time step of that
    intermediate tensor) for each window of T frames ending at t >= T-1,
    with the builtin kernels (no XNNPACK, whose rounding differs)."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interp = Interpreter(
        model_content=data,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
        experimental_preserve_all_tensors=tensor is not None,
    )
    interp.allocate_tensors()
    (inp,), (out,) = interp.get_input_details(), interp.get_output_details()
    T = inp["shape"][1]
    results = []
    for t in range(T - 1, len(frames)):
        window = frames[t - T + 1 : t + 1].reshape(inp["shape"])
        interp.set_tensor(inp["index"], window.astype(np.int8))
        interp.invoke()
        v = interp.get_tensor(out["index"] if tensor is None else tensor)
        results.append(v.reshape(v.shape[0], -1, v.shape[-1])[0, -1])
    return np.asarray(results)


@dataclasses.dataclass
class Parity:
    """Streaming voxgate vs LiteRT windows on the same frames, in int8 LSB:
    on the network's logits (the softmax input, when the model ends in one)
    and on its final output."""

    logits_max: int
    output_max: int
    output_mean: float

    def ok(self, tolerance: int) -> bool:
        return self.logits_max <= tolerance and self.output_max <= tolerance


def parity(data: bytes, model: F.ModelFile, frames: np.ndarray) -> Parity:
    """Measures the agreement on the final output and, where the model ends
    in a softmax, on its input too (a logit's LSB can move a probability by
    several, so both are reported)."""
    T = model.meta["window_frames"]

    def ours(value):
        m = dataclasses.replace(model, meta=dict(model.meta, outputs=[value]))
        return Model.from_bytes(m.to_bytes()).stream().run(frames)[1].astype(int)[T - 1 :]

    final = ours(model.meta["outputs"][0])
    out_d = np.abs(final - litert_window_outputs(data, frames).astype(int))
    last = model.ops[-1]
    if last.type == F.OPS["SOFTMAX"]:
        g = _Graph(data)
        k = g.g.OperatorsLength() - 1
        logits_t = g.g.Operators(k).Inputs(0)
        log_d = np.abs(ours(last.inputs[0]) - litert_window_outputs(data, frames, logits_t))
    else:
        log_d = out_d
    if not len(out_d):
        return Parity(0, 0, 0.0)
    return Parity(int(log_d.max()), int(out_d.max()), float(out_d.mean()))


def with_feature_input(model: F.ModelFile, frontend, scale: float = 1.0) -> F.ModelFile:
    """The same model fed the frontend's int16 features: a QUANTIZE op in
    front maps feature f to the model's int8 input, round(f * scale / s) + z,
    where the float model saw f * scale; `frontend` (a voxgate.FrontendConfig)
    goes into the metadata so the engine can take audio (accept_waveform)."""
    s_in, z_in = model.meta["input_quant"]
    mult, shift = quantize_multiplier(scale / s_in)
    if mult == 0 or not -31 <= shift <= 30:
        raise ExportError(f"input scale {s_in} cannot be reached from features")
    first = model.values[0]
    values = [F.Value(first.channels, F.S16), *model.values]

    def moved(op):
        return F.Op(op.type, [v + 1 for v in op.inputs], op.output + 1, op.tensors, op.args)

    quant = F.Op(F.OPS["QUANTIZE"], [0], 1, [], [0, int(z_in), mult, shift, -128, 127])
    meta = dict(model.meta)
    meta["outputs"] = [v + 1 for v in model.meta["outputs"]]
    meta["frontend"] = [int(v) for v in dataclasses.astuple(frontend)]
    meta["sample_rate_hz"] = int(frontend.sample_rate_hz)
    return F.ModelFile(values=values, ops=[quant, *map(moved, model.ops)], tensors=model.tensors,
                       meta=meta)  # fmt: skip


def default_tolerance(bits=None) -> int:
    """Largest difference (int8 LSB) export accepts, on logits and outputs.
    Both engines run the same integers (sub-8-bit layers sit on their grid
    in the .tflite too, see regrid) with the same rounding (requant.h), so
    they agree exactly in practice; 1 LSB leaves room for a rounding tie."""
    return 1


def verify(data: bytes, model: F.ModelFile, frames: np.ndarray, tolerance: int = 1) -> Parity:
    """Streams `frames` through voxgate and LiteRT; raises ExportError if the
    logits or the outputs differ by more than `tolerance` LSB."""
    p = parity(data, model, frames)
    if not p.ok(tolerance):
        raise ExportError(
            f"voxgate and LiteRT differ by {p.logits_max} LSB on the logits (tolerance "
            f"{tolerance}), {p.output_max} max / {p.output_mean:.2f} mean on the outputs"
        )
    return p


def export(
    data: bytes, path, frames: np.ndarray | None = None, *, tolerance: int | None = None,
    frontend=None, feature_scale: float = 1.0, meta: dict | None = None, **kwargs,
) -> int:  # fmt: skip
    """Convert, verify streaming voxgate against LiteRT on `frames` (int8
    model inputs; random if None) and write the file atomically only if they
    agree (verify, `tolerance` default_tolerance). With `frontend`, the file
    takes int16 features / audio (with_feature_input). Returns the Parity.
    For sub-8-bit `bits`, `data` should be regrid()-ed so LiteRT runs the
    same weights."""
    model = convert(data, **kwargs)
    if frames is None:
        channels = model.values[0].channels
        frames = np.random.default_rng(0).integers(-128, 128, (300, channels)).astype(np.int8)
    if tolerance is None:
        tolerance = default_tolerance(kwargs.get("bits"))
    result = verify(data, model, frames, tolerance)
    if frontend is not None:
        model = with_feature_input(model, frontend, feature_scale)
    model.meta.update(meta or {})
    model.save(path)
    return result
