"""Keras model -> full-integer int8 .tflite (int8 input and output), the
form from_tflite converts and LiteRT runs."""

from collections.abc import Callable, Iterable

import numpy as np


def to_int8_tflite(model, representative: Callable[[], Iterable]) -> bytes:
    """`representative` yields calibration inputs: a list in model.inputs
    order, or a dict by input name (safer for several inputs, as the
    converter's order need not be Keras's)."""
    import tensorflow as tf

    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = representative
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    return conv.convert()


def gaussian_inputs(model, rng: np.random.Generator, count: int, std: float = 1.0):
    """A representative dataset of Gaussian inputs, by input name."""

    def gen():
        for _ in range(count):
            yield {t.name: rng.normal(0, std, t.shape).astype(np.float32) for t in model.inputs}

    return gen
