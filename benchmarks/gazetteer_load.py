#!/usr/bin/env python3
"""Gazetteer load time per process (target ≤ 2 s, once per process, not per document).

    python benchmarks/gazetteer_load.py [--runs 5]

Each run is a fresh interpreter; the first run also pays for byte-compiling and a cold disk cache.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

CODE = ("import time; t=time.perf_counter(); from allegiance.places import Gazetteer; "
        "Gazetteer.default(); print(time.perf_counter()-t)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    times = [float(subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                                  check=True).stdout) for _ in range(args.runs)]
    print("gazetteer load, fresh process: " + ", ".join(f"{t:.2f} s" for t in times))
    print(f"median {statistics.median(times):.2f} s   (target <= 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
