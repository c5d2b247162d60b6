"""The load-time ("prepared") FC and depthwise kernels that the runner uses:
every variant (reference, AVX2, AVX-512 VNNI, NEON where it runs) bit-exact
against independent numpy integer models, over random shapes, bit widths
and zero points."""

from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from voxgate._native import ffi, lib

from . import npref_nonlinear as npr
from .test_linear_kernels import BITS, SETTINGS, i8, out8, pack, qparams, rand_weights, taps_of

ACC_VARIANTS = ("voxgate_fcp_acc_ref", "voxgate_fcp_acc_avx2", "voxgate_fcp_acc_vnni",
                "voxgate_fcp_acc_neon", "voxgate_fcp_acc")  # fmt: skip
DW_VARIANTS = ("voxgate_dwp_s8_ref", "voxgate_dwp_s8_avx2", "voxgate_dwp_s8_avx512",
               "voxgate_dwp_s8")  # fmt: skip


@SETTINGS
@given(
    n_in=st.integers(1, 150), n_out=st.integers(1, 40), bits=BITS, seed=st.integers(0, 2**32),
    zps=st.tuples(st.integers(-128, 127), st.integers(-128, 127)), bias=st.booleans(),
)  # fmt: skip
def test_prepared_fc_matches_numpy(n_in, n_out, bits, seed, zps, bias):
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, n_in).astype(np.int8)
    w = rand_weights(rng, (n_out, n_in), bits)
    b = rng.integers(-(1 << 20), 1 << 20, n_out).astype(np.int32)
    lo = int(rng.integers(-128, 0))
    qp, mult, shift, _keep = qparams(rng, n_out, zps[0], zps[1], lo, 127)
    packed = pack(w, bits)
    bias_ptr = ffi.from_buffer("int32_t[]", b) if bias else ffi.NULL
    p = lib.voxgate_fcp_create(
        ffi.from_buffer("uint8_t[]", packed), bits, bias_ptr, zps[0], qp.mult, qp.shift,
        n_out, n_in,
    )  # fmt: skip
    assert p != ffi.NULL
    p = ffi.gc(p, lib.voxgate_fcp_free)
    acc = w.astype(np.int64) @ (x.astype(np.int64) - zps[0]) + (b if bias else 0)

    xp = np.zeros(p.in_pad, np.int8)
    xp[:n_in] = x
    for name in ACC_VARIANTS:
        got = np.zeros(p.blocks * 8, np.int32)
        getattr(lib, name)(p, i8(xp), ffi.from_buffer("int32_t[]", got, require_writable=True))
        np.testing.assert_array_equal(got[:n_out], acc, err_msg=name)

    scratch = ffi.new("char[]", lib.voxgate_fcp_scratch_bytes(p))
    y, ybuf = out8(n_out)
    lib.voxgate_fcp_s8(p, i8(x), qp, scratch, ybuf)
    np.testing.assert_array_equal(y, np.clip(npr.requantize(acc, mult, shift) + zps[1], lo, 127))


@SETTINGS
@given(k=st.integers(1, 9), c=st.integers(1, 100), bits=BITS, seed=st.integers(0, 2**32))
def test_prepared_dwconv_matches_numpy(k, c, bits, seed):
    rng = np.random.default_rng(seed)
    zp = int(rng.integers(-128, 128))
    frames = rng.integers(-128, 128, (k, c)).astype(np.int8)
    w = rand_weights(rng, (k, c), bits)
    b = rng.integers(-5000, 5000, c).astype(np.int32)
    qp, mult, shift, _keep = qparams(rng, c, zp, 7, 7, 127)  # ReLU at the zero point
    taps, _frames = taps_of(frames)
    packed = pack(w, bits)
    p = lib.voxgate_dwp_create(
        ffi.from_buffer("uint8_t[]", packed), bits, ffi.from_buffer("int32_t[]", b), zp,
        qp.mult, qp.shift, k, c,
    )  # fmt: skip
    assert p != ffi.NULL
    p = ffi.gc(p, lib.voxgate_dwp_free)
    acc = np.einsum("kc,kc->c", frames.astype(np.int64) - zp, w.astype(np.int64)) + b
    ref = np.clip(npr.requantize(acc, mult, shift) + 7, 7, 127)
    for name in DW_VARIANTS:
        y, ybuf = out8(c)
        getattr(lib, name)(p, taps, qp, ybuf)
        np.testing.assert_array_equal(y, ref, err_msg=name)


def test_vnni_detection_matches_the_cpu():
    cpuinfo = Path("/proc/cpuinfo")
    flags = cpuinfo.read_text().split() if cpuinfo.exists() else []
    has = "avx512_vnni" in flags and "avx512vl" in flags and "avx2" in flags
    assert lib.voxgate_kernels_have_vnni() == int(has)
