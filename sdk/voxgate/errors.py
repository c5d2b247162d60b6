"""Exceptions raised by voxgate. All derive from VoxgateError."""


class VoxgateError(Exception):
    """Base class of every error voxgate raises."""


class AudioError(VoxgateError, ValueError):
    """Audio that voxgate cannot use: wrong dtype, shape, values or rate."""


class AudioFileError(AudioError, OSError):
    """An audio file that is missing, empty, corrupt or unreadable."""


class ConfigError(VoxgateError, ValueError):
    """An invalid configuration value."""


class NativeError(VoxgateError, RuntimeError):
    """A failure reported by the native engine, with its status and message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class ModelError(VoxgateError):
    """A model file voxgate cannot use."""


class ModelFileError(ModelError, OSError):
    """A model file that cannot be opened or read."""


class ModelFormatError(ModelError, ValueError):
    """A malformed or inconsistent model file (bad magic, truncated, ...)."""


class ModelVersionError(ModelFormatError):
    """A model file of a format version this build does not read."""


class UnsupportedModelError(ModelError):
    """A valid model that uses something this build cannot run."""
