"""`publish`: copies the run's model into models/ with a model card written
from report.json (every number there is measured by the steps that wrote
it) and its sha256 in models/registry.json."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from ..data.fileio import atomic_write_bytes, save_json
from ..errors import TrainError
from .config import RunConfig

_REAL_CREDITS = {
    "mycroft": "Mycroft Precise community data other than 'computer' (public domain)",
    "fsdd": "the Free Spoken Digit Dataset (CC-BY-SA-4.0)",
    "noise_speech_commands": "the Speech Commands background noise (CC-BY-4.0)",
}


def license_note(cfg: RunConfig) -> str:
    """What the run trained and was evaluated on, with each source's license."""
    trained = []
    for f in cfg.real_folders:
        credit = _REAL_CREDITS.get(f, f"the shared folder {f!r}")
        if f in cfg.real_contributors:
            credit += f", the clips of {', '.join(cfg.real_contributors[f])}"
        trained.append(credit)
    trained += [f"the clips of {m}" for m in cfg.real_manifests]
    if cfg.long_negatives:
        trained.append(
            "half of the LibriSpeech subset's speakers (CC-BY-4.0) and half of Debian's game "
            "music and samples (Wesnoth, SuperTux: GPL-2+ / CC-BY-SA; Sonic Pi samples: CC0 / "
            "CC-BY-SA, see each package's copyright file)"
        )
    credit = {"espeak": "espeak-ng", "kokoro-mix": "Kokoro-82M blends of three voice packs"}
    names = ", ".join(credit.get(e, e) for e in cfg.engines)
    return (
        f"Trained on speech synthesized offline ({names}; the "
        "unknown class also reads sentences of Debian's /usr/share/common-licenses texts when "
        "the run asks for prose), reverberated in simulated rooms (pyroomacoustics)"
        + (f", and on {', '.join(trained)}" if trained else "")
        + ". Evaluated on Mycroft recordings of 'computer' (never trained on), two Kokoro voice "
        "packs (never trained on nor blended), the other halves of LibriSpeech and the music, "
        "and, as negatives, the Mycroft clips that say no keyword."
    )


def _table(rows: list[list], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _pct(v) -> str:
    return "-" if v is None else f"{100 * float(v):.1f}%"


def _collapse_reruns(order: list[str]) -> list[str]:
    """Steps with a block run twice back to back (qat export qat export) as
    if run once: each step recomputes from its inputs, so the second run
    overwrote everything the first wrote."""
    for k in range(1, len(order) // 2 + 1):
        for i in range(len(order) - 2 * k + 1):
            if order[i : i + k] == order[i + k : i + 2 * k]:
                return _collapse_reruns(order[:i] + order[i + k :])
    return list(order)


def _reproduce(report: dict, config_path: str) -> list[str]:
    """The commands that remake the run. A run that mined hard negatives has
    an order that matters (the steps after mine learn from its windows), so
    it is one command listing the steps as they ran."""
    if "mine" not in report:
        extra = [s for s in ("realtest", "quantizers", "bitsearch") if s in report]
        extra = " ".join(f"--step {s}" for s in [*extra, "publish"])
        return ["Reproduce:", "", "```sh", f"voxgate-train kws --config {config_path}",
                f"voxgate-train kws --config {config_path} {extra}", "```", ""]  # fmt: skip
    order = _collapse_reruns([s for s in report.get("steps", []) if s != "publish"])
    if "mine" not in order:  # a report from before steps were recorded
        order = ["data", "train", "mine", "train", "qat", "export", "evaluate", "realtest"]
    after = order[order.index("mine") + 1 :]
    learns = "trained" if "train" in after else "fine-tuned by QAT"
    steps = " ".join(f"--step {s}" for s in [*order, "publish"])
    return [f"Reproduce (a first model, hard negatives mined with it, then the published "
            f"model {learns} on the data plus those windows):", "", "```sh",
            f"voxgate-train kws --config {config_path} {steps}", "```", ""]  # fmt: skip


def quantizer_table(q: dict) -> list[str]:
    """The quantizers step: each method and width as copied from the float
    model (frame loss and accuracy on the test split) and, when it ran, after
    its QAT epochs."""
    copied, tuned = q.get("as_copied", {}), q.get("qat_accuracy", {})
    head = ["method/bits"]
    if copied:
        head += ["loss as copied", "accuracy as copied"]
    if tuned:
        head += [f"accuracy after {q['qat_epochs']} QAT epoch(s)"]
    rows = []
    for key in copied or tuned:
        row = [key]
        if copied:
            row += [f"{copied[key]['loss']:.3f}", _pct(copied[key]["accuracy"])]
        if tuned:
            row += [_pct(tuned[key])]
        rows.append(row)
    loss = f", loss {q['float_loss']:.3f}" if "float_loss" in q else ""
    return [f"## Quantizers (test split, from the same float model: accuracy "
            f"{_pct(q['float_accuracy'])}{loss})", "", _table(rows, head), ""]  # fmt: skip


def card(cfg: RunConfig, name: str, report: dict, config_path: str, size: int) -> str:
    ex, ev = report.get("export", {}), report.get("evaluate", {}).get("evaluation", {})
    out = [f"# {name}", "", f"Keyword spotting for {', '.join(cfg.keywords)}: a causal "
           f"TC-ResNet-style network ({report.get('train', {}).get('params', '?')} parameters, "
           f"receptive field {ex.get('receptive_field', '?')} frames of 10 ms), weights at "
           f"{sorted(set(ex.get('bits', [])))} bits, 8-bit activations, "
           f"{size} bytes on disk ({ex.get('tflite_bytes', '?')} as int8 "
           ".tflite).", ""]  # fmt: skip
    if cfg.output_temperature != 1.0:
        out += [f"Scores are a softmax of the logits / {cfg.output_temperature:g} (the export's "
                "output temperature): the int8 softmax's 1/256 steps would otherwise saturate "
                "at the top, where the thresholds lie.", ""]  # fmt: skip
    out += _reproduce(report, config_path)
    if ev:
        rows = []
        for model, per_kw in ev.items():
            for kw, r in per_kw.items():
                rows.append([model, kw, r["positives"], _pct(r["window_accuracy"]),
                             _pct(r["frr_at_target"]), f"{r['threshold']:.3f}"])  # fmt: skip
        hours = next(iter(next(iter(ev.values())).values()))["negative_hours"]
        out += ["## Float vs QAT vs integer (held-out synthetic test split)", "",
                f"False rejects at {cfg.target_fa_per_hour} false accepts per hour on "
                f"{hours:.2f} h of the split's non-keyword windows played back to back.", "",
                _table(rows, ["model", "keyword", "clips", "keyword found",
                              f"FRR @ {cfg.target_fa_per_hour} FA/h", "threshold"]),
                ""]  # fmt: skip
    rt = report.get("realtest")
    if rt:
        rows = [k.split(" | ") + [v["clips"], _pct(v["frr"]),
                                  _pct(v.get("frr_at", {}).get("5.0"))]
                for k, v in rt.items() if " | " in k]  # fmt: skip
        out += ["## Real recordings, beside microWakeWord", "",
                f"Same detection rule for both; negatives: {rt['negative_hours']:.2f} h "
                "(held-out LibriSpeech speakers, game music and samples, the Mycroft clips "
                "that say no keyword); FRR at "
                f"{rt['target_fa_per_hour']} and at 5 false accepts per hour. The "
                "dBFS condition is the clip scaled to that RMS level first.", "",
                _table(rows, ["detector", "clips", "condition", "n",
                              f"FRR @ {rt['target_fa_per_hour']}", "FRR @ 5"]),
                ""]  # fmt: skip
        peaks = rt.get("loudest_negative_peaks", {})
        if peaks:
            out += ["Loudest peaks on the negatives (score, source, seconds into it):", ""]
            out += [f"- {d}: " + "; ".join(f"{s:.3f} {src} @{t:g} s" for s, src, t in v)
                    for d, v in peaks.items()]  # fmt: skip
            out += [""]
    q = report.get("quantizers")
    if q:
        out += quantizer_table(q)
    b = report.get("bitsearch")
    if b:
        out += ["## Greedy per-layer bit search (weights only, validation accuracy)", "",
                f"{b['weight_bytes']:.0f} weight bytes (vs {b['bytes_at_8_bits']:.0f} at 8 bits), "
                f"accuracy {_pct(b['accuracy'])} (start {_pct(b['start_accuracy'])}): "
                f"`{json.dumps(b['bits'])}`", ""]  # fmt: skip
    out += ["## Data and license", "", license_note(cfg), ""]
    return "\n".join(out)


def step_publish(cfg: RunConfig, progress: bool = True) -> dict:
    report_path = cfg.run_dir / "report.json"
    vgm = cfg.run_dir / "model.vgm"
    if not vgm.is_file() or not report_path.is_file():
        raise TrainError(f"{vgm} or its report not found: run the export step first")
    report = json.loads(report_path.read_text())
    bits = max(report.get("export", {}).get("bits", [8]))
    name = cfg.publish_as or f"kws-tcn-w{bits}a8-v1.0"
    models = Path(cfg.models_dir)
    models.mkdir(parents=True, exist_ok=True)
    data = vgm.read_bytes()
    atomic_write_bytes(models / f"{name}.vgm", data)
    config_path = models / f"{name}.json"
    shutil.copyfile(cfg.run_dir / "config.json", config_path)
    text = card(cfg, name, report, str(config_path), len(data))
    atomic_write_bytes(models / f"{name}.md", text.encode())
    reg_path = models / "registry.json"
    reg = json.loads(reg_path.read_text()) if reg_path.is_file() else {}
    from voxgate.model import Model

    reg[name] = {"file": f"{name}.vgm", "sha256": hashlib.sha256(data).hexdigest(),
                 "bytes": len(data), "task": "kws", "labels": Model.load(vgm).labels}  # fmt: skip
    save_json(reg_path, reg)
    return {"name": name, "bytes": len(data)}
