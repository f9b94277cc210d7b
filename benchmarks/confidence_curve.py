"""Precision and recall of the hybrid's records above each confidence (the `--min-confidence` table).

    python benchmarks/confidence_curve.py                        # corpus dev split, shipped model
    python benchmarks/confidence_curve.py --gold ../shared/gold/dev.jsonl

Codes the gold texts once with the model's record thresholds set to 0 (every record the hybrid
proposes), then scores, with the shared scorer, the records whose calibrated ``confidence`` reaches
each value. Dev files only: the test splits are scored as figures by ``benchmarks/accuracy.py``.
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
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
STEPS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(ROOT / "corpus" / "dev.jsonl"), help="gold file (default: corpus dev split)")
    ap.add_argument("--model", default=str(ROOT / "src" / "allegiance" / "data" / "model"), help="model folder")
    args = ap.parse_args(argv)
    if "test" in Path(args.gold).name or "heldout" in args.gold:
        ap.error(f"--gold {args.gold}: test splits are scored by benchmarks/accuracy.py only")
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "model"
        shutil.copytree(args.model, model)
        meta = json.loads((model / "model.json").read_text())
        meta["thresholds"]["record"] = 0.0
        meta["thresholds"]["record_model"] = 0.0
        (model / "model.json").write_text(json.dumps(meta))
        texts, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with open(args.gold, encoding="utf-8") as src, open(texts, "w", encoding="utf-8") as dst:
            for line in src:
                if line.strip():
                    item = json.loads(line)
                    dst.write(json.dumps({"id": item["id"], "date": item.get("date"), "text": item["text"]}) + "\n")
        subprocess.run([sys.executable, "-m", "allegiance.cli", "code", str(texts), "-o", str(out),
                        "--model", str(model)], check=True)
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
        print(f"{len(records)} records proposed on {args.gold}\n")
        print("| min confidence | records | precision | recall | F1 |\n|---|---:|---|---|---|")
        for step in STEPS:
            kept = Path(tmp) / f"kept-{step}.jsonl"
            kept.write_text("".join(json.dumps(r) + "\n" for r in records if (r.get("confidence") or 0) >= step))
            res = subprocess.run([sys.executable, str(SCORER), args.gold, str(kept), "--json"],
                                 check=True, capture_output=True, text=True)
            dyad = json.loads(res.stdout)["dyad_level"]
            n = sum(1 for r in records if (r.get("confidence") or 0) >= step)
            print(f"| {step} | {n} | {dyad['p']:.3f} | {dyad['r']:.3f} | {dyad['f1']:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
