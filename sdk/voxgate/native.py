"""Access to the compiled engine, and turning its statuses into exceptions."""

from __future__ import annotations

from .errors import ConfigError, NativeError

try:
    from ._native import ffi, lib
except ImportError as exc:  # pragma: no cover - only on a broken install
    raise ImportError(
        "voxgate's native extension is not built; install with `pip install .`"
    ) from exc

__all__ = ["ffi", "lib", "check"]


def check(status: int, what: str) -> None:
    """Raise the exception matching a native status code (no-op on success)."""
    if status == lib.VOXGATE_OK:
        return
    detail = ffi.string(lib.voxgate_last_error()).decode("utf-8", "replace")
    name = ffi.string(lib.voxgate_status_str(status)).decode()
    message = f"{what}: {detail or name}"
    if status in (lib.VOXGATE_ERR_ARGUMENT, lib.VOXGATE_ERR_UNSUPPORTED):
        raise ConfigError(message)
    raise NativeError(status, message)
