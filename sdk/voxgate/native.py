"""Access to the compiled engine, and turning its statuses into exceptions."""

from __future__ import annotations

from .errors import (
    ConfigError,
    ModelFileError,
    ModelFormatError,
    ModelVersionError,
    NativeError,
    UnsupportedModelError,
)

try:
    from ._native import ffi, lib
except ImportError as exc:  # pragma: no cover - only on a broken install
    raise ImportError(
        "voxgate's native extension is not built; install with `pip install .`"
    ) from exc

__all__ = ["ffi", "lib", "check"]


def check(status: int, what: str, model: bool = False) -> None:
    """Raise the exception matching a native status code (no-op on success).
    With model=True, format/version/IO/unsupported map to the Model* errors."""
    if status >= lib.VOXGATE_OK:
        return
    detail = ffi.string(lib.voxgate_last_error()).decode("utf-8", "replace")
    name = ffi.string(lib.voxgate_status_str(status)).decode()
    message = f"{what}: {detail or name}"
    if model:
        kinds = {
            lib.VOXGATE_ERR_FORMAT: ModelFormatError,
            lib.VOXGATE_ERR_VERSION: ModelVersionError,
            lib.VOXGATE_ERR_IO: ModelFileError,
            lib.VOXGATE_ERR_UNSUPPORTED: UnsupportedModelError,
        }
        if status in kinds:
            raise kinds[status](message)
    if status in (lib.VOXGATE_ERR_ARGUMENT, lib.VOXGATE_ERR_UNSUPPORTED):
        raise ConfigError(message)
    raise NativeError(status, message)
