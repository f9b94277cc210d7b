"""Train the event model on the corpus and export it for onnxruntime.

    python -m allegiance.training train --out build/model            # corpus/train + articles-train
    python -m allegiance.training train --layers 4 --epochs 6 --out build/model-l4

Reproducible: fixed seeds, one thread count, sorted data; the settings, the data files' sha256
and the figures go into ``model.json``.
"""
from __future__ import annotations

import json
import random
import shutil
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import torch

from ..events.learned import (DIST_BUCKETS, MODE_LABELS, ROLES, TYPES, first_pieces, piece_ids,
                              _sha256)
from .bert import load_minilm, minilm_dir
from .dataset import SentenceExample, Stats, cached_examples
from .model import EventNet

__all__ = ["Settings", "train", "export"]


@dataclass
class Settings:
    encoder: str = "minilm"        # minilm: fine-tuned MiniLM run with onnxruntime; spacy: the parser's vectors
    layers: int = 4
    epochs: int = 8
    batch: int = 16
    lr_encoder: float = 5e-5
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    dropout: float = 0.1
    hidden: int = 256
    max_pieces: int = 128
    seed: int = 13
    threads: int = 2
    min_path_count: int = 2
    max_items: int | None = None   # a slice of the data (tests)
    quantize: bool = True
    train_files: list[str] = field(default_factory=list)
    dev_files: list[str] = field(default_factory=list)


def _seed(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


class Vocab:
    def __init__(self, deps: list[str], paths: list[str]) -> None:
        self.deps, self.paths = deps, paths
        self.dep = {d: i for i, d in enumerate(deps)}
        self.path = {p: i for i, p in enumerate(paths)}

    @classmethod
    def build(cls, exs: Sequence[SentenceExample], min_path: int) -> "Vocab":
        deps = Counter(d for e in exs for d in e.dep_labels)
        paths = Counter(p for e in exs for p in e.paths.values())
        return cls(["<unk>"] + sorted(deps), ["<unk>"] + sorted(p for p, n in paths.items() if n >= min_path))


@dataclass
class Encoded:
    ex: SentenceExample
    ids: list[int]
    first: list[int]


def encode_examples(exs: Sequence[SentenceExample], tokenizer, max_pieces: int) -> list[Encoded]:
    out = []
    encs = tokenizer.encode_batch([e.text for e in exs])
    for e, enc in zip(exs, encs):
        ids, usable = piece_ids(enc.ids, max_pieces)
        out.append(Encoded(e, ids, first_pieces(enc.offsets, e.offsets, usable)))
    return out


def _batches(data: Sequence[Encoded], size: int, shuffle: bool, rng: random.Random) -> list[list[Encoded]]:
    order = sorted(range(len(data)), key=lambda i: len(data[i].ids))
    batches = [[data[i] for i in order[b:b + size]] for b in range(0, len(order), size)]
    if shuffle:
        rng.shuffle(batches)
    return batches


def _tensors(batch: Sequence[Encoded], vocab: Vocab) -> dict:
    B = len(batch)
    N = max(len(x.ids) for x in batch)
    T = max(len(x.first) for x in batch)
    ids = torch.zeros(B, N, dtype=torch.long)
    mask = torch.zeros(B, N, dtype=torch.long)
    first = torch.full((B, T), -1, dtype=torch.long)
    pos = torch.zeros(B, T, dtype=torch.long)
    dep = torch.zeros(B, T, dtype=torch.long)
    lex = torch.zeros(B, T, len(TYPES) + 1)
    rule = torch.zeros(B, T, len(TYPES) + 1)
    vec = torch.zeros(B, T, 96)
    lemmas = torch.zeros(B, T, dtype=torch.long)
    types = torch.zeros(B, T, len(TYPES))
    modes = torch.full((B, T), -100, dtype=torch.long)
    tmask = torch.zeros(B, T)
    roles: dict[str, list] = {k: [] for k in ("b", "trig", "ment", "path", "dist", "kind", "sector", "rr",
                                              "type", "label")}
    for b, x in enumerate(batch):
        e = x.ex
        n = len(x.first)
        ids[b, :len(x.ids)] = torch.tensor(x.ids)
        mask[b, :len(x.ids)] = 1
        first[b, :n] = torch.tensor(x.first)
        pos[b, :n] = torch.from_numpy(e.pos)
        dep[b, :n] = torch.tensor([vocab.dep.get(d, 0) for d in e.dep_labels])
        lex[b, :n] = torch.from_numpy(e.lex)
        rule[b, :n] = torch.from_numpy(e.rule)
        if e.vec is not None:
            vec[b, :n] = torch.from_numpy(e.vec.astype(np.float32))
            lemmas[b, :n] = torch.from_numpy(e.lemmas)
        types[b, :n] = torch.from_numpy(e.types)
        modes[b, :n] = torch.from_numpy(e.modes)
        tmask[b, :n] = 1
        index_of_head = {}
        for r in e.roles:
            start, end, anchor, kind, sector = e.mentions[r.mention]
            key = next((k for k in e.paths if k[1] == r.mention and k[0] in r.trigger), None)
            if key is None:
                key = next(k for k in e.paths if k[1] == r.mention)
            index_of_head[r.mention] = key
            rr = [0.0, 0.0, 1.0 if e.rule[r.trigger, -1].max() > 0 else 0.0]
            for k in r.trigger:
                got = e.rule_roles.get((k, anchor))
                if got:
                    rr[0], rr[1] = max(rr[0], got[0]), max(rr[1], got[1])
            roles["b"].append(b)
            roles["trig"].append(r.trigger)
            roles["ment"].append((start, end))
            roles["path"].append(vocab.path.get(e.paths[key], 0))
            roles["dist"].append(e.dists[key])
            roles["kind"].append(kind)
            roles["sector"].append(sector)
            roles["rr"].append(rr)
            roles["type"].append(r.type)
            roles["label"].append(r.label)
    return {"ids": ids, "mask": mask, "first": first, "vec": vec, "lemmas": lemmas, "pos": pos, "dep": dep,
            "lex": lex, "rule": rule,
            "types": types, "modes": modes, "tmask": tmask, "roles": roles}


def _role_inputs(reps: torch.Tensor, r: dict) -> tuple:
    ht = torch.stack([reps[b, t].mean(0) for b, t in zip(r["b"], r["trig"])])
    hm = torch.stack([reps[b, s:e].mean(0) for b, (s, e) in zip(r["b"], r["ment"])])
    types = torch.zeros(len(r["type"]), len(TYPES))
    types[torch.arange(len(r["type"])), torch.tensor(r["type"])] = 1.0
    return (ht, hm, torch.tensor(r["path"]), torch.tensor(r["dist"]), torch.tensor(r["kind"]),
            torch.tensor(r["sector"]), torch.tensor(r["rr"]), types)


def run_epoch(net: EventNet, batches, vocab: Vocab, opt=None, sched=None) -> dict:
    train = opt is not None
    net.train(train)
    tally = Counter()
    losses = []
    ce = torch.nn.CrossEntropyLoss(ignore_index=-100)
    for batch in batches:
        t = _tensors(batch, vocab)
        with torch.set_grad_enabled(train):
            reps = net.token_reps(t["ids"], t["mask"], t["first"], t["vec"], t["lemmas"], t["tmask"])
            tl, ml = net.token_logits(reps, t["pos"], t["dep"], t["lex"], t["rule"])
            gold = t["types"]
            n_types = gold.sum(-1, keepdim=True)
            target = torch.cat([(n_types == 0).to(gold.dtype), gold / n_types.clamp(min=1)], dim=-1)
            logp = torch.log_softmax(tl, dim=-1)
            loss_t = (-(target * logp).sum(-1) * t["tmask"]).sum() / t["tmask"].sum()
            loss_m = ce(ml.reshape(-1, ml.shape[-1]), t["modes"].reshape(-1)) if (t["modes"] >= 0).any() else tl.sum() * 0
            loss = loss_t + 0.5 * loss_m
            r = t["roles"]
            if r["label"]:
                rl = net.role_logits(*_role_inputs(reps, r))
                loss = loss + ce(rl, torch.tensor(r["label"]))
            if train:
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
                opt.step()
                sched.step()
        losses.append(float(loss.detach()))
        if not train:
            pred = (torch.softmax(tl, -1)[..., 1:] >= 0.5).float() * t["tmask"].unsqueeze(-1)
            gold = t["types"]
            tally["tok_tp"] += int((pred * gold).sum())
            tally["tok_fp"] += int((pred * (1 - gold)).sum())
            tally["tok_fn"] += int(((1 - pred) * gold).sum())
            if r["label"]:
                rp = rl.argmax(-1)
                lab = torch.tensor(r["label"])
                for cls in (1, 2, 3):
                    tally[f"r{cls}_tp"] += int(((rp == cls) & (lab == cls)).sum())
                    tally[f"r{cls}_fp"] += int(((rp == cls) & (lab != cls)).sum())
                    tally[f"r{cls}_fn"] += int(((rp != cls) & (lab == cls)).sum())
    out = {"loss": round(float(np.mean(losses)), 4)}
    if not train:
        def f1(tp, fp, fn):
            return round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
        out["token_type_f1"] = f1(tally["tok_tp"], tally["tok_fp"], tally["tok_fn"])
        out["role_f1"] = f1(sum(tally[f"r{c}_tp"] for c in (1, 2, 3)), sum(tally[f"r{c}_fp"] for c in (1, 2, 3)),
                            sum(tally[f"r{c}_fn"] for c in (1, 2, 3)))
    return out


def train(settings: Settings, out: Path, cache: Path, log=print) -> dict:
    """Train, export to ``out`` and return the training record."""
    from tokenizers import Tokenizer

    from ..coder import Coder

    _seed(settings.seed)
    torch.set_num_threads(settings.threads)
    torch.use_deterministic_algorithms(True, warn_only=True)
    coder = Coder()
    t0 = time.time()
    tr_files = [Path(p) for p in settings.train_files]
    dv_files = [Path(p) for p in settings.dev_files]
    if settings.max_items:  # a slice: the first items of each file (tests, smoke runs)
        from .dataset import build_examples, load_corpus_items

        tr_stats, dv_stats = Stats(), Stats()
        per_file = max(1, settings.max_items // max(1, len(tr_files)))
        train_ex = build_examples([i for f in tr_files for i in load_corpus_items([f])[:per_file]], coder,
                                  None, tr_stats)
        dev_n = max(2, settings.max_items // 4)
        dev_ex = build_examples([i for f in dv_files for i in load_corpus_items([f])[:dev_n]], coder,
                                None, dv_stats) if dv_files else []
    else:
        train_ex, tr_stats = cached_examples(tr_files, coder, cache, "train")
        dev_ex, dv_stats = cached_examples(dv_files, coder, cache, "dev") if dv_files else ([], Stats())
    log(f"train: {tr_stats.line()}")
    log(f"dev:   {dv_stats.line()}")
    log(f"examples built in {time.time() - t0:.0f}s: {len(train_ex)} train, {len(dev_ex)} dev sentences")
    vocab = Vocab.build(train_ex, settings.min_path_count)
    tok = Tokenizer.from_file(str(minilm_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    tr_enc = encode_examples(train_ex, tok, settings.max_pieces)
    dv_enc = encode_examples(dev_ex, tok, settings.max_pieces)
    if settings.encoder == "spacy":
        from .model import SpacyCNN

        encoder = SpacyCNN(256, 2, settings.dropout)
        enc_lr = settings.lr_heads  # trained from scratch, like the heads
    else:
        encoder = load_minilm(settings.layers, settings.dropout)
        enc_lr = settings.lr_encoder
    net = EventNet(encoder, len(vocab.deps), len(vocab.paths), settings.hidden, settings.dropout)
    enc_params = list(net.encoder.parameters())
    ids = {id(p) for p in enc_params}
    head_params = [p for p in net.parameters() if id(p) not in ids]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": enc_lr},
                             {"params": head_params, "lr": settings.lr_heads}],
                            weight_decay=settings.weight_decay)
    rng = random.Random(settings.seed)
    steps = settings.epochs * len(_batches(tr_enc, settings.batch, False, rng))
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    history = []
    best, best_state = -1.0, None
    for epoch in range(settings.epochs):
        t = time.time()
        tr = run_epoch(net, _batches(tr_enc, settings.batch, True, rng), vocab, opt, sched)
        dv = run_epoch(net, _batches(dv_enc, 32, False, rng), vocab) if dv_enc else {}
        score = dv.get("token_type_f1", 0) + dv.get("role_f1", 0)
        history.append({"epoch": epoch + 1, "train_loss": tr["loss"], **{f"dev_{k}": v for k, v in dv.items()},
                        "seconds": round(time.time() - t)})
        log(json.dumps(history[-1]))
        if not dv_enc or score > best:
            best = score
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    record = {"settings": asdict(settings), "history": history,
              "data": {p.name: _sha256(p) for p in tr_files + dv_files},
              "train_stats": tr_stats.line(), "dev_stats": dv_stats.line(),
              "train_sentences": len(train_ex), "dev_sentences": len(dev_ex)}
    export(net, vocab, settings, out, record)
    return record


def export(net: EventNet, vocab: Vocab, settings: Settings, out: Path, record: dict) -> None:
    """encoder.onnx (int8 unless ``quantize`` is off), heads.npz, tokenizer.json, model.json."""
    out.mkdir(parents=True, exist_ok=True)
    net.eval()
    if settings.encoder == "spacy":
        heads = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.head_weights().items()}
        np.savez(out / "heads.npz", **heads)
        for stale in ("encoder.onnx", "tokenizer.json"):
            (out / stale).unlink(missing_ok=True)
        _write_meta(out, vocab, settings, record, "spacy", ("heads.npz",),
                    "spaCy's token vectors (en_core_web_sm tok2vec) + hashed lemmas, two residual convolutions")
        return
    enc = net.encoder
    ids = torch.ones(2, 12, dtype=torch.long)
    mask = torch.ones(2, 12, dtype=torch.long)
    raw = out / "encoder-fp32.onnx"
    torch.onnx.export(enc, (ids, mask), str(raw), input_names=["ids", "mask"], output_names=["hidden"],
                      dynamic_axes={"ids": {0: "batch", 1: "pieces"}, "mask": {0: "batch", 1: "pieces"},
                                    "hidden": {0: "batch", 1: "pieces"}},
                      opset_version=17, dynamo=False)
    final = out / "encoder.onnx"
    if settings.quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(raw), str(final), weight_type=QuantType.QInt8)
        raw.unlink()
    else:
        raw.replace(final)
    heads = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in net.head_weights().items()}
    np.savez(out / "heads.npz", **heads)
    shutil.copyfile(minilm_dir() / "tokenizer.json", out / "tokenizer.json")
    _write_meta(out, vocab, settings, record, "minilm", ("encoder.onnx", "heads.npz", "tokenizer.json"),
                f"all-MiniLM-L6-v2 (first {settings.layers} layers), fine-tuned"
                + (", int8 (dynamic quantisation)" if settings.quantize else ""))


def _write_meta(out: Path, vocab: Vocab, settings: Settings, record: dict, kind: str, files: tuple[str, ...],
                encoder: str) -> None:
    meta = {
        "name": "allegiance-event-model",
        "encoder_kind": kind,
        "encoder": encoder,
        "types": list(TYPES), "modes": list(MODE_LABELS), "roles": list(ROLES),
        "dep_vocab": vocab.deps, "path_vocab": vocab.paths, "dist_buckets": DIST_BUCKETS,
        "max_pieces": settings.max_pieces,
        "thresholds": {"trigger": 0.25, "role": 0.5},
        "training": record,
        "files": {},
    }
    for name in files:
        meta["files"][name] = _sha256(out / name)
    (out / "model.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
