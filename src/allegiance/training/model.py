"""The trainable event model in torch: encoder + token head + role head.

The heads mirror ``events.learned.Heads`` exactly (same inputs, layers, activations), so that
their weights exported to ``heads.npz`` give the same scores in numpy at run time.
"""
from __future__ import annotations

import torch
from torch import nn

from ..events.learned import DIST_BUCKETS, KINDS, MODE_LABELS, POS_TAGS, ROLES, SECTOR_LIST, TYPES

__all__ = ["EventNet"]

N_TYPES = len(TYPES)


def gelu(x: torch.Tensor) -> torch.Tensor:
    return nn.functional.gelu(x, approximate="tanh")


class SpacyCNN(nn.Module):
    """The spaCy-feature encoder: the parser's token vectors (``doc.tensor``, free at run time) and
    a hashed lemma embedding, projected, then residual convolutions over three tokens."""

    def __init__(self, dim: int = 256, layers: int = 2, dropout: float = 0.1) -> None:
        super().__init__()
        from ..events.learned import LEMMA_BUCKETS

        self.dim, self.n_layers = dim, layers
        self.lemma = nn.Embedding(LEMMA_BUCKETS, 64)
        self.proj = nn.Linear(96 + 64, dim)
        self.convs = nn.ModuleList(nn.Conv1d(dim, dim, 3, padding=1) for _ in range(layers))
        self.drop = nn.Dropout(dropout)

    def forward(self, vec: torch.Tensor, lemmas: torch.Tensor, tmask: torch.Tensor) -> torch.Tensor:
        m = tmask.unsqueeze(-1)
        x = self.proj(torch.cat([vec, self.lemma(lemmas)], dim=-1)) * m
        for conv in self.convs:
            y = conv(self.drop(x).transpose(1, 2)).transpose(1, 2)
            x = (x + gelu(y)) * m
        return x

    def weights(self) -> dict[str, torch.Tensor]:
        out = {"enc.lemma": self.lemma.weight, "enc.proj.w": self.proj.weight, "enc.proj.b": self.proj.bias,
               "enc.layers": torch.tensor([float(self.n_layers)])}
        for i, conv in enumerate(self.convs):
            out[f"enc.conv{i}.w"] = conv.weight
            out[f"enc.conv{i}.b"] = conv.bias
        return out


class EventNet(nn.Module):
    def __init__(self, encoder: nn.Module, n_dep: int, n_path: int, hidden: int = 256,
                 dropout: float = 0.1) -> None:
        super().__init__()
        d = encoder.dim
        self.encoder = encoder
        self.tok_pos = nn.Embedding(len(POS_TAGS), 16)
        self.tok_dep = nn.Embedding(n_dep, 16)
        self.tok_l1 = nn.Linear(d + 32 + 2 * (N_TYPES + 1), hidden)
        self.tok_type = nn.Linear(hidden, N_TYPES + 1)  # [none, types...]
        self.tok_mode = nn.Linear(hidden, len(MODE_LABELS))
        self.role_path = nn.Embedding(n_path, 32)
        self.role_dist = nn.Embedding(DIST_BUCKETS, 8)
        self.role_kind = nn.Embedding(len(KINDS), 8)
        self.role_sector = nn.Embedding(len(SECTOR_LIST) + 1, 8)
        self.role_l1 = nn.Linear(3 * d + 32 + 8 + 8 + 8 + 3 + N_TYPES, hidden)
        self.role_out = nn.Linear(hidden, len(ROLES))
        self.drop = nn.Dropout(dropout)

    @property
    def spacy(self) -> bool:
        return isinstance(self.encoder, SpacyCNN)

    def token_reps(self, ids: torch.Tensor, mask: torch.Tensor, first: torch.Tensor, vec=None, lemmas=None,
                   tmask=None) -> torch.Tensor:
        """[B, T, d]: each token's first word piece (index -1: zeros), or the spaCy-feature
        encoder's vectors."""
        if self.spacy:
            return self.encoder(vec, lemmas, tmask)
        h = self.encoder(ids, mask)
        idx = first.clamp(min=0).unsqueeze(-1).expand(-1, -1, h.shape[-1])
        reps = torch.gather(h, 1, idx)
        return reps * (first >= 0).unsqueeze(-1).to(reps.dtype)

    def token_logits(self, reps, pos, dep, lex, rule):
        x = torch.cat([reps, self.tok_pos(pos), self.tok_dep(dep), lex, rule], dim=-1)
        z = self.drop(gelu(self.tok_l1(self.drop(x))))
        return self.tok_type(z), self.tok_mode(z)

    def role_logits(self, ht, hm, path, dist, kind, sector, rr, types):
        x = torch.cat([ht, hm, ht * hm, self.role_path(path), self.role_dist(dist), self.role_kind(kind),
                       self.role_sector(sector), rr, types], dim=-1)
        z = self.drop(gelu(self.role_l1(self.drop(x))))
        return self.role_out(z)

    def head_weights(self) -> dict[str, "torch.Tensor"]:
        """The heads' weights under the names ``events.learned.Heads`` reads."""
        return {
            "tok.pos": self.tok_pos.weight, "tok.dep": self.tok_dep.weight,
            "tok.l1.w": self.tok_l1.weight, "tok.l1.b": self.tok_l1.bias,
            "tok.type.w": self.tok_type.weight, "tok.type.b": self.tok_type.bias,
            "tok.mode.w": self.tok_mode.weight, "tok.mode.b": self.tok_mode.bias,
            "role.path": self.role_path.weight, "role.dist": self.role_dist.weight,
            "role.kind": self.role_kind.weight, "role.sector": self.role_sector.weight,
            "role.l1.w": self.role_l1.weight, "role.l1.b": self.role_l1.bias,
            "role.out.w": self.role_out.weight, "role.out.b": self.role_out.bias,
            **(self.encoder.weights() if self.spacy else {}),
        }
