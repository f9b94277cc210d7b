"""The project's annotated training corpus (``corpus/``): item format, plan, checks and counts.

    python -m allegiance.corpus check corpus/drafts/w01.jsonl   # a writer's draft, with offsets computed
    python -m allegiance.corpus build                           # drafts -> corpus/{train,dev,test}.jsonl ...
    python -m allegiance.corpus validate                        # every file, ids, splits, counts
"""
from __future__ import annotations

from .plan import SPLITS, Plan, load_plan, split_files
from .schema import TYPES, Problem, check_item, compile_item, locate

__all__ = ["SPLITS", "Plan", "load_plan", "split_files", "TYPES", "Problem", "check_item",
           "compile_item", "locate", "load_split"]


def load_split(root, split: str, kind: str = "items") -> list[dict]:
    """The items (or articles) of one split, as dicts."""
    from pathlib import Path

    from .plan import read_jsonl

    path = split_files(Path(root))[(kind, split)]
    return [obj for _, obj, err in read_jsonl(path) if obj is not None] if path.exists() else []
