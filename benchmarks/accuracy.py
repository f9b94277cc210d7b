#!/usr/bin/env python3
"""Accuracy harness: score `allegiance code` with the shared scorer.

    python benchmarks/accuracy.py                 # shared dev.jsonl and articles.jsonl
    python benchmarks/accuracy.py --heldout       # also the project's held-out gold, split in two
    python benchmarks/accuracy.py --errors 20     # show mistakes (never on the held-out test half)

The held-out gold (`benchmarks/heldout/`) was written for the project by a coder who never saw
the coder's output. Its sentences are split by id: odd ids are the *probe* half, whose errors
may be read while writing rules; even ids and the six articles are the *test* half, scored only
as figures (``--errors`` is refused for it), so that they keep measuring generalisation.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="show this many mistakes per file (not for test halves)")
    ap.add_argument("--gold", nargs="*", default=["dev.jsonl", "articles.jsonl"], help="shared gold files")
    ap.add_argument("--heldout", action="store_true", help="also score benchmarks/heldout (probe and test halves)")
    args = ap.parse_args()
    exe = shutil.which("allegiance") or str(Path(sys.executable).parent / "allegiance")
    runs: list[tuple[str, Path]] = [(n, SHARED / "gold" / n) for n in args.gold]
    tmp = tempfile.TemporaryDirectory()
    if args.heldout:
        runs += list(heldout_split(HELDOUT, Path(tmp.name)).items())
    status = 0
    for name, gold in runs:
        if not gold.exists():
            print(f"{gold}: not found (the shared folder must sit beside the repository)", file=sys.stderr)
            status = 1
            continue
        print(f"== {name}", flush=True)
        cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), "--run", f"{exe} code"]
        if args.errors and "test" not in name:
            cmd += ["--errors", str(args.errors)]
        status |= subprocess.call(cmd)
    tmp.cleanup()
    return status


if __name__ == "__main__":
    sys.exit(main())
