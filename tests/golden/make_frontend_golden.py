"""Regenerates the frontend golden vectors. Run only when the frontend's
output is meant to change, and say why in the commit:

    python tests/golden/make_frontend_golden.py

Writes tests/golden/frontend/: input.i16 (the PCM), <config>.i16 (features,
frames x channels, little-endian int16) and meta.json (configs, shapes)."""

import dataclasses
import json
from pathlib import Path

import numpy as np

import voxgate

HERE = Path(__file__).resolve().parent / "frontend"
CONFIGS = {
    "default": voxgate.FrontendConfig(),
    "nr_pcan": voxgate.FrontendConfig(noise_reduction=True, pcan=True),
    "w25_c32": voxgate.FrontendConfig(window_ms=25, num_channels=32, upper_band_hz=8000),
}


def golden_input() -> np.ndarray:
    speech = voxgate.load_audio(HERE.parents[1] / "data" / "hey_computer.wav")
    noise = np.random.default_rng(2026).normal(0.0, 40.0, speech.shape)
    return np.clip(speech + noise, -32768, 32767).astype(np.int16)


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    pcm = golden_input()
    pcm.astype("<i2").tofile(HERE / "input.i16")
    meta = {"input": {"file": "input.i16", "samples": int(pcm.size)}, "configs": {}}
    for name, config in CONFIGS.items():
        feats = voxgate.Frontend(config).features(pcm)
        feats.astype("<i2").tofile(HERE / f"{name}.i16")
        meta["configs"][name] = {
            "file": f"{name}.i16",
            "frames": int(feats.shape[0]),
            "channels": int(feats.shape[1]),
            "config": dataclasses.asdict(config),
        }
    (HERE / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    print(f"wrote {len(CONFIGS)} golden feature sets to {HERE}")


if __name__ == "__main__":
    main()
