"""`voxgate-train`: train voxgate models.

    voxgate-train kws --keyword computer --keyword jarvis --out runs/kws
    voxgate-train kws --config run.json --step export --step evaluate

Steps: synth, data, train, qat, export, evaluate (default: all, in order);
only when asked: mine collects the windows where the float model fires on
the training halves of the real negatives (kws/mining.py; QAT learns from
them, and so does finetune, which trains the float model again from its
weights), realtest scores the model beside microWakeWord on real
recordings (kws/realtest.py); quantizers compares tanh / min-max / LSQ at
8..2 bits and bitsearch picks per-layer widths (kws/search.py); publish
copies the model into models/ with a model card (kws/publish.py).
Each step reads what the earlier ones left in --out, so any can run alone;
results accumulate in <out>/report.json."""

from __future__ import annotations

import argparse
import json
import sys
import time

from .errors import TrainError

STEPS = ("synth", "data", "train", "qat", "export", "evaluate")
#: run only when asked: needs the shared real recordings and pymicro-wakeword
EXTRA_STEPS = ("mine", "finetune", "realtest", "quantizers", "bitsearch", "publish")


def _kws(args) -> int:
    from .kws.config import RunConfig, load_config
    from .kws.evaluation import step_evaluate
    from .kws.mining import step_mine
    from .kws.publish import step_publish
    from .kws.realtest import step_realtest
    from .kws.search import step_bitsearch, step_quantizers
    from .kws.steps import (
        step_data,
        step_export,
        step_finetune,
        step_qat,
        step_synth,
        step_train,
        write_report,
    )

    overrides = {"out_dir": args.out, "epochs": args.epochs, "qat_epochs": args.qat_epochs,
                 "weight_bits": args.bits, "quantizer": args.quantizer,
                 "max_voices_per_engine": args.max_voices}  # fmt: skip
    if args.config:
        cfg = load_config(args.config, **overrides)
        if args.keyword:
            cfg.keywords = args.keyword
    else:
        if not args.keyword:
            raise TrainError("give at least one --keyword (or a --config)")
        cfg = RunConfig(args.keyword, **{k: v for k, v in overrides.items() if v is not None})
    cfg.run_dir.mkdir(parents=True, exist_ok=True)
    cfg.save(cfg.run_dir / "config.json")
    funcs = {"synth": step_synth, "data": step_data, "train": step_train, "qat": step_qat,
             "export": step_export, "evaluate": step_evaluate,
             "mine": step_mine, "finetune": step_finetune, "realtest": step_realtest,
             "quantizers": step_quantizers,
             "bitsearch": step_bitsearch, "publish": step_publish}  # fmt: skip
    report_path = cfg.run_dir / "report.json"
    report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    for step in args.step or STEPS:
        t0 = time.time()
        print(f"[voxgate-train] {step} ...", flush=True)
        result = funcs[step](cfg, progress=not args.quiet)
        result["seconds"] = round(time.time() - t0, 1)
        report[step] = result
        # a step may run twice (train before and after mine): the card's
        # reproduce line needs the order, which the per-step keys lose
        report["steps"] = [*report.pop("steps", []), step]  # kept last
        write_report(report_path, report)
        print(f"[voxgate-train] {step}: {json.dumps(result, default=float)[:400]}", flush=True)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="voxgate-train", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="task", required=True)
    k = sub.add_parser("kws", help="keyword spotting: synthesis to an exported, evaluated model")
    k.add_argument("--keyword", action="append", help="a keyword (repeat for several)")
    k.add_argument("--config", help="a JSON run config (see voxgate_train.kws.RunConfig)")
    k.add_argument("--out", help="run directory (default runs/kws)")
    k.add_argument(
        "--step", action="append", choices=STEPS + EXTRA_STEPS, help="run only this step (repeat)"
    )
    k.add_argument("--epochs", type=int)
    k.add_argument("--qat-epochs", type=int)
    k.add_argument("--bits", type=int, help="weight bits (2..8)")
    k.add_argument("--quantizer", choices=("tanh", "minmax", "lsq"))
    k.add_argument("--max-voices", type=int, help="voices per speech engine")
    k.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        return _kws(args)
    except TrainError as exc:
        print(f"voxgate-train: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
