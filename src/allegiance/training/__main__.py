"""``python -m allegiance.training train|evaluate ...``: build the event model (development only)."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXAMPLES = """examples:
  python -m allegiance.training train --out build/model                 # what `make train` runs
  python -m allegiance.training train --layers 6 --epochs 8 --out build/model-l6
  python -m allegiance.training train --max-items 40 --epochs 1 --out /tmp/m   # a smoke run
"""


def heldout_probe(cache: Path) -> Path:
    """The probe half (odd ids) of benchmarks/heldout/sentences.jsonl: read while building, so it
    may tune thresholds; the even half stays a test."""
    import json

    src = Path("benchmarks/heldout/sentences.jsonl")
    rows = [ln for ln in src.read_text(encoding="utf-8").splitlines()
            if ln.strip() and int(json.loads(ln)["id"].rsplit("-", 1)[1]) % 2]
    cache.mkdir(parents=True, exist_ok=True)
    out = cache / "heldout-probe.jsonl"
    out.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    from .train import Settings

    ap = argparse.ArgumentParser(prog="python -m allegiance.training", description=__doc__, epilog=EXAMPLES,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("train", help="train on the corpus and export an ONNX model folder")
    p.add_argument("--out", required=True, help="model folder to write")
    p.add_argument("--corpus", default="corpus", help="corpus folder (default: ./corpus)")
    p.add_argument("--cache", default="build/cache", help="parsed-example cache folder")
    d = Settings()
    for name in ("layers", "epochs", "batch", "seed", "threads", "hidden", "max_pieces", "max_items"):
        p.add_argument("--" + name.replace("_", "-"), type=int, default=getattr(d, name))
    for name in ("lr_encoder", "lr_heads", "dropout", "weight_decay"):
        p.add_argument("--" + name.replace("_", "-"), type=float, default=getattr(d, name))
    p.add_argument("--no-quantize", action="store_true", help="keep the encoder in fp32")
    p.add_argument("--encoder", choices=("minilm", "spacy"), default="minilm",
                   help="minilm: fine-tune MiniLM (ONNX at run time); spacy: the parser's own token vectors")
    p.add_argument("--train-files", nargs="*", help="override the training files")
    p.add_argument("--dev-files", nargs="*", help="override the dev files")
    p.add_argument("--no-calibrate", action="store_true", help="skip fitting the calibrator on dev")
    p.add_argument("--tune-heldout-probe", action="store_true",
                   help="also choose the record thresholds on the read (odd-id) half of benchmarks/heldout")
    p.add_argument("--tune-files", nargs="*", default=[],
                   help="gold files that guard the thresholds (e.g. ../shared/gold/dev.jsonl)")
    p.add_argument("--guard-drop", type=float, default=0.02,
                   help="how far below the rules alone a guard file may fall, in type and dyad F1 (default 0.02)")
    c = sub.add_parser("calibrate", help="fit the confidence calibrator and record threshold on dev")
    c.add_argument("--model", required=True, help="model folder")
    c.add_argument("--dev-files", nargs="+", default=["corpus/dev.jsonl", "corpus/articles-dev.jsonl"])
    c.add_argument("--tune-files", nargs="*", default=[], help="more gold for choosing the thresholds")
    c.add_argument("--guard-drop", type=float, default=0.02,
                   help="how far below the rules alone a tune file may fall, in type and dyad F1 (default 0.02)")
    c.add_argument("--published-only", action="store_true",
                   help="refit only the map from score to published confidence; keep the weights and "
                        "record thresholds (the records coded do not change)")
    k = sub.add_parser("card", help="print the model card (docs/model.md) of a model folder")
    k.add_argument("--model", required=True)
    k.add_argument("--figures", help="accuracy figures JSON (benchmarks/accuracy.py --summary)")
    k.add_argument("--candidates", help="JSON list of the architecture candidates measured on dev")
    k.add_argument("--ece", help="the output of `ece` on the test split (JSON)")
    e = sub.add_parser("ece", help="expected calibration error of the confidences on gold files (a figure only)")
    e.add_argument("files", nargs="+")
    e.add_argument("--model", help="model folder (default: the shipped one)")
    args = ap.parse_args(argv)
    if args.cmd == "ece":
        import json as _json

        from .calibrate import measure_ece

        print(_json.dumps(measure_ece(Path(args.model) if args.model else None, [Path(f) for f in args.files])))
        return 0
    if args.cmd == "card":
        import json as _json

        from .card import model_card

        figures = _json.loads(Path(args.figures).read_text()) if args.figures else None
        cands = _json.loads(Path(args.candidates).read_text()) if args.candidates else None
        ece = _json.loads(Path(args.ece).read_text().strip().splitlines()[-1]) if args.ece else None
        print(model_card(Path(args.model), figures, cands, ece))
        return 0
    if args.cmd == "calibrate":
        from .calibrate import calibrate, refit_published

        if args.published_only:
            refit_published(Path(args.model), [Path(f) for f in args.dev_files],
                            log=lambda m: print(m, file=sys.stderr))
            return 0
        calibrate(Path(args.model), [Path(f) for f in args.dev_files], log=lambda m: print(m, file=sys.stderr),
                  tune_files=[Path(f) for f in args.tune_files], guard_drop=args.guard_drop)
        return 0
    if args.cmd == "train":
        from .train import train

        corpus = Path(args.corpus)
        tr = args.train_files or [str(corpus / "train.jsonl"), str(corpus / "articles-train.jsonl")]
        dv = args.dev_files if args.dev_files is not None else [str(corpus / "dev.jsonl"), str(corpus / "articles-dev.jsonl")]
        for f in tr + dv:
            if not Path(f).is_file():
                print(f"error: {f}: no such corpus file (run `python -m allegiance.corpus build`)", file=sys.stderr)
                return 2
        s = Settings(layers=args.layers, epochs=args.epochs, batch=args.batch, seed=args.seed, threads=args.threads,
                     hidden=args.hidden, max_pieces=args.max_pieces, max_items=args.max_items,
                     lr_encoder=args.lr_encoder, lr_heads=args.lr_heads, dropout=args.dropout,
                     weight_decay=args.weight_decay, quantize=not args.no_quantize, encoder=args.encoder,
                     train_files=tr, dev_files=dv)
        log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
        record = train(s, Path(args.out), Path(args.cache), log=log)
        if dv and not args.no_calibrate:
            from .calibrate import calibrate

            tune = ([heldout_probe(Path(args.cache))] if args.tune_heldout_probe else []) + [Path(f) for f in args.tune_files]
            calibrate(Path(args.out), [Path(f) for f in dv], log=log, tune_files=tune, guard_drop=args.guard_drop)
        print(json.dumps(record["history"][-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
