"""Makes tests/data/engine/tiny_kws.tflite: a small Keras window model
(causal conv with dilation + ReLU, depthwise conv, 1x1 conv with a residual
add, dense to 4 classes, softmax) converted to full-int8 TFLite. Needs the
[train] extra (TensorFlow); the parity test then needs only ai-edge-litert.

    python tests/data/engine/make_tiny_tflite.py
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
C, T = 40, 13  # receptive field: 1 + 2*3 (conv k=3, d=3) + 4 (dw k=5) + 2 (conv k=3)


def snap_to_grid(model, bits: int) -> None:
    """Puts every kernel on a symmetric per-output-channel `bits`-bit grid,
    as QAT leaves it."""
    qmax = (1 << (bits - 1)) - 1
    for layer in model.layers:
        if getattr(layer, "kernel", None) is None:
            continue
        w = layer.kernel.numpy()
        axis = tuple(range(w.ndim - 2)) + (
            (w.ndim - 2,) if "Depthwise" not in type(layer).__name__ else ()
        )
        scale = np.maximum(np.abs(w).max(axis=axis, keepdims=True), 1e-8) / qmax
        layer.kernel.assign(np.round(w / scale) * scale)


def build(weight_bits: int | None = None):
    import keras

    from voxgate_train.export.keras_tflite import gaussian_inputs, to_int8_tflite

    keras.utils.set_random_seed(7)
    L = keras.layers
    x_in = keras.Input((T, 1, C), batch_size=1)
    x = L.Conv2D(24, (3, 1), dilation_rate=(3, 1), activation="relu")(x_in)
    x = L.DepthwiseConv2D((5, 1))(x)
    y = L.Conv2D(24, 1, activation="relu")(x)
    x = L.Add()([x, y])
    x = L.Conv2D(16, (3, 1), activation="relu")(x)
    x = L.Dense(4)(L.Reshape((16,))(x))
    out = L.Softmax()(x)
    model = keras.Model(x_in, out)
    if weight_bits:
        snap_to_grid(model, weight_bits)
    rng = np.random.default_rng(0)
    return to_int8_tflite(model, gaussian_inputs(model, rng, 100, std=1.5))


if __name__ == "__main__":
    data = build()
    (HERE / "tiny_kws.tflite").write_bytes(data)
    print(f"wrote {len(data)} bytes")
