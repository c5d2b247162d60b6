"""Frontend speed: CPU seconds per second of audio for voxgate's fixed-point
frontend and for pymicro-features (the TFLite Micro frontend), measured in
the same run on the same audio. Ratio = voxgate / peer; below 1.0 is faster.

    python bench/frontend.py [--seconds 60] [--repeats 5]

Both frontends: 30 ms window, 10 ms hop, 40 channels. The TFLite Micro
frontend always runs noise reduction + PCAN, so voxgate is timed with them on
(like for like) and off (its default)."""

import argparse
from pathlib import Path

import numpy as np
from timing import best_cpu_seconds as cpu_time

import voxgate

ROOT = Path(__file__).resolve().parents[1]


def audio(seconds: float) -> np.ndarray:
    clip = voxgate.load_audio(ROOT / "tests" / "data" / "hey_computer.wav")
    reps = int(np.ceil(seconds * 16000 / clip.size))
    rng = np.random.default_rng(0)
    pcm = np.tile(clip, reps)[: int(seconds * 16000)].astype(np.float64)
    return np.clip(pcm + rng.normal(0, 40, pcm.size), -32768, 32767).astype(np.int16)


def voxgate_runner(pcm, config, chunk):
    fe = voxgate.Frontend(config)

    def run():
        fe.reset()
        if chunk is None:
            fe.process(pcm)
        else:
            for i in range(0, pcm.size, chunk):
                fe.process(pcm[i : i + chunk])

    return run


def micro_runner(pcm):
    from pymicro_features import MicroFrontend

    fe = MicroFrontend()
    data = pcm.tobytes()

    def run():
        fe.reset()
        # The peer's API takes bytes and returns after each 10 ms frame.
        pos = 0
        while pos + 320 <= len(data):
            pos += fe.process_samples(data[pos : pos + 320]).samples_read * 2

    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    pcm = audio(args.seconds)
    plain = voxgate.FrontendConfig()
    tflm_like = voxgate.FrontendConfig(noise_reduction=True, pcan=True)

    peer = cpu_time(micro_runner(pcm), args.repeats) / args.seconds
    rows = [
        ("pymicro-features (TFLM), 10 ms chunks", peer),
        ("voxgate NR+PCAN, 10 ms chunks", None, tflm_like, 160),
        ("voxgate NR+PCAN, whole buffer", None, tflm_like, None),
        ("voxgate default, 10 ms chunks", None, plain, 160),
        ("voxgate default, whole buffer", None, plain, None),
    ]
    print(f"audio: {args.seconds:.0f} s, best of {args.repeats}, CPU time")
    print(f"{'frontend':42s} {'CPU s / audio s':>16s} {'ratio to peer':>14s}")
    for row in rows:
        name = row[0]
        if row[1] is None:
            _, _, config, chunk = row
            cost = cpu_time(voxgate_runner(pcm, config, chunk), args.repeats) / args.seconds
        else:
            cost = row[1]
        print(f"{name:42s} {cost:16.5f} {cost / peer:13.2f}x")


if __name__ == "__main__":
    main()
