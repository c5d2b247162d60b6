"""Thin numpy wrappers over the C nonlinear kernels (through cffi), so the
tests read as comparisons of arrays."""

from __future__ import annotations

import numpy as np

from voxgate._native import ffi, lib


def _s8(a) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(a), dtype=np.int8)


def _s32(a) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(a), dtype=np.int32)


def _ptr(ctype: str, a: np.ndarray):
    return ffi.cast(ctype, ffi.from_buffer(a))


def lut(x, table, in_place: bool = False) -> np.ndarray:
    x = _s8(x).copy()
    t = _s8(table)
    assert t.shape == (256,)
    y = x if in_place else np.empty_like(x)
    lib.voxgate_lut_s8(_ptr("int8_t *", x), _ptr("int8_t *", y), x.size, _ptr("int8_t *", t))
    return y


def softmax(x, table, ref: bool = False) -> np.ndarray:
    x = _s8(x)
    t = _s32(table)
    y = np.empty_like(x)
    fn = lib.voxgate_softmax_s8_ref if ref else lib.voxgate_softmax_s8
    fn(_ptr("int8_t *", x), _ptr("int8_t *", y), x.size, _ptr("int32_t *", t))
    return y


def softmax_table_ok(table) -> bool:
    return bool(lib.voxgate_softmax_s8_table_ok(_ptr("int32_t *", _s32(table))))


def mul(a, b, **kw) -> np.ndarray:
    a, b = _s8(a), _s8(b)
    y = np.empty_like(a)
    p = ffi.new("voxgate_mul_s8_params *", kw)
    lib.voxgate_mul_s8(_ptr("int8_t *", a), _ptr("int8_t *", b), _ptr("int8_t *", y), a.size, p)
    return y


def film(x, gamma, beta, params: dict) -> np.ndarray:
    x, g, b = _s8(x), _s8(gamma), _s8(beta)
    y = np.empty_like(x)
    p = ffi.new("voxgate_film_s8_params *", params)
    lib.voxgate_film_s8(
        _ptr("int8_t *", x),
        _ptr("int8_t *", g),
        _ptr("int8_t *", b),
        _ptr("int8_t *", y),
        x.size,
        p,
    )
    return y


class Gru:
    """Owns the C params struct and the arrays it points into."""

    _S8 = ("w_x", "w_h", "table_z", "table_r", "table_n")
    _S32 = ("bias_x", "bias_h", "mult_x", "shift_x", "mult_h", "shift_h")
    _ZP = ("x_zero_point", "z_zero_point", "r_zero_point", "n_zero_point")

    def __init__(self, p: dict):
        self.I = int(np.asarray(p["w_x"]).shape[1])
        self.H = int(np.asarray(p["w_h"]).shape[1])
        self._keep = {k: _s8(p[k]) for k in self._S8}
        self._keep.update({k: _s32(p[k]) for k in self._S32})
        self.params = ffi.new("voxgate_gru_s8_params *")
        self.params.input_size = self.I
        self.params.hidden_size = self.H
        for k in self._S8:
            setattr(self.params, k, _ptr("int8_t *", self._keep[k]))
        for k in self._S32:
            setattr(self.params, k, _ptr("int32_t *", self._keep[k]))
        for k in self._ZP:
            setattr(self.params, k, int(p[k]))
        self.h16 = np.zeros(self.H, np.int16)
        self.scratch = np.zeros(lib.voxgate_gru_s8_scratch_bytes(self.H), np.int8)

    def ok(self) -> bool:
        return bool(lib.voxgate_gru_s8_params_ok(self.params))

    def reset(self) -> None:
        lib.voxgate_gru_s8_reset(_ptr("int16_t *", self.h16), self.H)

    def step(self, x, ref: bool = False) -> np.ndarray:
        x = _s8(x)
        assert x.shape == (self.I,)
        y = np.empty(self.H, np.int8)
        fn = lib.voxgate_gru_s8_ref if ref else lib.voxgate_gru_s8
        fn(
            self.params,
            _ptr("int8_t *", x),
            _ptr("int16_t *", self.h16),
            _ptr("int8_t *", y),
            _ptr("int8_t *", self.scratch),
        )
        return y
