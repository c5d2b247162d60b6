"""Demo for now: run voxgate's fixed-point frontend over a recording and show
what it hears: a text spectrogram and a few numbers.

    python demo/features.py demo/example.wav
"""

import argparse
import sys
import time

import numpy as np

import voxgate

SHADES = " .:-=+*#%@"


def text_spectrogram(feats: np.ndarray, width: int = 100, rows: int = 20) -> str:
    """Time runs left to right, low mel channels at the bottom."""
    cols = np.array_split(np.arange(feats.shape[0]), min(width, feats.shape[0]))
    bands = np.array_split(np.arange(feats.shape[1]), rows)
    img = np.array([[feats[np.ix_(c, b)].mean() for c in cols] for b in bands])
    lo, hi = np.percentile(img, 5), np.percentile(img, 99.5)
    levels = np.clip((img - lo) / max(hi - lo, 1e-9), 0, 1) * (len(SHADES) - 1)
    lines = ["".join(SHADES[int(v)] for v in row) for row in levels[::-1]]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("audio", help="any audio file soundfile can read")
    args = ap.parse_args(argv)
    try:
        pcm = voxgate.load_audio(args.audio)
    except voxgate.VoxgateError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    fe = voxgate.Frontend()
    t0 = time.process_time()
    feats = fe.process(pcm)
    cpu = time.process_time() - t0
    seconds = pcm.size / voxgate.SAMPLE_RATE_HZ
    print(
        f"{args.audio}: {seconds:.2f} s of audio -> {feats.shape[0]} frames x "
        f"{feats.shape[1]} mel channels (int16, log2 power x {voxgate.FEATURE_SCALE})"
    )
    print(f"frontend CPU time: {cpu * 1e3:.1f} ms ({cpu / seconds:.4f} s per s of audio)")
    energy = feats.astype(np.float64).mean(axis=1) / voxgate.FEATURE_SCALE
    speech = energy > np.percentile(energy, 10) + 3.0
    print(f"frames well above the noise floor (>~9 dB): {speech.mean() * 100:.0f}%")
    print()
    print(text_spectrogram(feats))
    print("^ mel channel (125 Hz bottom .. 7.5 kHz top), time ->")
    return 0


if __name__ == "__main__":
    sys.exit(main())
