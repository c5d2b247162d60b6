"""QAT model <-> plain Keras models.

`fold_and_snap` turns a QAT model into the float window model the TFLite
exporter takes: no BN, no fake quant, Conv2D / DepthwiseConv2D with bias and
fused ReLU whose kernels are the BN-folded kernels snapped to the quantizer
grid (exactly s * q per channel), and identity-depthwise skips instead of
Cropping2D (see voxgate_train.model.kws). TFLite's per-channel int8 scale is
max|w| / 127; for minmax and tanh the largest level of every channel is
qmax, so int8 holds the grid to within int8 rounding and
`from_tflite.convert(bits=b)` re-quantizes it back to the same b-bit levels.
"""

from __future__ import annotations

import keras
import numpy as np

from ..model.kws import KWSConfig, _build
from .layers import QConv, qat_layers


def _config_of(model) -> KWSConfig:
    config = getattr(model, "kws_config", None)
    if config is None:
        raise ValueError("not a model made by voxgate_train.model.kws.build_kws")
    return config


def fold_and_snap(
    qat_model, time_frames: int, temperature: float = 1.0
) -> tuple[keras.Model, dict[str, int]]:
    """(float window model for `time_frames` input frames, {layer: bits})
    with the layers in graph order, the order `from_tflite.convert(bits=
    list(bits.values()))` takes. Skip layers are listed too: their 0/1
    weights are exact at any width; they get their block's depthwise width,
    so a converter that ordered the two depthwise ops the other way round
    would still give each the right grid.

    `temperature` divides the head's kernel and bias, so the softmax sees
    logits / temperature; a per-channel scaling keeps them on a b-bit grid.
    The class order of the scores is unchanged; only their spread is."""
    if not (np.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be positive and finite, got {temperature!r}")
    config = _config_of(qat_model)
    model = _build(config, time_frames, "export")
    bits: dict[str, int] = {}
    qat = {layer.name: layer for layer in qat_layers(qat_model)}
    for layer in model.layers:
        if layer.name in qat:
            src = qat[layer.name]
            kernel, bias = (np.asarray(v) for v in src.snapped())
            if layer.name == "head":
                kernel, bias = kernel / temperature, bias / temperature
            layer.set_weights([kernel, bias])
            bits[layer.name] = 8 if src.bits is None else int(src.bits)  # float: int8
        elif layer.name.endswith("_skip"):  # exact at any width: take the block's
            bits[layer.name] = bits[layer.name.replace("_skip", "_dw")]
    return model, bits


def copy_float_to_qat(float_model, qat_model) -> None:
    """Start QAT from a trained float model of the same config: kernels,
    biases and BN parameters by layer name (`<name>` and `<name>_bn`); the
    LSQ steps are re-initialised from the folded kernels."""
    names = {layer.name for layer in float_model.layers}
    for q in qat_layers(qat_model):
        src = float_model.get_layer(q.name)
        weights = src.get_weights()
        q.kernel.assign(weights[0])
        if q.use_bias:
            q.bias.assign(weights[1])
        if q.bn:
            bn_name = f"{q.name}_bn"
            if bn_name not in names:
                raise ValueError(f"float model has no {bn_name}")
            bn = float_model.get_layer(bn_name)
            q.gamma.assign(bn.gamma)
            q.beta.assign(bn.beta)
            q.moving_mean.assign(bn.moving_mean)
            q.moving_variance.assign(bn.moving_variance)
            if abs(bn.epsilon - q.epsilon) > 1e-12:
                raise ValueError(f"{bn_name}: epsilon {bn.epsilon} != {q.epsilon}")
        q.reset_quantizer()


def fold_float(float_model, time_frames: int) -> keras.Model:
    """The export window model of a float model (BN folded, not snapped)."""
    config = _config_of(float_model)
    model = _build(config, time_frames, "export")
    for layer in model.layers:
        if layer.name in {"stem", "head"} or layer.name.endswith(("_dw", "_pw")):
            kernel, bias = fold_bn(float_model, layer.name)
            layer.set_weights([kernel, bias])
    return model


def fold_bn(float_model, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(kernel, bias) of float layer `name` with `<name>_bn` folded in."""
    layer = float_model.get_layer(name)
    weights = layer.get_weights()
    kernel = np.asarray(weights[0], np.float32)
    bias = (
        np.asarray(weights[1])
        if len(weights) > 1
        else np.zeros(
            kernel.shape[-1]
            if not isinstance(layer, keras.layers.DepthwiseConv2D)
            else kernel.shape[2],
            np.float32,
        )
    )
    try:
        bn = float_model.get_layer(f"{name}_bn")
    except ValueError:
        return kernel, bias
    inv = np.asarray(bn.gamma) / np.sqrt(np.asarray(bn.moving_variance) + bn.epsilon)
    if isinstance(layer, keras.layers.DepthwiseConv2D):
        kernel = kernel * inv[None, None, :, None]
    else:
        kernel = kernel * inv
    bias = np.asarray(bn.beta) + (bias - np.asarray(bn.moving_mean)) * inv
    return kernel.astype(np.float32), bias.astype(np.float32)


__all__ = ["QConv", "copy_float_to_qat", "fold_and_snap", "fold_bn", "fold_float"]
