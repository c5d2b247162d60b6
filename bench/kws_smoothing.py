"""Which detection rule the shipped keyword models should run: real "computer"
recordings missed at a false-accept rate, per smoothing window (the causal
moving average of the score that the thresholds apply to), for shipped .vgm
models measured in the same run on the same audio. Also prints each window's
miss rate as a ratio of the 3-frame window's (the setting up to v1.7).

    make setup-train            # shared real data, game music, the [train] extra
    python bench/kws_smoothing.py [--model models/kws-tcn-w4a8-v1.7.vgm ...]
        [--windows 3,8,16,24,32] [--keyword computer]

Audio is the real test's (voxgate_train.kws.realtest): the 67 Mycroft
"computer" / "hey computer" clips clean, with pink noise at 10 dB and levelled
to -25 dBFS, each after 1 s of lead-in; negatives are the held-out halves of
the LibriSpeech subset and the game music, with and without the Mycroft clips
that say no keyword (same speakers and microphones as the positives). Every
model and window sees the same audio and noise draws. The real clips are the
development set: a window chosen here is chosen on them.
"""

import argparse
import time

import numpy as np

from voxgate.model import Model
from voxgate_train.evaluate import evaluate_keyword, frr_at_fah
from voxgate_train.kws import realtest as rt
from voxgate_train.kws.config import RunConfig

DEFAULT_MODELS = ("models/kws-tcn-w4a8-v1.6.vgm", "models/kws-tcn-w4a8-v1.7.vgm")


def real_clips(cfg: RunConfig) -> list[np.ndarray]:
    from voxgate_train.data.readers import read_real

    return [
        rt._float(i.audio())
        for i in read_real(cfg.real_root)
        if i.meta.get("corpus") == "mycroft" and i.label.lower() in ("computer", "hey computer")
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", action="append", help="a .vgm (repeat); default v1.6 and v1.7")
    ap.add_argument("--windows", default="3,8,16,24,32")
    ap.add_argument("--keyword", default="computer")
    args = ap.parse_args()
    windows = [int(w) for w in args.windows.split(",")]
    # long_negatives: only the held-out halves, as the shipped models' runs
    cfg = RunConfig(keywords=[args.keyword], long_negatives=True)
    rng = np.random.default_rng(cfg.seed)
    clips = real_clips(cfg)
    if not clips:
        raise SystemExit("no real Mycroft 'computer' clips: needs the shared real data")
    contexts = {c: [rt.condition(x, c, rng) for x in clips] for c in rt.CONDITIONS}
    negs = rt.negatives(cfg)
    sets = {
        "all negatives": [a for _, a in negs],
        "without Mycroft": [a for n, a in negs if not n.startswith("mycroft")],
    }
    rates = rt.FA_RATES
    print(f"{len(clips)} real clips; FRR % at {', '.join(f'{r:g}' for r in rates)} FA/h")
    for path in args.model or DEFAULT_MODELS:
        t = time.time()
        score = rt.VoxgateScorer(Model.load(path), args.keyword)
        pos = {c: [score(x)[:, None] for x in xs] for c, xs in contexts.items()}
        neg = {name: [score(a)[:, None] for a in audio] for name, audio in sets.items()}
        print(f"\n{path} (scored in {time.time() - t:.0f} s)")
        for name, ns in neg.items():
            hours = sum(len(x) for x in ns) * score.hop_s / 3600
            print(f"  {name} ({hours:.2f} h)")
            base = None
            for w in windows:
                row = []
                for c in rt.CONDITIONS:
                    curve = evaluate_keyword(pos[c], ns, 0, score.hop_s, w, cfg.refractory_s)
                    row += [100 * frr_at_fah(curve, r) for r in rates]
                base = row if w == 3 else base
                cells = "  ".join(
                    " ".join(f"{v:5.1f}" for v in row[i : i + len(rates)])
                    for i in range(0, len(row), len(rates))
                )
                ratio = ""
                if base is not None:
                    ratio = f"  x{np.mean(row) / max(np.mean(base), 1e-9):.2f} of window 3"
                print(f"    window {w:3d}: {cells}{ratio}")
    print("\ncolumns: " + " | ".join(rt.CONDITIONS))


if __name__ == "__main__":
    main()
