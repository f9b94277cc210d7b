#!/usr/bin/env python3
"""Accuracy harness: score `allegiance code` with the shared scorer.

    python benchmarks/accuracy.py                 # shared dev.jsonl and articles.jsonl
    python benchmarks/accuracy.py --heldout       # also the project's held-out gold, split in two
    python benchmarks/accuracy.py --corpus        # the corpus dev and test splits, both engines
    python benchmarks/accuracy.py --corpus --summary figures.json   # a table, and the figures as JSON
    python benchmarks/accuracy.py --errors 20     # show mistakes (never on test splits)

The held-out gold (`benchmarks/heldout/`) was written for the project by a coder who never saw
the coder's output. Its sentences are split by id: odd ids are the *probe* half, whose errors
may be read while writing rules; even ids and the six articles are the *test* half, scored only
as figures (``--errors`` is refused for it), so that they keep measuring generalisation. The
corpus test split (`corpus/test.jsonl`, `corpus/articles-test.jsonl`) is scored the same way:
figures only, never its errors.

Each file is scored with every engine given by ``--engines`` (default: the hybrid coder, and the
rule coder alone, ``--engine rules``, which is the baseline the model must beat).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
HELDOUT = ROOT / "benchmarks" / "heldout"
CORPUS = ROOT / "corpus"


def heldout_split(folder: Path, out: Path) -> dict[str, Path]:
    """Write the probe and test halves of the held-out sentences; return name -> file."""
    lines = [ln for ln in (folder / "sentences.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    halves: dict[str, list[str]] = {"probe": [], "test": []}
    for ln in lines:
        number = int(json.loads(ln)["id"].rsplit("-", 1)[1])
        halves["probe" if number % 2 else "test"].append(ln)
    files = {}
    for name, rows in halves.items():
        files[f"heldout-{name}"] = out / f"heldout-{name}.jsonl"
        files[f"heldout-{name}"].write_text("\n".join(rows) + "\n", encoding="utf-8")
    files["heldout-articles (test)"] = folder / "articles.jsonl"
    return files


def corpus_files(train: bool) -> dict[str, Path]:
    splits = (["train"] if train else []) + ["dev", "test"]
    out = {}
    for split in splits:
        out[f"corpus-{split}"] = CORPUS / f"{split}.jsonl"
        out[f"corpus-articles-{split}"] = CORPUS / f"articles-{split}.jsonl"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="show this many mistakes per file (not for test splits)")
    ap.add_argument("--gold", nargs="*", default=["dev.jsonl", "articles.jsonl"], help="shared gold files")
    ap.add_argument("--heldout", action="store_true", help="also score benchmarks/heldout (probe and test halves)")
    ap.add_argument("--corpus", action="store_true", help="also score corpus/ dev and test splits (items, articles)")
    ap.add_argument("--train", action="store_true", help="with --corpus: the train split too (a fit check)")
    ap.add_argument("--only", nargs="*", help="score only files whose name contains one of these words")
    ap.add_argument("--engines", default="hybrid,rules", help="comma-separated engines (hybrid, rules)")
    ap.add_argument("--model", help="a model folder other than the shipped one")
    ap.add_argument("--summary", help="write the figures of every run to this JSON file")
    args = ap.parse_args()
    exe = shutil.which("allegiance") or str(Path(sys.executable).parent / "allegiance")
    runs: list[tuple[str, Path]] = [(f"shared-{n.split('.')[0]}", SHARED / "gold" / n) for n in args.gold]
    tmp = tempfile.TemporaryDirectory()
    if args.heldout:
        runs += list(heldout_split(HELDOUT, Path(tmp.name)).items())
    if args.corpus:
        runs += list(corpus_files(args.train).items())
    if args.only:
        runs = [(n, p) for n, p in runs if any(w in n for w in args.only)]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    status = 0
    summary: dict[str, dict] = {}
    for name, gold in runs:
        if not gold.exists():
            print(f"{gold}: not found", file=sys.stderr)
            status = 1
            continue
        for engine in engines:
            label = f"{name} [{engine}]"
            print(f"== {label}", flush=True)
            coder = f"{exe} code --engine {engine}" + (f" --model {args.model}" if args.model and engine != "rules" else "")
            cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), "--run", coder, "--json"]
            if args.errors and "test" not in name:
                cmd += ["--errors", str(args.errors)]
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr[-2000:])
                status = 1
                continue
            result = json.loads(proc.stdout)
            summary[label] = {k: result.get(k) for k in (
                "type_level", "dyad_level", "full_level", "per_type_f1", "mode_accuracy", "negative_item_false_positive_rate",
                "negation_recall", "attribution_recall", "location_accuracy", "event_date_accuracy", "coder_seconds")}
            t, d, f = result["type_level"], result["dyad_level"], result["full_level"]
            print(f"  type  P {t['p']:.3f} R {t['r']:.3f} F1 {t['f1']:.3f} | dyad P {d['p']:.3f} R {d['r']:.3f} "
                  f"F1 {d['f1']:.3f} | full F1 {f['f1']:.3f} | negatives FP "
                  f"{result.get('negative_item_false_positive_rate')}", flush=True)
            print("  per type F1: " + ", ".join(f"{k} {v:.2f}" for k, v in result["per_type_f1"].items()), flush=True)
            for m in result.get("mistakes", []):
                print(f"  - {m['id']}: {m['text'][:200]}\n      gold {m['gold']}\n      pred {m['pred']}")
    if summary:
        print("\n| file | engine | type F1 | dyad F1 | full F1 |\n|---|---|---|---|---|")
        for label, r in summary.items():
            name, engine = label.rsplit(" [", 1)
            print(f"| {name} | {engine.rstrip(']')} | {r['type_level']['f1']:.3f} | {r['dyad_level']['f1']:.3f} | "
                  f"{r['full_level']['f1']:.3f} |")
    if args.summary:
        Path(args.summary).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
