"""Audio augmentation for training: noise, room reverb, microphone response, gain,
tempo, pitch, VTLP."""

from .chain import AugmentConfig, Augmenter, rng_for
from .channel import ChannelResponse, apply_channel, random_response
from .noise import COLORS, NoiseBank, colored_noise, mix_at_snr, snr_db
from .perturb import as_float, fit_length, gain, pitch_shift, tempo, to_pcm16, vtlp
from .reverb import RoomRanges, apply_rir, build_rir_bank, simulate_rir

__all__ = [
    "COLORS",
    "AugmentConfig",
    "Augmenter",
    "ChannelResponse",
    "NoiseBank",
    "RoomRanges",
    "apply_channel",
    "apply_rir",
    "as_float",
    "build_rir_bank",
    "colored_noise",
    "fit_length",
    "gain",
    "mix_at_snr",
    "pitch_shift",
    "random_response",
    "rng_for",
    "simulate_rir",
    "snr_db",
    "tempo",
    "to_pcm16",
    "vtlp",
]
