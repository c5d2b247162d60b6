"""Models and streams on the native engine.

A :class:`Model` is immutable and can serve many :class:`Stream` objects;
each stream holds one audio stream's state and belongs to one thread.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .audio import to_int16
from .errors import ConfigError, ModelFileError
from .frontend import FrontendConfig
from .native import check, ffi, lib

_META_I64, _META_F64 = lib.VOXGATE_META_I64, lib.VOXGATE_META_F64
_META_STR, _META_STR_LIST = lib.VOXGATE_META_STR, lib.VOXGATE_META_STR_LIST


class Model:
    """A loaded, validated voxgate model (.vgm)."""

    def __init__(self, handle, source: str, keepalive=None):
        self._m = ffi.gc(handle, lib.voxgate_model_free)
        self._keepalive = keepalive
        self.source = source
        self.input_channels = lib.voxgate_model_input_channels(self._m)
        self.input_dtype = np.int16 if lib.voxgate_model_input_dtype(self._m) == 2 else np.int8
        self.num_outputs = lib.voxgate_model_num_outputs(self._m)
        self.output_channels = [
            lib.voxgate_model_output_channels(self._m, i) for i in range(self.num_outputs)
        ]
        self.meta = self._read_meta()

    @classmethod
    def load(cls, path: str | os.PathLike) -> Model:
        path = os.fspath(path)
        if not os.path.exists(path):
            raise ModelFileError(f"model file not found: {path}")
        out = ffi.new("voxgate_model **")
        check(lib.voxgate_model_load_file(path.encode(), out), "load model", model=True)
        return cls(out[0], path)

    @classmethod
    def from_bytes(cls, data: bytes, source: str = "<bytes>") -> Model:
        out = ffi.new("voxgate_model **")
        check(lib.voxgate_model_load_buffer(data, len(data), 1, out), "load model", model=True)
        return cls(out[0], source)

    def _read_meta(self) -> dict:
        meta = {}
        kind, count = ffi.new("uint32_t *"), ffi.new("uint32_t *")
        data, size = ffi.new("void **"), ffi.new("size_t *")
        for i in range(lib.voxgate_model_meta_count(self._m)):
            key = ffi.string(lib.voxgate_model_meta_key(self._m, i))
            check(lib.voxgate_model_meta(self._m, key, kind, count, data, size), "metadata")
            raw = bytes(ffi.buffer(data[0], size[0]))
            if kind[0] == _META_I64:
                value = np.frombuffer(raw, "<i8").tolist()
            elif kind[0] == _META_F64:
                value = np.frombuffer(raw, "<f8").tolist()
            elif kind[0] == _META_STR:
                value = raw.decode("utf-8", "replace")
            else:
                value = [s.decode("utf-8", "replace") for s in raw.split(b"\0")[:-1]]
            meta[key.decode("utf-8", "replace")] = value
        return meta

    @property
    def frontend_config(self) -> FrontendConfig | None:
        fields = self.meta.get("frontend")
        if fields is None:
            return None
        names = [f for f in FrontendConfig.__dataclass_fields__]
        return FrontendConfig(**dict(zip(names, fields, strict=True)))

    @property
    def labels(self) -> list[str]:
        return list(self.meta.get("labels", []))

    def stream(self) -> Stream:
        return Stream(self)

    def __repr__(self) -> str:
        return (
            f"Model({self.source!r}, input={self.input_channels}x{np.dtype(self.input_dtype)}, "
            f"outputs={self.output_channels})"
        )


class Stream:
    """One stream's state on a model: step it frame by frame or feed audio."""

    def __init__(self, model: Model):
        self.model = model
        out = ffi.new("voxgate_stream **")
        check(lib.voxgate_stream_create(model._m, out), "create stream")
        self._s = ffi.gc(out[0], lib.voxgate_stream_destroy)
        self._updated = ffi.new("uint32_t *")
        self._outs = [np.zeros(c, np.int8) for c in model.output_channels]

    def _frame(self, frame) -> np.ndarray:
        frame = np.ascontiguousarray(frame)
        if frame.dtype != self.model.input_dtype or frame.shape != (self.model.input_channels,):
            raise ConfigError(
                f"a frame must be {self.model.input_channels} values of "
                f"{np.dtype(self.model.input_dtype)}, got shape {frame.shape} {frame.dtype}"
            )
        return frame

    def accept_frame(self, frame) -> list[np.ndarray | None]:
        """Step one input frame; returns, per output, its new frame or None
        when the output was not updated at this step."""
        frame = self._frame(frame)
        check(
            lib.voxgate_stream_accept_frame(self._s, ffi.from_buffer(frame), self._updated),
            "stream",
        )
        result = []
        for i, buf in enumerate(self._outs):
            if self._updated[0] >> i & 1:
                check(
                    lib.voxgate_stream_read_output(
                        self._s,
                        i,
                        ffi.from_buffer("int8_t[]", buf, require_writable=True),
                        buf.size,
                    ),
                    "stream",
                )
                result.append(buf.copy())
            else:
                result.append(None)
        return result

    def run(self, frames: np.ndarray, output: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Step over many frames; returns (frame indices, values) of every
        update of `output`, values shaped (updates, channels)."""
        frames = np.asarray(frames)
        if frames.ndim != 2:
            raise ConfigError(f"frames must be 2-D (frames, channels), got {frames.shape}")
        index, values = [], []
        start = lib.voxgate_stream_frames(self._s)
        for t, frame in enumerate(frames):
            out = self.accept_frame(frame)[output]
            if out is not None:
                index.append(start + t)
                values.append(out)
        channels = self.model.output_channels[output]
        return np.asarray(index, np.int64), np.asarray(values, np.int8).reshape(-1, channels)

    def accept_waveform(self, pcm, output: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Feed audio (int16, or float in [-1, 1]) through the model's own
        frontend; returns (frame indices, values) of every update of
        `output` that this audio completed. Any chunking gives the same."""
        samples = to_int16(pcm)
        index, values = [], []

        @ffi.callback("void(void *, uint64_t, int, const int8_t *, size_t)")
        def collect(_user, frame, which, data, channels):
            if which == output:
                index.append(frame)
                values.append(np.frombuffer(ffi.buffer(data, channels), np.int8).copy())

        check(
            lib.voxgate_stream_accept_waveform(
                self._s, ffi.from_buffer("int16_t[]", samples), samples.size, collect, ffi.NULL
            ),
            "stream",
            model=True,
        )
        channels = self.model.output_channels[output]
        return np.asarray(index, np.int64), np.asarray(values, np.int8).reshape(-1, channels)

    def reset(self) -> None:
        check(lib.voxgate_stream_reset(self._s), "stream")


def load_model(path: str | os.PathLike | Path) -> Model:
    return Model.load(path)
