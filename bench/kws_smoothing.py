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
from voxgate_train.evaluate import (
    default_thresholds,
    false_accept_counts,
    frr_at_fah,
    frr_vs_fah,
    max_scores_per_clip,
)
from voxgate_train.kws import realtest as rt
from voxgate_train.kws.config import RunConfig

DEFAULT_MODELS = ("models/kws-tcn-w4a8-v1.6.vgm", "models/kws-tcn-w4a8-v1.7.vgm")


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
    clips = [a for _, a in rt.real_computer(cfg)]
    if not clips:
        raise SystemExit("no real Mycroft 'computer' clips: needs the shared real data")
    contexts = {c: [rt.condition(x, c, rng) for x in clips] for c in rt.CONDITIONS}
    negs = rt.negatives(cfg)
    # the two negative sets, as filters on the sources' names
    sets = {
        "all negatives": lambda n: True,
        "without Mycroft": lambda n: not n.startswith("mycroft"),
    }
    rates = rt.FA_RATES
    th = default_thresholds()
    print(f"{len(clips)} real clips; FRR % at {', '.join(f'{r:g}' for r in rates)} FA/h")
    for path in args.model or DEFAULT_MODELS:
        t = time.time()
        score = rt.VoxgateScorer(Model.load(path), args.keyword)
        pos = {c: [score(x) for x in xs] for c, xs in contexts.items()}
        scored = [(n, score(a)) for n, a in negs]  # each source once, for both sets
        print(f"\n{path} (scored in {time.time() - t:.0f} s)")
        for name, keep in sets.items():
            ns = [x for n, x in scored if keep(n)]
            hours = sum(len(x) for x in ns) * score.hop_s / 3600
            print(f"  {name} ({hours:.2f} h)")
            base = None
            for w in windows:
                # the negatives' false accepts once per window, for every condition
                fa = sum(false_accept_counts(x, th, score.hop_s, w, cfg.refractory_s) for x in ns)
                row = []
                for c in rt.CONDITIONS:
                    curve = frr_vs_fah(max_scores_per_clip(pos[c], w), fa, hours, th)
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
