"""Exceptions raised by voxgate_train. All derive from voxgate.errors.VoxgateError,
so callers can catch one base class across the SDK and the training package."""

from voxgate.errors import VoxgateError


class TrainError(VoxgateError):
    """Base class of every error voxgate_train raises."""


class DataError(TrainError, ValueError):
    """A dataset layout, manifest or item that cannot be used as asked."""


class DataLayoutError(DataError, OSError):
    """A dataset folder that is missing or does not have the expected layout."""


class SynthesisError(TrainError, RuntimeError):
    """A speech engine that failed on a request it claims to support."""


class EngineUnavailableError(SynthesisError):
    """A speech engine (or voice) that is not installed on this machine."""


class AugmentError(TrainError, ValueError):
    """An augmentation asked for with invalid parameters or inputs."""


class CacheError(TrainError, OSError):
    """An on-disk cache entry that cannot be read or written."""


class EvalError(TrainError, ValueError):
    """Scores, thresholds or settings that a keyword evaluation cannot use."""
