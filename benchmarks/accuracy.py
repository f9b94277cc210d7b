#!/usr/bin/env python3
"""Accuracy harness: score `allegiance code` on the shared gold files with the shared scorer.

    python benchmarks/accuracy.py            # dev.jsonl and articles.jsonl
    python benchmarks/accuracy.py --errors 20

Prints the scorer's figures (type/dyad/full P/R/F1, per type, modes, locations, dates,
attribution, negation, false-positive rate on negative items) for each gold file.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--errors", type=int, default=0, help="show this many mistakes per file")
    ap.add_argument("--gold", nargs="*", default=["dev.jsonl", "articles.jsonl"])
    args = ap.parse_args()
    exe = shutil.which("allegiance") or str(Path(sys.executable).parent / "allegiance")
    status = 0
    for name in args.gold:
        gold = SHARED / "gold" / name
        if not gold.exists():
            print(f"{gold}: not found (the shared folder must sit beside the repository)", file=sys.stderr)
            status = 1
            continue
        print(f"== {name}")
        cmd = [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), "--run", exe]
        if args.errors:
            cmd += ["--errors", str(args.errors)]
        status |= subprocess.call(cmd)
    return status


if __name__ == "__main__":
    sys.exit(main())
