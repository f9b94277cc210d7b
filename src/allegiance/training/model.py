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

    def token_reps(self, ids: torch.Tensor, mask: torch.Tensor, first: torch.Tensor) -> torch.Tensor:
        """[B, T, d]: each token's first word piece (index -1: zeros)."""
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
        }
