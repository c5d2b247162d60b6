"""Engine speed on a KWS-sized streaming model (about 100k parameters, 40
mel channels in, a frame every 10 ms): CPU seconds per second of audio for
voxgate at 8-bit and 4-bit weights, and for ai-edge-litert (LiteRT) running
the same architecture as a full-int8 .tflite, measured in the same run.

    pip install .[train]        # TensorFlow builds the LiteRT model
    python bench/engine.py [--seconds 30] [--repeats 3]

Architecture: causal conv (k=3) 40->128, five residual blocks of depthwise
conv (k=5, dilation 1..16) + pointwise 128->128 + ReLU + add, dense 128->12,
softmax; receptive field 127 frames. Both engines run it streaming, one
frame per step: voxgate with its ring buffers, LiteRT as kws_streaming's
external-state model (each conv gets its past frames as an input and
returns them updated), so both do the same arithmetic per frame. Weights
are random: speed does not depend on their values.
"""

import argparse
import time

import numpy as np
from timing import best_cpu_seconds as cpu
from timing import warm_up

from voxgate import format as F
from voxgate.model import Model
from voxgate.native import ffi, lib

C_IN, WIDTH, CLASSES = 40, 128, 12
CONV1_K = 3
DW_K, DILATIONS = 5, (1, 2, 4, 8, 16)


def param_count() -> int:
    conv1 = CONV1_K * C_IN * WIDTH + WIDTH
    blocks = len(DILATIONS) * (DW_K * WIDTH + WIDTH + WIDTH * WIDTH + WIDTH)
    return conv1 + blocks + WIDTH * CLASSES + CLASSES


def voxgate_model(bits: int, rng) -> Model:
    limit = (1 << (bits - 1)) - 1
    m = F.ModelFile(values=[F.Value(C_IN)], ops=[], meta={"outputs": []})

    def value(channels):
        m.values.append(F.Value(channels))
        return len(m.values) - 1

    def linear(shape, channels=None):
        n = channels or shape[0]
        return [
            m.add_tensor(F.Tensor.packed(rng.integers(-limit, limit + 1, shape), bits)),
            m.add_tensor(F.Tensor.s32(rng.integers(-1000, 1000, n))),
            m.add_tensor(F.Tensor.s32(rng.integers(1 << 30, (1 << 31) - 1, n))),
            m.add_tensor(F.Tensor.s32(np.full(n, -8))),
        ]

    relu = [0, -128, -128, 127]  # in_zp, out_zp, act_min = out_zp (ReLU), act_max
    x = value(WIDTH)
    m.ops.append(F.Op(F.OPS["CONV_TIME"], [0], x, linear((WIDTH, CONV1_K, C_IN)), relu + [3, 1, 1]))
    add = [-128, 1 << 30, -1, -128, 1 << 30, -1, 1 << 30, -18, -128, -128, 127, 20]
    for d in DILATIONS:
        a = value(WIDTH)
        plain = [-128, 0, -128, 127]
        m.ops.append(
            F.Op(F.OPS["DWCONV_TIME"], [x], a, linear((DW_K, WIDTH), WIDTH), plain + [DW_K, d, 1])
        )
        b = value(WIDTH)
        m.ops.append(F.Op(F.OPS["FC"], [a], b, linear((WIDTH, WIDTH)), [0, -128, -128, 127]))
        c = value(WIDTH)
        m.ops.append(F.Op(F.OPS["ADD"], [b, x], c, [], add))
        x = c
    logits = value(CLASSES)
    m.ops.append(F.Op(F.OPS["FC"], [x], logits, linear((CLASSES, WIDTH)), [-128, 0, -128, 127]))
    probs = value(CLASSES)
    table = np.round(2**20 * np.exp(-0.1 * np.arange(256))).astype(np.int32)
    m.ops.append(
        F.Op(F.OPS["SOFTMAX"], [logits], probs, [m.add_tensor(F.Tensor(table, F.S32, 32))])
    )
    m.meta["outputs"] = [probs]
    return Model.from_bytes(m.to_bytes())


def litert_model(rng):
    """The same layers as an external-state streaming Keras model, converted
    to full-int8 TFLite."""
    import keras

    from voxgate_train.export.keras_tflite import gaussian_inputs, to_int8_tflite

    frame = keras.Input((1, 1, C_IN), batch_size=1, name="frame")
    states, new_states = [], []

    def stream(x, span, channels, layer):
        s = keras.Input((span - 1, 1, channels), batch_size=1, name=f"state{len(states)}")
        states.append(s)
        window = keras.layers.Concatenate(axis=1)([s, x])
        new_states.append(window)
        return layer(window)

    L = keras.layers
    x = stream(frame, CONV1_K, C_IN, L.Conv2D(WIDTH, (CONV1_K, 1), activation="relu"))
    for d in DILATIONS:
        span = (DW_K - 1) * d + 1
        y = stream(x, span, WIDTH, L.DepthwiseConv2D((DW_K, 1), dilation_rate=(d, 1)))
        y = L.Conv2D(WIDTH, 1, activation="relu")(y)
        x = L.Add()([y, x])
    x = L.Dense(CLASSES)(L.Reshape((WIDTH,))(x))
    out = L.Softmax()(x)
    model = keras.Model([frame, *states], [out, *new_states])

    return to_int8_tflite(model, gaussian_inputs(model, rng, 50))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    n = int(args.seconds * 100)
    frames = rng.integers(-128, 128, (n, C_IN)).astype(np.int8)

    warm_up()
    rows = []
    for bits in (8, 4):
        stream = voxgate_model(bits, rng).stream()
        ptr = ffi.from_buffer("int8_t[]", frames)

        def run_c(stream=stream, ptr=ptr):
            stream.reset()
            lib.voxgate_stream_accept_frames(stream._s, ptr, n, ffi.NULL, ffi.NULL)

        rows.append((f"voxgate w{bits}a8, C loop", cpu(run_c, args.repeats)))

        def run_py(stream=stream):
            stream.reset()
            for f in frames:
                stream.accept_frame(f)

        rows.append((f"voxgate w{bits}a8, Python call per frame", cpu(run_py, args.repeats)))

    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_content=litert_model(rng), num_threads=1)
    interp.allocate_tensors()
    ins = {d["name"]: d for d in interp.get_input_details()}
    outs = interp.get_output_details()
    state_in = sorted(
        (k for k in ins if "state" in k), key=lambda k: int(k.split("state")[-1].split(":")[0])
    )
    frame_in = next(k for k in ins if "frame" in k)
    # Map each returned window to its state input by shape (spans differ).
    by_shape = {tuple(ins[k]["shape"][1:]): k for k in state_in}
    window_out = [o for o in outs if len(o["shape"]) == 4]
    invoke_only = [0.0]

    def run_litert():
        for k in state_in:
            interp.set_tensor(ins[k]["index"], np.zeros(ins[k]["shape"], np.int8))
        spent = 0.0
        for f in frames:
            interp.set_tensor(ins[frame_in]["index"], f.reshape(1, 1, 1, C_IN))
            t0 = time.process_time()
            interp.invoke()
            spent += time.process_time() - t0
            for o in window_out:
                w = interp.get_tensor(o["index"])
                key = (w.shape[1] - 1, 1, w.shape[3])
                interp.set_tensor(ins[by_shape[key]]["index"], w[:, 1:])
        invoke_only[0] = spent

    total = cpu(run_litert, args.repeats)
    rows.append(("LiteRT int8, invoke() only", invoke_only[0]))
    rows.append(("LiteRT int8, with state copies per frame", total))

    peer = invoke_only[0]
    print(
        f"model: {param_count()} parameters, {n} frames ({args.seconds:.0f} s), "
        f"best of {args.repeats}"
    )
    print(f"{'engine':44s} {'CPU s / audio s':>16s} {'ratio to LiteRT invoke':>24s}")
    for name, t in rows:
        print(f"{name:44s} {t / args.seconds:16.5f} {t / peer:23.2f}x")


if __name__ == "__main__":
    main()
