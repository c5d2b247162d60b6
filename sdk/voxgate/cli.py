"""The `voxgate` command line."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

import numpy as np

from . import __version__
from .audio import load_audio
from .errors import VoxgateError
from .frontend import Frontend


def _features(args) -> int:
    feats = Frontend().process(load_audio(args.audio))
    print(f"{args.audio}: {feats.shape[0]} frames x {feats.shape[1]} channels")
    if args.output:
        # Atomic: a reader never sees half a file, a failure leaves none.
        folder = os.path.dirname(os.path.abspath(args.output))
        fd, tmp = tempfile.mkstemp(suffix=".npy", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, feats)
            os.replace(tmp, args.output)
        except BaseException:
            os.unlink(tmp)
            raise
        print(f"wrote {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="voxgate", description="on-device wake word engine")
    ap.add_argument("--version", action="version", version=f"voxgate {__version__}")
    sub = ap.add_subparsers(dest="command", required=True)
    f = sub.add_parser("features", help="log-mel features of an audio file")
    f.add_argument("audio")
    f.add_argument("-o", "--output", help="save the int16 features as .npy")
    f.set_defaults(run=_features)
    args = ap.parse_args(argv)
    try:
        return args.run(args)
    except VoxgateError as exc:
        print(f"voxgate: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
