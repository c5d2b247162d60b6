"""QAT layers: a conv that holds its kernel and batch-norm parameters and
quantizes the BN-folded kernel, and an EMA min/max activation fake-quant.

QConv (Conv2D with a (k, 1) kernel, depthwise or not, or a 1x1 conv used
as the classifier) folds BN into the kernel in the forward pass, following
Jacob et al. 2018 / Krishnamoorthi 2018:

- the kernel is always folded with the *moving* variance,
  w_f = w * gamma / sqrt(var_moving + eps), and fake-quantized: the weights the
  network sees are the ones that will be exported;
- in training, before `freeze_bn`, the batch statistics are measured with a
  float conv, the moving averages updated, and the output corrected to the
  batch statistics: y = conv(x, Q(w_f)) * sigma_moving / sigma_batch
  + beta - gamma * mean_batch / sigma_batch;
- after `freeze_bn`, and always in inference, y = conv(x, Q(w_f)) + b_f with
  b_f = beta - gamma * mean_moving / sigma_moving.
"""

from __future__ import annotations

import keras
from keras import ops

from . import quantizers as Q


def _conv(x, kernel, depthwise: bool, dilation: int):
    if depthwise:
        return ops.depthwise_conv(x, kernel, padding="valid", dilation_rate=(dilation, 1))
    return ops.conv(x, kernel, padding="valid", dilation_rate=(dilation, 1))


@keras.saving.register_keras_serializable("voxgate")
class QConv(keras.layers.Layer):
    """Conv2D / DepthwiseConv2D with a (kernel, 1) VALID kernel, dilation
    (dilation, 1), optional folded BN, bias and fused ReLU, whose folded
    kernel is fake-quantized to `bits` (None: float) with `quantizer`."""

    def __init__(
        self,
        filters: int | None,
        kernel: int,
        *,
        depthwise: bool = False,
        dilation: int = 1,
        bn: bool = True,
        use_bias: bool = False,
        relu: bool = False,
        bits: int | None = 4,
        quantizer: str = Q.DEFAULT_METHOD,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if quantizer not in Q.METHODS:
            raise ValueError(f"unknown quantizer {quantizer!r}")
        if bits is not None:
            Q.qmax(bits)  # validates
        self.filters, self.kernel_size = filters, int(kernel)
        self.depthwise, self.dilation = bool(depthwise), int(dilation)
        self.bn, self.use_bias, self.relu = bool(bn), bool(use_bias), bool(relu)
        self.bits, self.quantizer = bits, quantizer
        self.momentum, self.epsilon = float(momentum), float(epsilon)

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel": self.kernel_size,
            "depthwise": self.depthwise,
            "dilation": self.dilation,
            "bn": self.bn,
            "use_bias": self.use_bias,
            "relu": self.relu,
            "bits": self.bits,
            "quantizer": self.quantizer,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
        }

    @property
    def channel_axis(self) -> int:
        """The axis of the kernel that indexes output channels."""
        return 2 if self.depthwise else 3

    def build(self, input_shape):
        cin = int(input_shape[-1])
        k = self.kernel_size
        if self.depthwise:
            self.channels, shape = cin, (k, 1, cin, 1)
        else:
            self.channels, shape = int(self.filters), (k, 1, cin, int(self.filters))
        c = self.channels
        self.kernel = self.add_weight(name="kernel", shape=shape, initializer="he_uniform")
        self.bias = (
            self.add_weight(name="bias", shape=(c,), initializer="zeros")
            if (self.use_bias)
            else None
        )
        if self.bn:
            self.gamma = self.add_weight(name="gamma", shape=(c,), initializer="ones")
            self.beta = self.add_weight(name="beta", shape=(c,), initializer="zeros")
            self.moving_mean = self.add_weight(
                name="moving_mean", shape=(c,), initializer="zeros", trainable=False
            )
            self.moving_variance = self.add_weight(
                name="moving_variance", shape=(c,), initializer="ones", trainable=False
            )
            self.bn_frozen = self.add_weight(
                name="bn_frozen", shape=(), initializer="zeros", trainable=False
            )
        self.step = None
        if self.quantizer == "lsq" and self.bits is not None:
            self.step = self.add_weight(name="step", shape=(c,), initializer="ones")
            self.reset_quantizer()

    def _per_channel(self, v):
        shape = [1, 1, 1, 1]
        shape[self.channel_axis] = -1
        return ops.reshape(v, shape)

    def folded(self):
        """(kernel, bias) with BN folded in using the moving statistics (float)."""
        kernel = ops.convert_to_tensor(self.kernel)
        bias = ops.convert_to_tensor(self.bias) if self.use_bias else ops.zeros((self.channels,))
        if not self.bn:
            return kernel, bias
        inv = self.gamma / ops.sqrt(self.moving_variance + self.epsilon)
        return kernel * self._per_channel(inv), self.beta + (bias - self.moving_mean) * inv

    def quantize_kernel(self, kernel):
        return Q.quantize_weights(kernel, self.bits, self.quantizer, self.channel_axis, self.step)

    def snapped(self):
        """(kernel, bias) as exported: the folded kernel on the quantizer grid."""
        kernel, bias = self.folded()
        return self.quantize_kernel(kernel), bias

    def reset_quantizer(self):
        """Re-initialise the LSQ step from the current folded kernel."""
        if self.step is not None:
            kernel, _ = self.folded()
            self.step.assign(Q.lsq_init_step(kernel, self.bits, self.channel_axis))

    def call(self, x, training=None):
        kernel_f, bias_f = self.folded()
        y = _conv(x, self.quantize_kernel(kernel_f), self.depthwise, self.dilation)
        if self.bn and training:
            float_y = _conv(x, self.kernel, self.depthwise, self.dilation)
            if self.use_bias:
                float_y = float_y + self.bias
            mean, var = ops.moments(float_y, axes=(0, 1, 2))
            sigma_mov = ops.sqrt(self.moving_variance + self.epsilon)
            sigma_b = ops.sqrt(var + self.epsilon)
            corrected = y * (sigma_mov / sigma_b) + (self.beta - self.gamma * mean / sigma_b)
            y = ops.where(self.bn_frozen > 0.5, y + bias_f, corrected)
            # frozen: the statistics stay too, so training sees the exported graph
            m = ops.where(self.bn_frozen > 0.5, 1.0, self.momentum)
            self.moving_mean.assign(self.moving_mean * m + ops.stop_gradient(mean) * (1 - m))
            self.moving_variance.assign(self.moving_variance * m + ops.stop_gradient(var) * (1 - m))
        else:
            y = y + bias_f
        return ops.relu(y) if self.relu else y


@keras.saving.register_keras_serializable("voxgate")
class ActQuant(keras.layers.Layer):
    """Asymmetric `bits`-bit activation fake quantization over an EMA of the
    batch min/max (updated in training; the first batch initialises it).
    Identity until the range is initialised, and while disabled."""

    def __init__(self, bits: int = 8, momentum: float = 0.99, **kwargs):
        super().__init__(**kwargs)
        self.bits, self.momentum = int(bits), float(momentum)

    def get_config(self):
        return {**super().get_config(), "bits": self.bits, "momentum": self.momentum}

    def build(self, input_shape):
        def var(name, value):
            return self.add_weight(
                name=name,
                shape=(),
                initializer=keras.initializers.Constant(value),
                trainable=False,
            )

        self.range_min = var("range_min", 0.0)
        self.range_max = var("range_max", 0.0)
        self.initialized = var("initialized", 0.0)
        self.enabled = var("enabled", 1.0)

    def call(self, x, training=None):
        lo, hi = self.range_min, self.range_max
        if training:
            bmin = ops.stop_gradient(ops.min(x))
            bmax = ops.stop_gradient(ops.max(x))
            m = self.momentum
            init = self.initialized > 0.5
            lo = ops.where(init, lo * m + bmin * (1 - m), bmin)
            hi = ops.where(init, hi * m + bmax * (1 - m), bmax)
            self.range_min.assign(lo)
            self.range_max.assign(hi)
            self.initialized.assign(1.0)
            active = self.enabled > 0.5
        else:
            active = ops.logical_and(self.enabled > 0.5, self.initialized > 0.5)
        return ops.where(active, Q.fake_quant_range(x, lo, hi, self.bits), x)

    def compute_output_shape(self, input_shape):
        return input_shape


def qat_layers(model) -> list[QConv]:
    return [layer for layer in model.layers if isinstance(layer, QConv)]


def freeze_bn(model, frozen: bool = True) -> None:
    """Stop using and gathering batch statistics in the QAT convs (the Jacob
    et al. freeze step): the moving statistics stay as they are."""
    for layer in qat_layers(model):
        if layer.bn:
            layer.bn_frozen.assign(1.0 if frozen else 0.0)


def set_act_quant(model, enabled: bool) -> None:
    """Turn every activation fake-quant of a QAT model on or off."""
    for layer in model.layers:
        if isinstance(layer, ActQuant):
            layer.enabled.assign(1.0 if enabled else 0.0)
