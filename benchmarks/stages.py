#!/usr/bin/env python3
"""Per-stage profile of one process coding the throughput corpus (CPU time of the one process).

    python benchmarks/stages.py [--docs 200] [--engine hybrid|rules] [--cprofile FILE]

The documents are those of ``benchmarks/throughput.py`` (its first ``--docs``). Stages:

    parse          the spaCy pipeline (``nlp.pipe``, as ``Coder.code_many`` runs it)
    actors         ActorFinder: catalog matching and resolution of every noun of the document
    event rules    the rule coder's candidates (``extract_sentence``)
    features       the model's features of a sentence (``featurize``: lexicon, mentions)
    encoder        the ONNX encoder (tokenizer, session, first-piece pooling)
    token head     the trigger/type/mode head
    role head      pair features and the role head
    proposals      the rest of ``propose``: the model's triggers decoded, rules and model merged
    records        everything else in ``code_parsed``: records, locations, dates, attribution

Each stage's time is measured around its calls, so nested stages are not counted twice (an
actor resolved during the event rules counts in the event rules).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import build_corpus  # noqa: E402

STAGES = ("parse", "actors", "event rules", "features", "encoder", "token head", "role head", "proposals",
          "records")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--engine", default="hybrid", choices=("hybrid", "rules"))
    ap.add_argument("--cprofile", help="also write a cProfile of the coding (not of the parse) here")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = ap.parse_args()

    from allegiance import coder as coder_mod
    from allegiance.coder import Coder
    from allegiance.events import combine, learned
    from allegiance.models import Document

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        build_corpus(src, 520)
        rows = [json.loads(ln) for ln in src.read_text(encoding="utf-8").splitlines()][:args.docs]
    docs = [Document(id=d["id"], text=d["text"], published=d["date"]) for d in rows]
    coder = Coder(engine=args.engine)
    list(coder.code_many(docs[:3]))  # warm up: caches, first calls

    spent: dict[str, float] = defaultdict(float)
    stack: list[str] = []

    def timed(stage: str, fn):
        def wrapper(*a, **k):
            t = time.process_time()
            stack.append(stage)
            try:
                return fn(*a, **k)
            finally:
                stack.pop()
                dt = time.process_time() - t
                spent[stage] += dt
                if stack:  # time of a nested stage is not its caller's
                    spent[stack[-1]] -= dt
        return wrapper

    coder_mod.ActorFinder = timed("actors", coder_mod.ActorFinder)
    coder_mod.extract_sentence = timed("event rules", coder_mod.extract_sentence)
    coder_mod.featurize = timed("features", coder_mod.featurize)
    coder_mod.propose = timed("proposals", coder_mod.propose)
    if coder.model is not None:
        coder.model.encode = timed("encoder", coder.model.encode)
        coder.model.heads.tokens = timed("token head", coder.model.heads.tokens)
        learned.SentenceAnalysis._score_roles = timed("role head", learned.SentenceAnalysis._score_roles)
    code_parsed = timed("records", coder.code_parsed)
    del combine

    t = time.process_time()
    parsed = list(coder.nlp.pipe((d.text for d in docs), batch_size=16))
    spent["parse"] = time.process_time() - t
    n_sents = sum(1 for p in parsed for s in p.sents if s.text.strip())
    prof = cProfile.Profile() if args.cprofile else None
    if prof:
        prof.enable()
    n_records = 0
    for d, p in zip(docs, parsed):
        n_records += len(code_parsed(d, p))
    if prof:
        prof.disable()
        prof.dump_stats(args.cprofile)
    total = sum(spent.values())
    out = {"engine": args.engine, "documents": len(docs), "sentences": n_sents, "records": n_records,
           "seconds": round(total, 2),
           "stages": {s: {"seconds": round(spent[s], 3), "share": round(spent[s] / total, 3),
                          "ms_per_sentence": round(1000 * spent[s] / max(1, n_sents), 3)}
                      for s in STAGES if s in spent}}
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{args.engine}: {len(docs)} documents, {n_sents} sentences, {n_records} records, {total:.2f} s "
          f"(CPU seconds of one process, timing wrappers included)")
    print(f"{'stage':<12} {'seconds':>8} {'share':>6} {'ms/sentence':>12}")
    for s, v in out["stages"].items():
        print(f"{s:<12} {v['seconds']:8.2f} {v['share']:6.1%} {v['ms_per_sentence']:12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
