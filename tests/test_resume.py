"""`allegiance run` killed with SIGKILL at random moments, then run again: nothing lost, nothing
twice, and the DuckDB file opens (issue 13, "Resumable")."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.storestate import store_state

ROOT = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "allegiance.cli"]

# Sentences written for this test; documents are made of three of them each.
SENTENCES = [
    "Chadian troops clashed with rebels near the Libyan border on Sunday.",
    "Kenya and Tanzania signed an agreement on cross-border trade.",
    "Police in Dhaka detained dozens of students who protested against job quotas.",
    "Germany pledged medical aid to Moldova.",
    "Armenia accused Azerbaijan of shelling villages in the south.",
    "The United Nations urged both sides in Yemen to extend the truce.",
    "Peru expelled the Mexican ambassador after a dispute over the election.",
    "A festival of folk music drew large crowds to the old town square.",
]


def _corpus(path: Path, n: int) -> Path:
    rng = random.Random(7)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = " ".join(rng.sample(SENTENCES, 3)) + f" Officials gave the figure {i}."
            fh.write(json.dumps({"id": f"r{i:03d}", "date": "2024-03-05", "text": text}) + "\n")
    return path


def _state(db: Path) -> tuple[list, list]:
    return store_state(db)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_runs_then_a_full_run_equal_one_clean_run(tmp_path):
    src = _corpus(tmp_path / "news.jsonl", 150)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    # small batches (run writes every --batch documents or --batch-seconds): kills land between
    # and during many writes
    args = ["--engine", "rules", "--top", "0", "--jobs", "1", "--batch", "5", "--batch-seconds", "0.2"]
    clean = tmp_path / "clean.duckdb"
    subprocess.run(EXE + ["run", str(src), "--store", str(clean)] + args, check=True, env=env,
                   capture_output=True, timeout=600)
    killed = tmp_path / "killed.duckdb"
    rng = random.Random(11)
    partial = []
    delay = 3.0
    for _ in range(8):  # kill at moments while it codes and writes; adapt to this machine's speed
        proc = subprocess.Popen(EXE + ["run", str(src), "--store", str(killed)] + args, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay * rng.uniform(0.8, 1.2))
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: workers too
        proc.wait(timeout=60)
        n = len(_state(killed)[0]) if killed.exists() else 0  # the file opens after each kill
        partial.append(n)
        if n == 0:
            delay *= 1.6  # killed before the first document was stored: wait longer
        elif n == 150:
            killed.unlink()  # finished before the kill: start again, kill sooner
            delay /= 1.6
        elif sum(0 < k < 150 for k in partial) >= 3:
            break
    done = subprocess.run(EXE + ["run", str(src), "--store", str(killed)] + args, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(0 < n < 150 for n in partial), partial  # some kill did land mid-run
    assert _state(killed) == _state(clean)
    docs, events = _state(clean)
    assert len(docs) == 150 and len(events) >= 150
    assert len({e[0] for e in events}) == len(events)  # no event twice
