"""The linear kernels (pack, FC, CONV_TIME, DWCONV_TIME, ADD, pools,
STATPOOL) bit-exact against independent numpy integer models, and every
SIMD variant of the dot product bit-exact against the reference."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from voxgate._native import ffi, lib

from . import npref_nonlinear as npr

SETTINGS = settings(max_examples=60, deadline=None)
BITS = st.sampled_from([2, 3, 4, 5, 6, 7, 8])


def i8(a):
    return ffi.from_buffer("int8_t[]", np.ascontiguousarray(a, np.int8))


def out8(n):
    buf = np.zeros(n, np.int8)
    return buf, ffi.from_buffer("int8_t[]", buf, require_writable=True)


def pack(values, bits):
    rows, row_len = values.shape
    out = np.zeros(rows * lib.voxgate_packed_row_bytes(row_len, bits), np.uint8)
    lib.voxgate_pack_weights(
        i8(values), rows, row_len, bits, ffi.from_buffer("uint8_t[]", out, require_writable=True)
    )
    return out


def np_pack(values, bits):
    """The bit layout of format.h, written independently: value i of a row
    at bits i*bits.., rows byte-aligned."""
    rows, row_len = values.shape
    row_bytes = math.ceil(row_len * bits / 8)
    out = np.zeros((rows, row_bytes), np.uint8)
    for r in range(rows):
        acc = 0
        for i, v in enumerate(values[r]):
            acc |= (int(v) & ((1 << bits) - 1)) << (i * bits)
        out[r] = np.frombuffer(acc.to_bytes(row_bytes, "little"), np.uint8)
    return out.reshape(-1)


def rand_weights(rng, shape, bits):
    limit = (1 << (bits - 1)) - 1
    return rng.integers(-limit, limit + 1, shape).astype(np.int8)


def qparams(rng, n, in_zp, out_zp, lo=-128, hi=127):
    mult = rng.integers(1 << 30, (1 << 31) - 1, n).astype(np.int32)
    shift = rng.integers(-12, 3, n).astype(np.int32)
    keep = (mult, shift)
    qp = ffi.new("voxgate_quant_params *")
    qp.mult = ffi.from_buffer("int32_t[]", mult)
    qp.shift = ffi.from_buffer("int32_t[]", shift)
    qp.input_zero_point, qp.output_zero_point = in_zp, out_zp
    qp.act_min, qp.act_max = lo, hi
    return qp, mult, shift, keep


@SETTINGS
@given(rows=st.integers(1, 9), row_len=st.integers(1, 70), bits=BITS, seed=st.integers(0, 2**32))
def test_pack_matches_the_spec_and_round_trips(rows, row_len, bits, seed):
    rng = np.random.default_rng(seed)
    w = rand_weights(rng, (rows, row_len), bits)
    packed = pack(w, bits)
    np.testing.assert_array_equal(packed, np_pack(w, bits))
    row_bytes = lib.voxgate_packed_row_bytes(row_len, bits)
    for r in range(rows):
        got, buf = out8(row_len)
        lib.voxgate_unpack_row_s8(
            ffi.from_buffer("uint8_t[]", packed[r * row_bytes :]), row_len, bits, buf
        )
        np.testing.assert_array_equal(got, w[r])


@SETTINGS
@given(n=st.integers(0, 300), seed=st.integers(0, 2**32))
def test_dot_variants_are_bit_exact(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(-255, 256, n).astype(np.int16)
    w = rng.integers(-127, 128, n).astype(np.int8)
    xs, ws = ffi.from_buffer("int16_t[]", x), i8(w)
    expected = int(np.dot(x.astype(np.int64), w.astype(np.int64)))
    assert lib.voxgate_dot_s16s8_ref(xs, ws, n) == expected
    assert lib.voxgate_dot_s16s8_avx2(xs, ws, n) == expected
    assert lib.voxgate_dot_s16s8_neon(xs, ws, n) == expected
    assert lib.voxgate_dot_s16s8(xs, ws, n) == expected


@SETTINGS
@given(
    n_in=st.integers(1, 80), n_out=st.integers(1, 20), bits=BITS, seed=st.integers(0, 2**32),
    zps=st.tuples(st.integers(-128, 127), st.integers(-128, 127)), bias=st.booleans(),
)  # fmt: skip
def test_fc_matches_numpy(n_in, n_out, bits, seed, zps, bias):
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, n_in).astype(np.int8)
    w = rand_weights(rng, (n_out, n_in), bits)
    b = rng.integers(-(1 << 16), 1 << 16, n_out).astype(np.int32)
    lo = int(rng.integers(-128, 0))
    qp, mult, shift, _ = qparams(rng, n_out, zps[0], zps[1], lo, 127)
    scratch = ffi.new("char[]", lib.voxgate_fc_s8_scratch_bytes(n_in))
    y, ybuf = out8(n_out)
    packed = pack(w, bits)
    bias_ptr = ffi.from_buffer("int32_t[]", b) if bias else ffi.NULL
    lib.voxgate_fc_s8(
        i8(x), n_in, ffi.from_buffer("uint8_t[]", packed), bits, bias_ptr, n_out, qp, scratch, ybuf
    )
    acc = w.astype(np.int64) @ (x.astype(np.int64) - zps[0]) + (b if bias else 0)
    ref = np.clip(npr.requantize(acc, mult, shift) + zps[1], lo, 127)
    np.testing.assert_array_equal(y, ref)


def taps_of(frames):
    keep = [np.ascontiguousarray(f, np.int8) for f in frames]
    ptrs = ffi.new("int8_t *[]", [ffi.from_buffer("int8_t[]", f) for f in keep])
    return ptrs, keep


@SETTINGS
@given(
    k=st.integers(1, 6), cin=st.integers(1, 24), cout=st.integers(1, 12), bits=BITS,
    seed=st.integers(0, 2**32), zp=st.integers(-128, 127),
)  # fmt: skip
def test_conv_time_matches_numpy(k, cin, cout, bits, seed, zp):
    rng = np.random.default_rng(seed)
    frames = rng.integers(-128, 128, (k, cin)).astype(np.int8)
    w = rand_weights(rng, (cout, k, cin), bits)
    b = rng.integers(-(1 << 16), 1 << 16, cout).astype(np.int32)
    qp, mult, shift, _ = qparams(rng, cout, zp, -3)
    taps, _keep = taps_of(frames)
    scratch = ffi.new("char[]", lib.voxgate_conv_time_s8_scratch_bytes(k, cin))
    y, ybuf = out8(cout)
    packed = pack(w.reshape(cout, -1), bits)
    lib.voxgate_conv_time_s8(
        taps, k, cin, ffi.from_buffer("uint8_t[]", packed), bits,
        ffi.from_buffer("int32_t[]", b), cout, qp, scratch, ybuf,
    )  # fmt: skip
    acc = np.einsum("kc,okc->o", frames.astype(np.int64) - zp, w.astype(np.int64)) + b
    np.testing.assert_array_equal(y, np.clip(npr.requantize(acc, mult, shift) - 3, -128, 127))


@SETTINGS
@given(k=st.integers(1, 9), c=st.integers(1, 40), bits=BITS, seed=st.integers(0, 2**32))
def test_dwconv_matches_numpy(k, c, bits, seed):
    rng = np.random.default_rng(seed)
    zp = int(rng.integers(-128, 128))
    frames = rng.integers(-128, 128, (k, c)).astype(np.int8)
    w = rand_weights(rng, (k, c), bits)
    b = rng.integers(-5000, 5000, c).astype(np.int32)
    qp, mult, shift, _ = qparams(rng, c, zp, 7, 7, 127)  # ReLU at the zero point
    taps, _keep = taps_of(frames)
    scratch = ffi.new("char[]", lib.voxgate_dwconv_s8_scratch_bytes(c))
    y, ybuf = out8(c)
    packed = pack(w, bits)
    lib.voxgate_dwconv_s8(
        taps, k, c, ffi.from_buffer("uint8_t[]", packed), bits,
        ffi.from_buffer("int32_t[]", b), qp, scratch, ybuf,
    )  # fmt: skip
    acc = np.einsum("kc,kc->c", frames.astype(np.int64) - zp, w.astype(np.int64)) + b
    np.testing.assert_array_equal(y, np.clip(npr.requantize(acc, mult, shift) + 7, 7, 127))


def quantize_multiplier(real):
    return npr.quantize_multiplier(real)


@SETTINGS
@given(
    n=st.integers(1, 64), seed=st.integers(0, 2**32),
    scales=st.tuples(*[st.floats(0.005, 0.5)] * 3),
)  # fmt: skip
def test_add_matches_tflite_semantics(n, seed, scales):
    rng = np.random.default_rng(seed)
    sa, sb, so = scales
    za, zb, zo = (int(v) for v in rng.integers(-128, 128, 3))
    a = rng.integers(-128, 128, n).astype(np.int8)
    b = rng.integers(-128, 128, n).astype(np.int8)
    # TFLite's Prepare for int8 ADD:
    twice_max = 2 * max(sa, sb)
    am, ash = quantize_multiplier(sa / twice_max)
    bm, bsh = quantize_multiplier(sb / twice_max)
    om, osh = quantize_multiplier(twice_max / ((1 << 20) * so))
    p = ffi.new("voxgate_add_s8_params *")
    for k, v in dict(
        a_zero_point=za, a_mult=am, a_shift=ash, b_zero_point=zb, b_mult=bm, b_shift=bsh,
        out_mult=om, out_shift=osh, out_zero_point=zo, act_min=-128, act_max=127, left_shift=20,
    ).items():  # fmt: skip
        setattr(p, k, v)
    y, ybuf = out8(n)
    lib.voxgate_add_s8(i8(a), i8(b), ybuf, n, p)
    ra = npr.requantize((a.astype(np.int64) - za) << 20, am, ash)
    rb = npr.requantize((b.astype(np.int64) - zb) << 20, bm, bsh)
    ref = np.clip(npr.requantize(ra + rb, om, osh) + zo, -128, 127)
    np.testing.assert_array_equal(y, ref)
    # and it is an addition: within 1 LSB of the float sum, away from clipping
    real = sa * (a.astype(float) - za) + sb * (b.astype(float) - zb)
    q = np.round(real / so) + zo
    inside = (q > -127) & (q < 126)
    assert np.all(np.abs(y[inside] - q[inside]) <= 1)


@SETTINGS
@given(k=st.integers(1, 12), c=st.integers(1, 30), seed=st.integers(0, 2**32))
def test_pools_match_numpy(k, c, seed):
    rng = np.random.default_rng(seed)
    frames = rng.integers(-128, 128, (k, c)).astype(np.int8)
    taps, _keep = taps_of(frames)
    y, ybuf = out8(c)
    lib.voxgate_avgpool_time_s8(taps, k, c, -100, 100, ybuf)
    s = frames.astype(np.int64).sum(axis=0)
    avg = np.where(s > 0, (s + k // 2) // k, -((-s + k // 2) // k))
    np.testing.assert_array_equal(y, np.clip(avg, -100, 100))
    lib.voxgate_maxpool_time_s8(taps, k, c, -128, 90, ybuf)
    np.testing.assert_array_equal(y, np.clip(frames.max(axis=0), -128, 90))


@SETTINGS
@given(t=st.integers(1, 40), c=st.integers(1, 16), seed=st.integers(0, 2**32))
def test_statpool_matches_numpy(t, c, seed):
    rng = np.random.default_rng(seed)
    xs = rng.integers(-128, 128, (t, c)).astype(np.int8)
    p = ffi.new("voxgate_statpool_s8_params *")
    p.in_zero_point, p.mean_zero_point, p.std_zero_point = 5, -3, -128
    p.mean_mult, p.mean_shift, p.std_mult, p.std_shift = 1 << 30, 0, 1 << 30, 1
    state = ffi.new("char[]", lib.voxgate_statpool_s8_state_bytes(c))
    lib.voxgate_statpool_s8_reset(state, c)
    y, ybuf = out8(2 * c)
    for i in range(t):
        lib.voxgate_statpool_s8(state, i8(xs[i]), c, p, ybuf)
        d = xs[: i + 1].astype(np.int64) - 5
        n = i + 1
        s, q = d.sum(axis=0), (d * d).sum(axis=0)
        mean = np.array([round_away(v, n) for v in s])
        std = np.array(
            [round_away(math.isqrt(int(n * qq - ss * ss)), n) for ss, qq in zip(s, q, strict=True)]
        )
        ref_mean = np.clip(npr.requantize(mean, 1 << 30, 0) - 3, -128, 127)
        ref_std = np.clip(npr.requantize(std, 1 << 30, 1) - 128, -128, 127)
        np.testing.assert_array_equal(y, np.concatenate([ref_mean, ref_std]))


def round_away(num, den):
    q = (abs(num) + den // 2) // den
    return q if num >= 0 else -q


def test_simd_detection_matches_the_cpu():
    # The bit-exact tests above exercise AVX2 only where this says so.
    import platform
    from pathlib import Path

    if platform.machine() in ("x86_64", "AMD64"):
        flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
        assert lib.voxgate_kernels_have_avx2() == (" avx2" in flags)
    assert lib.voxgate_kernels_have_neon() == (platform.machine() in ("aarch64", "arm64"))


@SETTINGS
@given(n=st.integers(0, 200), seed=st.integers(0, 2**32))
def test_nibble_dot_variants_are_bit_exact(n, seed):
    rng = np.random.default_rng(seed)
    w = rand_weights(rng, (1, n), 4)
    packed = pack(w, 4)
    nbytes = packed.size
    x = rng.integers(-255, 256, 2 * nbytes).astype(np.int16)
    x[n:] = 0  # padding past the last weight
    xe, xo = np.ascontiguousarray(x[0::2]), np.ascontiguousarray(x[1::2])
    expected = int(np.dot(x[:n].astype(np.int64), w[0].astype(np.int64)))
    args = (
        ffi.from_buffer("int16_t[]", xe),
        ffi.from_buffer("int16_t[]", xo),
        ffi.from_buffer("uint8_t[]", packed),
        nbytes,
    )
    assert lib.voxgate_dot_s16s4_ref(*args) == expected
    assert lib.voxgate_dot_s16s4_avx2(*args) == expected
    assert lib.voxgate_dot_s16s4(*args) == expected


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 40), seed=st.integers(0, 2**32))
def test_vector_requantization_is_bit_exact(n, seed):
    rng = np.random.default_rng(seed)
    acc = rng.integers(-(2**31), 2**31, n, dtype=np.int64).astype(np.int32)
    acc[: n // 4] = rng.integers(-70000, 70000, n // 4)  # typical accumulators too
    mult = rng.integers(0, 2**31, n, dtype=np.int64).astype(np.int32)
    shift = rng.integers(-31, 31, n).astype(np.int32)
    zp, lo, hi = int(rng.integers(-128, 128)), -128, int(rng.integers(0, 128))
    ref = np.clip(npr.requantize(acc.astype(np.int64), mult, shift) + zp, lo, hi)
    for fn in (lib.voxgate_requant_s8_ref, lib.voxgate_requant_s8_avx2, lib.voxgate_requant_s8):
        y, ybuf = out8(n)
        fn(
            ffi.from_buffer("int32_t[]", acc),
            n,
            ffi.from_buffer("int32_t[]", mult),
            ffi.from_buffer("int32_t[]", shift),
            zp,
            lo,
            hi,
            ybuf,
        )
        np.testing.assert_array_equal(y, ref)


@SETTINGS
@given(n=st.integers(0, 70), seed=st.integers(0, 2**32))
def test_add_variants_are_bit_exact(n, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(-128, 128, n).astype(np.int8)
    b = rng.integers(-128, 128, n).astype(np.int8)
    p = ffi.new("voxgate_add_s8_params *")
    vals = dict(
        a_zero_point=int(rng.integers(-128, 128)), a_mult=int(rng.integers(2**30, 2**31)),
        a_shift=int(rng.integers(-8, 1)), b_zero_point=int(rng.integers(-128, 128)),
        b_mult=int(rng.integers(2**30, 2**31)), b_shift=int(rng.integers(-8, 1)),
        out_mult=int(rng.integers(2**30, 2**31)), out_shift=int(rng.integers(-24, -10)),
        out_zero_point=int(rng.integers(-128, 128)), act_min=-128, act_max=127, left_shift=20,
    )  # fmt: skip
    for k, v in vals.items():
        setattr(p, k, v)
    outs = []
    fns = ("voxgate_add_s8_ref", "voxgate_add_s8_avx2", "voxgate_add_s8_avx512", "voxgate_add_s8")
    for fn in (getattr(lib, name) for name in fns):
        y, ybuf = out8(n)
        fn(i8(a), i8(b), ybuf, n, p)
        outs.append(y)
    np.testing.assert_array_equal(outs[0], outs[1])
    for out in outs[2:]:
        np.testing.assert_array_equal(outs[0], out)


@SETTINGS
@given(n=st.integers(0, 100), stride_extra=st.integers(0, 9), seed=st.integers(0, 2**32))
def test_four_row_dot_variants_are_bit_exact(n, stride_extra, seed):
    rng = np.random.default_rng(seed)
    stride = n + stride_extra
    w = rng.integers(-127, 128, 4 * stride + 1).astype(np.int8)
    x = rng.integers(-255, 256, n).astype(np.int16)
    expected = [
        int(np.dot(x.astype(np.int64), w[r * stride : r * stride + n].astype(np.int64)))
        for r in range(4)
    ]
    for fn in (lib.voxgate_dot4_s16s8_ref, lib.voxgate_dot4_s16s8_avx2, lib.voxgate_dot4_s16s8):
        out = np.zeros(4, np.int32)
        fn(
            ffi.from_buffer("int16_t[]", x),
            i8(w),
            stride,
            n,
            ffi.from_buffer("int32_t[]", out, require_writable=True),
        )
        assert out.tolist() == expected


@SETTINGS
@given(n=st.integers(0, 90), zp=st.integers(-128, 127), seed=st.integers(0, 2**32))
def test_channel_mac_variants_are_bit_exact(n, zp, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, n).astype(np.int8)
    w = rng.integers(-127, 128, n).astype(np.int8)
    start = rng.integers(-(2**20), 2**20, n).astype(np.int32)
    expected = start + (x.astype(np.int32) - zp) * w
    for fn in (lib.voxgate_mac_s8_ref, lib.voxgate_mac_s8_avx2, lib.voxgate_mac_s8):
        acc = start.copy()
        fn(ffi.from_buffer("int32_t[]", acc, require_writable=True), i8(x), i8(w), zp, n)
        np.testing.assert_array_equal(acc, expected)
