"""`allegiance watch FOLDER` killed with SIGKILL at random (seeded) moments, files added while it runs and
while it is dead, then restarted: every file is coded once, nothing is lost or stored twice, and the
DuckDB file opens after every kill (issue 15, "Crash safety ... the same for watch")."""
from __future__ import annotations

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
# small batches: kills land between and during many writes
ARGS = ["--engine", "rules", "--batch", "4", "--batch-seconds", "0.2"]

# Sentences written for this test; each file holds three of them and its own number.
SENTENCES = [
    "Chadian troops clashed with rebels near the Libyan border on Sunday.",
    "Kenya and Tanzania signed an agreement on cross-border trade.",
    "Police in Dhaka detained dozens of students who protested against job quotas.",
    "Germany pledged medical aid to Moldova.",
    "Armenia accused Azerbaijan of shelling villages in the south.",
    "Peru expelled the Mexican ambassador after a dispute over the election.",
]


def _add(inbox: Path, rng: random.Random, start: int, n: int) -> int:
    """Write files ``start`` .. ``start + n - 1`` into ``inbox``; return the next number."""
    for i in range(start, start + n):
        tmp = inbox / f".n{i:03d}.tmp"  # hidden while written, then renamed: a watcher never sees half a file
        tmp.write_text(" ".join(rng.sample(SENTENCES, 5)) + f" Officials gave the figure {i}.\n", encoding="utf-8")
        tmp.rename(inbox / f"n{i:03d}.txt")
    return start + n


def _state(db: Path) -> tuple[list, list]:
    return store_state(db)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_killed_watch_then_restarted_loses_and_repeats_nothing(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rng = random.Random(15)
    n = _add(inbox, rng, 0, 100)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    store = tmp_path / "watched.duckdb"
    counts = []
    delay = 3.5  # seconds to a kill; adapted to this machine: kills should land while files are coded
    for trial in range(5):
        proc = subprocess.Popen(EXE + ["watch", str(inbox), "--every", "1s", "--store", str(store)] + ARGS,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        time.sleep(delay * rng.uniform(0.5, 0.9))
        n = _add(inbox, rng, n, 5)  # added while it runs: this round or the next picks them up
        time.sleep(delay * rng.uniform(0.1, 0.6))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        stored = len(_state(store)[0]) if store.exists() else 0  # the file opens after each kill
        counts.append((stored, n))
        if stored == 0:
            delay *= 1.5  # killed before the first batch was written: let the next one run longer
        elif stored == n:
            delay /= 1.5  # everything was coded before the kill: kill sooner
        n = _add(inbox, rng, n, 20 if stored == n else 5)  # added while it is dead
        if sum(0 < s < k for s, k in counts) >= 2:
            break
    print("kills (stored, files):", counts)
    # restarted: one round codes everything it has not stored, then stops
    done = subprocess.run(EXE + ["watch", str(inbox), "--every", "1s", "--rounds", "1", "--store", str(store)]
                          + ARGS, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(0 < s < k for s, k in counts), counts  # some kill landed with files still to code
    clean = tmp_path / "clean.duckdb"  # the same folder coded once, by run, without interruption
    subprocess.run(EXE + ["run", str(inbox), "--store", str(clean), "--top", "0", "--jobs", "1"] + ARGS,
                   check=True, env=env, capture_output=True, timeout=300)
    assert _state(store) == _state(clean)  # the same documents and events, none twice, none lost
    docs, events = _state(store)
    assert len(docs) == n and [d[0] for d in docs] == [f"n{i:03d}.txt" for i in range(n)]
    assert len({e[0] for e in events}) == len(events) >= n
