#!/usr/bin/env python3
"""Gazetteer load time per process: import, the alias table and a first lookup (target ≤ 2 s).

    python benchmarks/gazetteer_load.py [--runs 5] [--cold]

Each run is a fresh interpreter. The GeoNames/ISO tables live in an SQLite file in the user cache
(see `allegiance.geonames`); a warm run only opens it. ``--cold`` points ``ALLEGIANCE_CACHE`` at
an empty temporary folder for every run, so each run pays for building the tables once (what the
first run on a new machine, or after an upgrade, costs).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

CODE = ("import time; t=time.perf_counter(); from allegiance.places import Gazetteer; "
        "g=Gazetteer.default(); p=g.resolve('Tripoli', countries=('LBN',)); "
        "assert p.country == 'LBN'; print(time.perf_counter()-t)")


def run_once(cold: bool) -> float:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if cold:
            env["ALLEGIANCE_CACHE"] = tmp
        out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True, env=env)
    return float(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--cold", action="store_true", help="rebuild the cached tables in every run")
    args = ap.parse_args()
    times = [run_once(args.cold) for _ in range(args.runs)]
    kind = "cold (tables built)" if args.cold else "warm (cached tables)"
    print(f"gazetteer load + first lookup, fresh process, {kind}: " + ", ".join(f"{t:.2f} s" for t in times))
    print(f"median {statistics.median(times):.2f} s   (target <= 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
