"""Reading and writing voxgate model files (.vgm).

The format is specified in ``native/include/voxgate/format.h``; every
constant, key and struct layout here comes from that header through cffi,
so nothing is written twice. Files are written atomically.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path

import numpy as np

from .errors import ModelFormatError
from .native import ffi, lib


def _s(name: str) -> str:
    return ffi.string(getattr(lib, name)).decode()


MAGIC = _s("VOXGATE_FORMAT_MAGIC").encode()
VERSION = (lib.VOXGATE_FORMAT_VERSION_MAJOR, lib.VOXGATE_FORMAT_VERSION_MINOR)
ALIGN = lib.VOXGATE_FORMAT_ALIGN
MAX_INPUTS = lib.VOXGATE_FORMAT_MAX_INPUTS
MAX_TENSORS = lib.VOXGATE_FORMAT_MAX_TENSORS
MAX_ARGS = lib.VOXGATE_FORMAT_MAX_ARGS

#: Metadata keys, e.g. KEYS["labels"] == "labels"
KEYS = {
    name[len("VOXGATE_KEY_") :].lower(): _s(name)
    for name in dir(lib)
    if name.startswith("VOXGATE_KEY_")
}
#: Op codes by name, e.g. OPS["FC"]
OPS = {
    name[len("VOXGATE_OP_") :]: getattr(lib, name)
    for name in dir(lib)
    if name.startswith("VOXGATE_OP_")
}
OP_NAMES = {code: name for name, code in OPS.items()}

S8, S16, S32, PACKED = (
    lib.VOXGATE_DTYPE_S8,
    lib.VOXGATE_DTYPE_S16,
    lib.VOXGATE_DTYPE_S32,
    lib.VOXGATE_DTYPE_PACKED,
)
_NUMPY = {S8: np.int8, S16: np.int16, S32: np.int32}
_META_I64, _META_F64, _META_STR, _META_STR_LIST = (
    lib.VOXGATE_META_I64,
    lib.VOXGATE_META_F64,
    lib.VOXGATE_META_STR,
    lib.VOXGATE_META_STR_LIST,
)

_HEADER = "voxgate_file_header"
_META = "voxgate_meta_entry"
_VALUE = "voxgate_value_entry"
_TENSOR = "voxgate_tensor_entry"
_OP = "voxgate_op_entry"


@dataclasses.dataclass
class Value:
    """One frame of activations: `channels` int8 (or int16 for the input)."""

    channels: int
    dtype: int = S8
    zero_point: int = 0
    scale: float = 1.0


@dataclasses.dataclass
class Tensor:
    """Constant data. For PACKED, `data` holds the int8 values (shape = dims)
    and `bits` the width they are stored at."""

    data: np.ndarray
    dtype: int
    bits: int = 8

    @classmethod
    def packed(cls, values: np.ndarray, bits: int) -> Tensor:
        values = np.asarray(values)
        limit = (1 << (bits - 1)) - 1
        if values.size and (values.min() < -limit or values.max() > limit):
            raise ModelFormatError(
                f"weights do not fit {bits} bits: range [{values.min()}, {values.max()}] "
                f"outside [-{limit}, {limit}]"
            )
        return cls(values.astype(np.int8), PACKED, bits)

    @classmethod
    def s32(cls, values) -> Tensor:
        return cls(np.asarray(values, dtype=np.int32), S32, 32)

    @classmethod
    def s8(cls, values) -> Tensor:
        return cls(np.asarray(values, dtype=np.int8), S8, 8)

    def payload(self) -> bytes:
        if self.dtype != PACKED:
            little = np.dtype(_NUMPY[self.dtype]).newbyteorder("<")
            return np.ascontiguousarray(self.data, dtype=little).tobytes()
        rows = self.data.shape[0]
        row_len = self.data.size // rows
        row_bytes = lib.voxgate_packed_row_bytes(row_len, self.bits)
        out = np.zeros(rows * row_bytes, dtype=np.uint8)
        src = np.ascontiguousarray(self.data, dtype=np.int8).reshape(-1)
        lib.voxgate_pack_weights(
            ffi.from_buffer("int8_t[]", src),
            rows,
            row_len,
            self.bits,
            ffi.from_buffer("uint8_t[]", out, require_writable=True),
        )
        return out.tobytes()


@dataclasses.dataclass
class Op:
    type: int
    inputs: list[int]
    output: int
    tensors: list[int] = dataclasses.field(default_factory=list)
    args: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ModelFile:
    """Everything in a .vgm file, in Python terms."""

    values: list[Value]
    ops: list[Op]
    tensors: list[Tensor] = dataclasses.field(default_factory=list)
    meta: dict = dataclasses.field(default_factory=dict)

    def add_tensor(self, tensor: Tensor) -> int:
        self.tensors.append(tensor)
        return len(self.tensors) - 1

    def to_bytes(self) -> bytes:
        return _serialize(self)

    def save(self, path: str | os.PathLike) -> None:
        """Write atomically: the file appears complete or not at all."""
        write_atomic(path, self.to_bytes())


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class _Blob:
    """The data area: appends aligned chunks, remembering their offsets."""

    def __init__(self, start: int):
        self.start = start
        self.parts: list[bytes] = []
        self.size = 0

    def add(self, data: bytes, align: int = ALIGN) -> int:
        pad = (-(self.start + self.size)) % align
        if pad:
            self.parts.append(b"\0" * pad)
            self.size += pad
        offset = self.start + self.size
        self.parts.append(data)
        self.size += len(data)
        return offset


def _meta_payload(key: str, value) -> tuple[int, int, bytes]:
    if isinstance(value, str):
        raw = value.encode()
        return _META_STR, len(raw), raw
    if isinstance(value, (bool, int, np.integer)):
        value = [int(value)]
    if isinstance(value, (float, np.floating)):
        value = [float(value)]
    try:
        items = list(value)
    except TypeError:
        raise ModelFormatError(f"metadata {key!r}: cannot store {type(value).__name__}") from None
    if items and all(isinstance(v, str) for v in items):
        raw = b"".join(v.encode() + b"\0" for v in items)
        return _META_STR_LIST, len(items), raw
    if all(isinstance(v, (bool, int, np.integer)) for v in items):
        return _META_I64, len(items), np.asarray(items, dtype="<i8").tobytes()
    if all(isinstance(v, (int, float, np.integer, np.floating)) for v in items):
        return _META_F64, len(items), np.asarray(items, dtype="<f8").tobytes()
    raise ModelFormatError(f"metadata {key!r}: cannot store {type(value).__name__}")


def _serialize(m: ModelFile) -> bytes:
    def align(n: int) -> int:
        return (n + ALIGN - 1) // ALIGN * ALIGN

    if not m.values or not m.ops:
        raise ModelFormatError("a model needs values and ops")
    header = ffi.new(f"{_HEADER} *")
    size = {k: ffi.sizeof(k) for k in (_HEADER, _META, _VALUE, _TENSOR, _OP)}
    meta_offset = align(size[_HEADER])
    value_offset = align(meta_offset + size[_META] * len(m.meta))
    tensor_offset = align(value_offset + size[_VALUE] * len(m.values))
    op_offset = align(tensor_offset + size[_TENSOR] * len(m.tensors))
    blob = _Blob(align(op_offset + size[_OP] * len(m.ops)))

    metas = ffi.new(f"{_META}[]", max(1, len(m.meta)))
    for i, (key, value) in enumerate(m.meta.items()):
        kind, count, raw = _meta_payload(key, value)
        metas[i].key_offset = blob.add(key.encode() + b"\0", 1)
        metas[i].key_bytes = len(key.encode()) + 1
        metas[i].value_offset = blob.add(raw, 8)
        metas[i].value_bytes = len(raw)
        metas[i].type = kind
        metas[i].count = count

    values = ffi.new(f"{_VALUE}[]", len(m.values))
    for i, v in enumerate(m.values):
        values[i].dtype = v.dtype
        values[i].channels = v.channels
        values[i].zero_point = v.zero_point
        values[i].scale = v.scale

    tensors = ffi.new(f"{_TENSOR}[]", max(1, len(m.tensors)))
    for i, t in enumerate(m.tensors):
        raw = t.payload()
        shape = list(np.shape(t.data)) or [1]
        if len(shape) > 4:
            raise ModelFormatError(f"tensor {i}: rank {len(shape)} > 4")
        tensors[i].data_offset = blob.add(raw)
        tensors[i].data_bytes = len(raw)
        tensors[i].dtype = t.dtype
        tensors[i].bits = t.bits
        tensors[i].rank = len(shape)
        for d in range(4):
            tensors[i].dims[d] = shape[d] if d < len(shape) else 1

    ops = ffi.new(f"{_OP}[]", len(m.ops))
    for i, op in enumerate(m.ops):
        if len(op.inputs) > MAX_INPUTS or len(op.tensors) > MAX_TENSORS or len(op.args) > MAX_ARGS:
            raise ModelFormatError(f"op {i}: too many inputs, tensors or args")
        ops[i].type = op.type
        ops[i].num_inputs = len(op.inputs)
        for k, v in enumerate(op.inputs):
            ops[i].inputs[k] = v
        ops[i].output = op.output
        for k in range(MAX_TENSORS):
            ops[i].tensors[k] = op.tensors[k] if k < len(op.tensors) else -1
        for k, a in enumerate(op.args):
            ops[i].args[k] = int(a)

    total = blob.start + blob.size
    header.magic = MAGIC
    header.version_major, header.version_minor = VERSION
    header.header_bytes = size[_HEADER]
    header.file_bytes = total
    header.meta_count = len(m.meta)
    header.value_count = len(m.values)
    header.tensor_count = len(m.tensors)
    header.op_count = len(m.ops)
    header.meta_offset = meta_offset
    header.value_offset = value_offset
    header.tensor_offset = tensor_offset
    header.op_offset = op_offset

    out = bytearray(total)
    out[0 : size[_HEADER]] = ffi.buffer(header)
    out[meta_offset : meta_offset + size[_META] * len(m.meta)] = ffi.buffer(metas)[
        : size[_META] * len(m.meta)
    ]
    out[value_offset : value_offset + size[_VALUE] * len(m.values)] = ffi.buffer(values)
    out[tensor_offset : tensor_offset + size[_TENSOR] * len(m.tensors)] = ffi.buffer(tensors)[
        : size[_TENSOR] * len(m.tensors)
    ]
    out[op_offset : op_offset + size[_OP] * len(m.ops)] = ffi.buffer(ops)
    pos = blob.start
    for part in blob.parts:
        out[pos : pos + len(part)] = part
        pos += len(part)
    return bytes(out)
