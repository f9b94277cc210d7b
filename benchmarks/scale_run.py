"""Benchmark: `allegiance run` on 1k, 5k and 20k generated articles (issue 13).

    python benchmarks/scale_run.py                               # --sizes 1000,5000 --engine rules
    python benchmarks/scale_run.py --sizes 1000,5000,20000 --engine rules
    python benchmarks/scale_run.py --sizes 1000 --engine auto    # the default (hybrid) engine
    python benchmarks/scale_run.py --sizes 5000 --jobs 1

Articles of about 400 words are composed from the project's own corpus texts
(`corpus/train.jsonl`, `dev.jsonl`, `test.jsonl`: one wire item, then further items appended until
~400 words), with a fixed seed, unique ids and dates spread over ten years; each size is one JSONL
file coded by `allegiance run` into a new store (progress off, `--top 0`). Printed per size:
seconds, documents/s, words/s, events stored, seconds per 1,000 documents (linear when constant)
and the peak RSS of the process tree: the largest single process among the run and its workers
(``resource.getrusage(RUSAGE_CHILDREN)`` of a launcher process per run; goal <= 1.5 GB a process).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "corpus" / n for n in ("train.jsonl", "dev.jsonl", "test.jsonl")]
WORDS = 400

# run in a small launcher process so that RUSAGE_CHILDREN is this run's tree only
LAUNCHER = r"""
import resource, subprocess, sys, time
t0 = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
secs = time.perf_counter() - t0
print(secs, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def texts() -> list[str]:
    out = []
    for path in CORPUS:
        with path.open(encoding="utf-8") as fh:
            out += [json.loads(line)["text"] for line in fh if line.strip()]
    return out


def articles(n: int, pool: list[str], seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    start = date(2015, 1, 1)
    out = []
    for i in range(n):
        parts, words = [], 0
        while words < WORDS:
            t = rng.choice(pool)
            parts.append(t)
            words += len(t.split())
        day = start + timedelta(days=rng.randrange(3652))
        out.append({"id": f"scale-{n}-{i:06d}", "date": day.isoformat(), "title": f"Generated article {i}",
                    "text": "\n\n".join(parts)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,5000", help="Comma-separated numbers of articles.")
    ap.add_argument("--engine", default="rules", help="rules | auto (the default engine) | hybrid")
    ap.add_argument("--jobs", type=int, default=None, help="Worker processes (default: every core).")
    ap.add_argument("--keep", type=Path, default=None, help="Keep inputs and stores in this folder.")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    pool = texts()
    work = args.keep or Path(tempfile.mkdtemp(prefix="allegiance-scale-run-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), TERM="dumb")
    print(f"engine {args.engine}, jobs {args.jobs or 'every core'}, {os.cpu_count()} cores; corpus pool "
          f"{len(pool):,} texts; load {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    print(f"{'docs':>7} {'words':>10} {'seconds':>9} {'docs/s':>8} {'words/s':>9} {'events':>9} "
          f"{'s/1k docs':>10} {'peak RSS':>10}")
    for n in sizes:
        docs = articles(n, pool)
        src = work / f"articles-{n}.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        words = sum(len(d["text"].split()) for d in docs)
        store = work / f"run-{n}.duckdb"
        store.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "allegiance.cli", "run", str(src), "--store", str(store), "--engine",
               args.engine, "--top", "0"] + (["--jobs", str(args.jobs)] if args.jobs else [])
        res = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], env=env, capture_output=True, text=True)
        secs, rss_kb, code = res.stdout.split()
        secs = float(secs)
        import duckdb

        con = duckdb.connect(str(store), read_only=True)
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
        con.close()
        print(f"{n:>7,} {words:>10,} {secs:>9.1f} {n / secs:>8.1f} {words / secs:>9,.0f} {n_events:>9,} "
              f"{1000 * secs / n:>10.1f} {int(rss_kb) / 1024:>7,.0f} MB" + ("" if code == "0" else f"  EXIT {code}"),
              flush=True)
        src.unlink() if args.keep is None else None
        store.unlink() if args.keep is None else None
    print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
