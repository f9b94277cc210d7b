"""Fit the confidence calibrator and choose the record threshold on the dev split.

The coder runs over the dev items with permissive thresholds; each record it would make is
labelled right or wrong (its type, source country and target country match a gold event of the
item that no other record took, mirrored pairs counted once, as the shared scorer does). A
logistic regression on the proposal features (``events.combine.FEATURES``) gives the calibrated
``confidence``; the record threshold is the one that maximises dev F1 (type and dyad averaged).
Both go into the model's ``model.json``.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

import numpy as np

from ..events.combine import FEATURES

__all__ = ["label_records", "fit_logistic", "ece", "calibrate", "fit_published", "refit_published"]


def _key(ev: dict, gold: bool) -> tuple:
    t = ev["type"] if gold else ev["event_type"]
    return (t, (ev.get("source") or {}).get("country"), (ev.get("target") or {}).get("country"))


def label_types(gold_events: Sequence[dict], records: Sequence[dict]) -> list[int]:
    """1 for each record whose type matches a distinct factual gold event of the item."""
    left = Counter(e["type"] for e in gold_events if not e.get("negated"))
    out = []
    for rec in sorted(records, key=lambda r: -(r.get("confidence") or 0)):
        ok = not (rec.get("modality") or {}).get("negated") and left.get(rec["event_type"], 0) > 0
        if ok:
            left[rec["event_type"]] -= 1
        out.append((id(rec), int(ok)))
    got = dict(out)
    return [got[id(r)] for r in records]


def label_records(gold_events: Sequence[dict], records: Sequence[dict]) -> list[int]:
    """1 for each record that matches a distinct gold event at dyad level, else 0 (best-scored
    records claim gold events first; a record of a mirrored pair matches either direction)."""
    gold = [e for e in gold_events if not e.get("negated")]
    keys = Counter(_key(e, True) for e in gold)
    pairs = {k for k in keys if k[1] != k[2] and keys.get((k[0], k[2], k[1]))}
    order = sorted(range(len(records)), key=lambda i: -(records[i].get("confidence") or 0))
    labels = [0] * len(records)
    for i in order:
        rec = records[i]
        if (rec.get("modality") or {}).get("negated"):
            continue
        k = _key(rec, False)
        if keys.get(k, 0) > 0:
            keys[k] -= 1
            labels[i] = 1
        elif k in pairs or (k[0], k[2], k[1]) in pairs:
            twin = (k[0], k[2], k[1])
            if keys.get(twin, 0) > 0:
                keys[twin] -= 1
                labels[i] = 1
    return labels


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 200) -> np.ndarray:
    """Newton's method for L2-regularised logistic regression (the bias is column 0)."""
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ (p - y) + reg * w
        H = (X * (p * (1 - p))[:, None]).T @ X + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def ece(conf: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over equal-width confidence bins."""
    if len(conf) == 0:
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        sel = (conf >= a) & ((conf < b) if b < 1 else (conf <= b))
        if sel.any():
            total += sel.sum() / len(conf) * abs(conf[sel].mean() - y[sel].mean())
    return float(total)


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def collect(coder, items: Sequence[dict]) -> tuple[np.ndarray, np.ndarray, list[int], list[dict],
                                                   np.ndarray, np.ndarray]:
    """Records of every item: their gate features, dyad labels, the gold counts per item, the
    records, their type labels and the number of sentences of their document."""
    from ..models import Document

    X, y, yt, gold_n, recs_all, ns = [], [], [], [], [], []
    coder.keep_features = True
    docs = [Document(id=i["id"], text=i["text"], published=i.get("date")) for i in items]
    by_id = {i["id"]: i for i in items}
    for doc, recs, error in coder.code_many(docs):
        if recs is None:
            continue
        gold = by_id[doc.id].get("events") or []
        labels = label_records(gold, recs)
        tlabels = label_types(gold, recs)
        for r, lab, tl in zip(recs, labels, tlabels):
            X.append(r.pop("_features"))
            ns.append(r.pop("_doc_sents", 1))
            y.append(lab)
            yt.append(tl)
            recs_all.append(r)
        gold_n.append(len([e for e in gold if not e.get("negated")]))
    coder.keep_features = False
    return np.array(X, float), np.array(y, float), gold_n, recs_all, np.array(yt, float), np.array(ns, float)


def calibrate(model_dir: Path, dev_files: Sequence[Path], log=print,
              tune_files: Sequence[Path] = (), guard_drop: float = 0.02) -> dict:
    """Fit the calibrator on ``dev_files``; choose the record thresholds for the best mean of type
    and dyad F1 on them, among those that leave every ``tune_files`` gold (e.g. the read half of
    benchmarks/heldout and the shared dev gold, coded in the shared gold's style) at most
    ``guard_drop`` below the rules alone in type and in dyad F1; rewrite ``model.json``."""
    from ..coder import Coder
    from .dataset import load_corpus_items

    items = load_corpus_items(dev_files)
    coder = Coder(engine="hybrid", model=str(model_dir))
    coder.min_record = coder.min_record_model = 0.0
    X, y, gold_n, recs, yt, _ = collect(coder, items)
    w = fit_logistic(X, y)
    conf = 1.0 / (1.0 + np.exp(-np.clip(X @ w, -30, 30)))
    total_gold = sum(gold_n)
    # thresholds are chosen on the coder's real output at each setting (its record passes merge
    # and drop records, so filtering one permissive run would not tell): parses and model scores
    # are computed once and reused
    runs = [_Cached(coder, items)] + [_Cached(coder, load_corpus_items([p])) for p in tune_files]
    coder.model.calibration = dict(coder.model.calibration, weights=[float(v) for v in w])
    base = [r.f1s(coder, 0.0, 2.0) for r in runs]
    best = (-1.0, 0.0, 2.0)
    grid = []
    for t_rule in (0.0, 0.05, 0.1, 0.2, 0.3):
        for t_model in (0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 2.0):
            scores = [r.f1s(coder, t_rule, t_model) for r in runs]
            log(f"  thresholds {t_rule}/{t_model}: " + "; ".join(f"{a:.3f}/{b:.3f}" for a, b in scores))
            grid.append({"record": t_rule, "record_model": t_model,
                         "type_dyad_f1": [[round(a, 4), round(b, 4)] for a, b in scores]})
            # the guards (tune_files), coded in the shared gold's style where the rules are strong,
            # may not end up worse than the rules alone
            if any(min(a - b for a, b in zip(sc, bs)) < -guard_drop - 1e-9 for sc, bs in zip(scores[1:], base[1:])):
                continue
            if sum(scores[0]) / 2 > best[0] + 1e-9:
                best = (sum(scores[0]) / 2, t_rule, t_model)
    log(f"rules alone: dev type/dyad {base[0][0]:.3f}/{base[0][1]:.3f}" +
        "".join(f"; guard {p.name} {b[0]:.3f}/{b[1]:.3f}" for p, b in zip(tune_files, base[1:])))
    curve = []
    for thr in np.round(np.arange(0.05, 0.96, 0.05), 2):  # the precision/recall curve of --min-confidence over every record
        keep = conf >= thr
        tp = int(y[keep].sum())
        curve.append({"threshold": float(thr), "precision": round(tp / max(1, int(keep.sum())), 4),
                      "recall": round(tp / max(1, total_gold), 4),
                      "f1": round(_f1(tp, int(keep.sum() - tp), max(0, total_gold - tp)), 4)})
    meta_path = Path(model_dir) / "model.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["calibration"] = {"features": list(FEATURES), "weights": [round(float(v), 5) for v in w],
                           "fitted_on": [Path(p).name for p in dev_files],
                           "thresholds_tuned_on": [Path(p).name for p in dev_files],
                           "thresholds_guarded_by": [str(p) for p in tune_files], "guard_drop": guard_drop,
                           "scorer": "shared eval/score.py" if shared_scorer() else "built-in approximation",
                           "records": int(len(y)),
                           "ece_dev": round(ece(conf, y), 4), "curve_dev": curve, "grid": grid}
    meta["thresholds"]["record"] = best[1]
    meta["thresholds"]["record_model"] = best[2]
    coder.min_record, coder.min_record_model = best[1], best[2]
    meta["calibration"].update(fit_published(coder, items, w, log))
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"calibrated on {len(y)} dev records ({int(y.sum())} right, {total_gold} gold): "
        f"ECE {meta['calibration']['ece_dev']}, record thresholds {best[1]} (rules) / {best[2]} (model "
        f"only; 2.0 = none), dev mean type/dyad F1 {best[0]:.3f}")
    coder.min_record, coder.min_record_model = 0.0, 0.0
    return meta["calibration"]


def fit_published(coder, items: Sequence[dict], w: np.ndarray, log=print) -> dict:
    """The map from the gate's score to the published ``confidence``, fitted on the records the
    coder outputs for ``items`` at its current thresholds: sigmoid(a + b z + c log n), n the
    document's sentence count (records of a long article are right more often than those of a lone
    sentence at the same score). Returned as the ``calibration`` keys it sets; ``platt`` is None
    when the map would not calibrate the published records better than the score itself."""
    coder.model.calibration = dict(coder.model.calibration, weights=[float(v) for v in w], platt=None)
    Xk, yk, _, rk, _, nk = collect(coder, items)
    # a negated record ("did not attack") states that no event happened: it has no gold event to
    # match, so it is left out of the fit, as out of the calibration error (measure_ece)
    keep = np.array([not (r.get("modality") or {}).get("negated") for r in rk], bool)
    Xk, yk, nk, rk = Xk[keep], yk[keep], nk[keep], [r for r, k in zip(rk, keep) if k]
    if len(yk) < 50 or not 0 < yk.sum() < len(yk):
        return {"platt": None}
    zk = np.clip(Xk @ w, -30, 30)
    design = np.column_stack([np.ones_like(zk), zk, np.log(np.maximum(nk, 1))])
    platt = fit_logistic(design, yk, l2=1e-3)
    before = 1.0 / (1.0 + np.exp(-zk))
    after = 1.0 / (1.0 + np.exp(-np.clip(design @ platt, -30, 30)))
    # 5-fold by document: the calibration error of the map on records it was not fitted on
    docs = sorted({r["doc_id"] for r in rk})
    fold = {d: i % 5 for i, d in enumerate(docs)}
    fk = np.array([fold[r["doc_id"]] for r in rk])
    held = np.zeros_like(yk)
    for k in range(5):
        wk = fit_logistic(design[fk != k], yk[fk != k], l2=1e-3)
        held[fk == k] = 1.0 / (1.0 + np.exp(-np.clip(design[fk == k] @ wk, -30, 30)))
    got = {"platt": [round(float(v), 5) for v in platt] if ece(after, yk) < ece(before, yk) else None,
           "platt_inputs": ["bias", "gate logit", "log sentences of the document"],
           "records_published": int(len(yk)),
           "ece_dev_published": {"before": round(ece(before, yk), 4), "after": round(ece(after, yk), 4),
                                 "after_5fold": round(ece(held, yk), 4)}}
    log(f"published records on dev: {len(yk)} ({int(yk.sum())} right); ECE {got['ece_dev_published']} "
        f"(platt {got['platt']})")
    return got


def refit_published(model_dir: Path, dev_files: Sequence[Path], log=print) -> dict:
    """Refit only the published ``confidence`` map of a calibrated model on ``dev_files``, its gate
    weights and record thresholds kept (so the records it outputs do not change); rewrite
    ``model.json``."""
    from ..coder import Coder
    from .dataset import load_corpus_items

    coder = Coder(engine="hybrid", model=str(model_dir))
    w = np.array(coder.model.calibration["weights"], float)
    got = fit_published(coder, load_corpus_items(dev_files), w, log)
    meta_path = Path(model_dir) / "model.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["calibration"].update(got)
    meta_path.write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta["calibration"]


class _Cached:
    """Gold items parsed once, with the model's sentence scores memoised, to code them again and
    again under different record thresholds."""

    def __init__(self, coder, items: Sequence[dict]) -> None:
        from ..models import Document

        self.items = list(items)
        self.docs = [Document(id=i["id"], text=i["text"], published=i.get("date")) for i in self.items]
        self.parsed = list(coder.nlp.pipe([d.text for d in self.docs], batch_size=32))
        self.memo: dict = {}

    def f1s(self, coder, t_rule: float, t_model: float) -> tuple[float, float]:
        """(type F1, dyad F1) of the coder's records at these thresholds."""
        model = coder.model
        real = model.analyse

        def analyse(feats):
            key = tuple((id(f.sent.doc), f.sent.start) for f in feats)
            if key not in self.memo:
                self.memo[key] = real(feats)
            return self.memo[key]

        coder.min_record, coder.min_record_model = t_rule, t_model
        model.analyse = analyse
        scorer = shared_scorer()
        try:
            tp = ttp = n = g = 0
            all_recs: list[dict] = []
            for item, doc, parsed in zip(self.items, self.docs, self.parsed):
                recs = coder.code_parsed(doc, parsed)
                if scorer is not None:
                    all_recs.extend(recs)
                    continue
                gold = item.get("events") or []
                g += sum(1 for e in gold if not e.get("negated"))
                tp += sum(label_records(gold, recs))
                ttp += sum(label_types(gold, recs))
                n += len(recs)
        finally:
            model.analyse = real
        if scorer is not None:
            got = scorer(self.items, all_recs)
            return got["type_level"]["f1"], got["dyad_level"]["f1"]
        return _f1(ttp, n - ttp, g - ttp), _f1(tp, n - tp, g - tp)


def shared_scorer():
    """The shared gold's scorer (``../shared/eval/score.py`` beside the checkout, or the file
    named by ``$ALLEGIANCE_SCORER``) as a function ``score(gold, records)``; ``None`` when absent
    (then a close approximation of it is used: exact type and country matches, one record per
    gold event)."""
    import importlib.util
    import os

    global _SCORER
    if _SCORER is None:
        here = Path(__file__).resolve().parents[3]
        cands = [os.environ.get("ALLEGIANCE_SCORER"), here.parent / "shared" / "eval" / "score.py",
                 Path.cwd().parent / "shared" / "eval" / "score.py"]
        _SCORER = False
        for c in cands:
            if c and Path(c).is_file():
                spec = importlib.util.spec_from_file_location("_shared_score", c)
                mod = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(mod)
                _SCORER = mod.score
                break
    return _SCORER or None


_SCORER = None


def measure_ece(model_dir: Path | None, files: Sequence[Path]) -> dict:
    """Expected calibration error of the shipped confidences on ``files`` (a figure only: nothing
    is fitted, no item is shown)."""
    from ..coder import Coder
    from ..models import Document
    from .dataset import load_corpus_items

    coder = Coder(engine="hybrid", model=str(model_dir) if model_dir else None)
    items = load_corpus_items(files)
    by_id = {i["id"]: i for i in items}
    conf, ok = [], []
    docs = [Document(id=i["id"], text=i["text"], published=i.get("date")) for i in items]
    for doc, recs, error in coder.code_many(docs):
        if not recs:
            continue
        labels = label_records(by_id[doc.id].get("events") or [], recs)
        for r, lab in zip(recs, labels):
            if (r.get("modality") or {}).get("negated"):
                continue
            conf.append(r["confidence"])
            ok.append(lab)
    c, y = np.array(conf, float), np.array(ok, float)
    return {"records": int(len(c)), "right": int(y.sum()), "ece": round(ece(c, y), 4),
            "mean_confidence": round(float(c.mean()), 4) if len(c) else None,
            "accuracy": round(float(y.mean()), 4) if len(y) else None}
