"""voxgate: on-device wake words and personal voice activity on integer kernels."""

from .audio import SAMPLE_RATE_HZ, load_audio, to_int16
from .errors import AudioError, AudioFileError, ConfigError, NativeError, VoxgateError
from .frontend import FEATURE_SCALE, Frontend, FrontendConfig

__version__ = "0.1.0"

__all__ = [
    "SAMPLE_RATE_HZ",
    "FEATURE_SCALE",
    "AudioError",
    "AudioFileError",
    "ConfigError",
    "NativeError",
    "VoxgateError",
    "Frontend",
    "FrontendConfig",
    "load_audio",
    "to_int16",
]
