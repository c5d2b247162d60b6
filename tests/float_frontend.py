"""An independent float64 log-mel frontend in numpy, from the same
definitions as voxgate.h (Hann over size+1, zero-padded rfft, HTK mel
triangles, log2 power * 512). The fixed-point C frontend must agree with it
within the tolerance stated in test_frontend.py."""

import numpy as np


def hz_to_mel(hz):
    return 1127.0 * np.log1p(np.asarray(hz, dtype=np.float64) / 700.0)


def mel_weights(num_channels, fft_size, sample_rate=16000, lo=125.0, hi=7500.0):
    bins = np.arange(fft_size // 2 + 1) * sample_rate / fft_size
    m = hz_to_mel(bins)
    edges = np.linspace(hz_to_mel(lo), hz_to_mel(hi), num_channels + 2)
    left, center, right = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    up = (m - left) / (center - left)
    down = (right - m) / (right - center)
    return np.clip(np.minimum(up, down), 0.0, None)  # (channels, bins)


def log_mel(pcm_int16, window_ms=30, hop_ms=10, num_channels=40, lo=125, hi=7500):
    x = np.asarray(pcm_int16, dtype=np.float64)
    size = 16 * window_ms
    hop = 16 * hop_ms
    fft_size = 1 << int(np.ceil(np.log2(size)))
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(1, size + 1) / (size + 1))
    n_frames = (len(x) - size) // hop + 1
    frames = np.stack([x[i * hop : i * hop + size] for i in range(n_frames)])
    spec = np.fft.rfft(frames * window, n=fft_size)
    power = spec.real**2 + spec.imag**2
    mel = power @ mel_weights(num_channels, fft_size, 16000, lo, hi).T
    return 512.0 * np.log2(np.maximum(mel, 2.0**-10))
