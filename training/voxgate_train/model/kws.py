"""A causal, fully convolutional keyword-spotting network (TC-ResNet /
MixedNet-like) in the form the int8 TFLite -> voxgate exporter streams.

Input: feature frames (batch, T, 1, in_channels), time on the height axis.
Output: per-frame class probabilities (batch, T - R + 1, num_classes), R the
receptive field: output frame j depends on input frames j .. j + R - 1 only,
so the model run on a long sequence equals the window model (T = R) run on
each window, which is what the streaming engine computes.

    stem   Conv2D (first_kernel, 1) VALID -> BN -> ReLU
    block  DepthwiseConv2D (k, 1) dilation (d, 1) VALID -> BN
           -> Conv2D 1x1 -> BN -> + skip -> ReLU
    head   Dropout -> Conv2D 1x1 (classes, bias) -> Reshape -> Softmax

The skip path must drop the first (k - 1) d frames to line up with the
VALID depthwise conv. In training that is a Cropping2D. TFLite would turn
Cropping2D into STRIDED_SLICE, which the exporter does not stream, so the
export window model (`qat.export.fold_and_snap`) replaces it with an
identity DepthwiseConv2D of the same (k, 1) / (d, 1) shape whose only
non-zero tap is the newest frame, weight 1 (exact on every grid). It
converts to DEPTHWISE_CONV_2D, which the exporter maps to a causal
DWCONV_TIME: in streaming the skip is the current frame, as it should be.
The classifier is a 1x1 conv rather than a Dense so TFLite quantizes it
per channel, like the other layers; the exporter runs it as FC.

Layer names (shared by the float, QAT and export models): `stem`,
`b{i}_dw`, `b{i}_pw`, `head`; the float model's batch norms are
`<name>_bn`, its croppings `b{i}_crop`, the export model's skips `b{i}_skip`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import keras

from ..qat.quantizers import DEFAULT_METHOD, METHODS


@dataclass(frozen=True)
class KWSConfig:
    num_classes: int
    in_channels: int = 40
    width: int = 64
    first_kernel: int = 3
    blocks: tuple[tuple[int, int], ...] = ((5, 1), (5, 2), (5, 4), (5, 8), (5, 16))
    dropout: float = 0.1
    # one width for every weight layer, or {layer name: bits} (others: "default", else 8)
    weight_bits: int | Mapping[str, int] = 4
    quantizer: str = DEFAULT_METHOD  # one of METHODS
    act_bits: int | None = 8  # None: no activation fake-quant

    def __post_init__(self):
        if self.quantizer not in METHODS:
            raise ValueError(f"quantizer must be one of {METHODS}, got {self.quantizer!r}")
        if self.first_kernel < 1 or any(k < 1 or d < 1 for k, d in self.blocks):
            raise ValueError("kernels and dilations must be >= 1")

    def bits_for(self, name: str) -> int | None:
        if isinstance(self.weight_bits, Mapping):
            return self.weight_bits.get(name, self.weight_bits.get("default", 8))
        return self.weight_bits

    @property
    def weight_layers(self) -> list[str]:
        """Names of the quantized weight layers, in graph order."""
        names = ["stem"]
        for i in range(len(self.blocks)):
            names += [f"b{i}_dw", f"b{i}_pw"]
        return names + ["head"]


def receptive_field(config: KWSConfig) -> int:
    """Input frames per output frame."""
    return config.first_kernel + sum((k - 1) * d for k, d in config.blocks)


def build_kws(config: KWSConfig, time_frames: int | None, qat: bool = False) -> keras.Model:
    """The float (qat=False) or QAT model for `time_frames` input frames
    (None: any length >= receptive_field)."""
    return _build(config, time_frames, "qat" if qat else "float")


def _build(config: KWSConfig, time_frames: int | None, mode: str) -> keras.Model:
    """mode: "float" (Conv + BN + Cropping2D), "qat" (QConv + ActQuant) or
    "export" (Conv with bias and fused ReLU, identity-depthwise skips)."""
    from keras import layers as L

    from ..qat.layers import ActQuant, QConv

    R = receptive_field(config)
    if time_frames is not None and time_frames < R:
        raise ValueError(f"time_frames {time_frames} < receptive field {R}")
    c = config

    def act_q(h, name):
        if mode == "qat" and c.act_bits is not None:
            return ActQuant(c.act_bits, name=f"{name}_aq")(h)
        return h

    def conv(h, name, filters, kernel, *, depthwise=False, dilation=1, relu=False, bn=True):
        if mode == "qat":
            h = QConv(
                filters,
                kernel,
                depthwise=depthwise,
                dilation=dilation,
                bn=bn,
                use_bias=not bn,
                relu=relu,
                bits=c.bits_for(name),
                quantizer=c.quantizer,
                name=name,
            )(h)
            return act_q(h, name)
        use_bias = mode == "export" or not bn
        act = "relu" if relu and (mode == "export" or not bn) else None
        common = dict(dilation_rate=(dilation, 1), padding="valid", use_bias=use_bias,
                      activation=act, name=name)  # fmt: skip
        if depthwise:
            h = L.DepthwiseConv2D((kernel, 1), **common)(h)
        else:
            h = L.Conv2D(filters, (kernel, 1), **common)(h)
        if mode == "float" and bn:
            h = L.BatchNormalization(name=f"{name}_bn")(h)
            if relu:
                h = L.ReLU(name=f"{name}_relu")(h)
        return h

    batch = 1 if mode == "export" else None
    x = keras.Input((time_frames, 1, c.in_channels), batch_size=batch, name="features")
    h = act_q(x, "input")
    h = conv(h, "stem", c.width, c.first_kernel, relu=True)
    for i, (k, d) in enumerate(c.blocks):
        y = conv(h, f"b{i}_dw", None, k, depthwise=True, dilation=d)
        y = conv(y, f"b{i}_pw", c.width, 1)
        if mode == "export":
            skip = L.DepthwiseConv2D(
                (2, 1),
                dilation_rate=((k - 1) * d, 1),
                padding="valid",
                use_bias=False,
                depthwise_initializer=_newest_tap,
                trainable=False,
                name=f"b{i}_skip",
            )(h)
        else:
            skip = L.Cropping2D((((k - 1) * d, 0), (0, 0)), name=f"b{i}_crop")(h)
        h = L.Add(name=f"b{i}_add")([y, skip])
        h = L.ReLU(name=f"b{i}_relu")(h)
        h = act_q(h, f"b{i}_add")
    if mode != "export" and c.dropout:
        h = L.Dropout(c.dropout, name="dropout")(h)
    h = conv(h, "head", c.num_classes, 1, bn=False)
    out_frames = -1 if time_frames is None else time_frames - R + 1
    h = L.Reshape((out_frames, c.num_classes), name="frames")(h)
    out = L.Softmax(name="probs")(h)
    model = keras.Model(x, out, name=f"kws_{mode}")
    model.kws_config = c
    return model


def _newest_tap(shape, dtype=None):
    """Depthwise kernel (k, 1, C, 1) passing the newest frame through."""
    import numpy as np

    w = np.zeros(shape, "float32")
    w[-1] = 1.0
    return keras.ops.convert_to_tensor(w, dtype=dtype or "float32")
