"""Makes the small model files under tests/data/models/: valid ones (also the
seed corpus of the loader fuzzer) and corrupted ones, each listed in
bad/expected.json with the error it must get. Rerun after a format change:
(fuzz_*.vgm are not made here: they are inputs the loader fuzzer once failed
on, kept as seeds so every fuzz run tries them first)

    python tests/data/models/make_models.py
"""

import json
import struct
from pathlib import Path

import numpy as np

from voxgate import format as F

HERE = Path(__file__).resolve().parent


def quantize_model() -> F.ModelFile:
    """int16 features -> int8, the smallest useful model."""
    return F.ModelFile(
        values=[F.Value(40, F.S16, 0, 1 / 512), F.Value(40, F.S8, -128, 0.05)],
        ops=[F.Op(F.OPS["QUANTIZE"], [0], 1, [], [-2560, -128, 1 << 30, -9, -128, 127])],
        meta={"outputs": [1], "name": "quantize", "task": "test"},
    )


def fc_model(bits: int = 4) -> F.ModelFile:
    """QUANTIZE -> FC (packed weights) -> LUT, with labels and thresholds."""
    rng = np.random.default_rng(bits)
    limit = (1 << (bits - 1)) - 1
    m = quantize_model()
    w = m.add_tensor(F.Tensor.packed(rng.integers(-limit, limit + 1, (3, 40)), bits))
    b = m.add_tensor(F.Tensor.s32(rng.integers(-500, 500, 3)))
    mult = m.add_tensor(F.Tensor.s32(np.full(3, 1 << 30)))
    shift = m.add_tensor(F.Tensor.s32(np.full(3, -6)))
    lut = m.add_tensor(F.Tensor.s8(np.clip(np.arange(-128, 128) // 2, -128, 127)))
    m.values += [F.Value(3), F.Value(3)]
    m.ops += [
        F.Op(F.OPS["FC"], [1], 2, [w, b, mult, shift], [-128, 0, -128, 127]),
        F.Op(F.OPS["LUT"], [2], 3, [lut]),
    ]
    m.meta.update(
        {"outputs": [3], "name": f"fc-w{bits}", "labels": ["a", "b", "c"], "thresholds": [0.5] * 3}
    )
    return m


def corruptions(good: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name -> (bytes, error class, message fragment)"""
    hdr = bytearray(good)

    def patched(offset: int, fmt: str, value) -> bytes:
        b = bytearray(good)
        struct.pack_into(fmt, b, offset, value)
        return bytes(b)

    op_offset = struct.unpack_from("<Q", hdr, 64)[0]
    return {
        "empty.vgm": (b"", "ModelFormatError", "shorter than"),
        "bad_magic.vgm": (b"RIFF" + good[4:], "ModelFormatError", "bad magic"),
        "future_version.vgm": (patched(4, "<H", 2), "ModelVersionError", "version 2.0"),
        "truncated.vgm": (good[: len(good) // 2], "ModelFormatError", "truncated"),
        "op_table_past_end.vgm": (
            patched(64, "<Q", len(good) // 16 * 16),
            "ModelFormatError",
            "past the end",
        ),
        "unknown_op.vgm": (patched(op_offset, "<I", 999), "UnsupportedModelError", "unknown op"),
        "op_reads_unwritten_value.vgm": (
            patched(op_offset + 8, "<I", 1),
            "ModelFormatError",
            "before any op writes it",
        ),
        "tensor_index_out_of_range.vgm": (
            patched(op_offset + 32, "<i", 77),
            "ModelFormatError",
            "does not exist",
        ),
    }


def main() -> None:
    good = {"quantize.vgm": quantize_model(), "fc_w4.vgm": fc_model(4), "fc_w8.vgm": fc_model(8)}
    for name, model in good.items():
        model.save(HERE / name)
    expected = {}
    for name, (data, error, words) in corruptions(good["quantize.vgm"].to_bytes()).items():
        (HERE / "bad" / name).write_bytes(data)
        expected[name] = {"error": error, "message": words}
    (HERE / "bad" / "expected.json").write_text(json.dumps(expected, indent=2) + "\n")
    print(f"wrote {len(good)} models and {len(expected)} corrupted files under {HERE}")


if __name__ == "__main__":
    main()
