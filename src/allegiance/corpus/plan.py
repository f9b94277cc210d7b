"""The corpus plan (``corpus/plan.yaml``) and the checks that keep the splits honest."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from .schema import Problem, check_item, compile_item, is_article

__all__ = ["Plan", "Slice", "load_plan", "read_jsonl", "SPLITS", "split_files", "leaks"]

SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Slice:
    """One writer's share of the corpus: its scenarios, all in one split."""

    name: str
    split: str
    scenarios: tuple[str, ...]
    brief: str = ""


@dataclass
class Plan:
    root: Path
    slices: dict[str, Slice]
    reserved: dict[str, dict[str, list[str]]]
    avoid: list[str]
    type_quota: dict[str, int] = field(default_factory=dict)
    register_quota: dict[str, float] = field(default_factory=dict)
    #: scenario -> why it is kept out of every split (written, checked, never trained or scored on)
    shelved: dict[str, str] = field(default_factory=dict)

    def split_of_scenario(self) -> dict[str, str]:
        return {sc: s.split for s in self.slices.values() for sc in s.scenarios}

    def slice_of_scenario(self) -> dict[str, str]:
        return {sc: s.name for s in self.slices.values() for sc in s.scenarios}


def load_plan(root: Path) -> Plan:
    """Read ``root/plan.yaml``; errors name the file and the slice at fault."""
    path = root / "plan.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    slices = {}
    seen: dict[str, str] = {}
    for name, spec in (data.get("slices") or {}).items():
        if spec.get("split") not in SPLITS:
            raise ValueError(f"{path}: slice {name}: split must be one of {SPLITS}")
        for sc in spec.get("scenarios") or []:
            if sc in seen:
                raise ValueError(f"{path}: scenario {sc} is in slices {seen[sc]} and {name}")
            seen[sc] = name
        slices[name] = Slice(name, spec["split"], tuple(spec.get("scenarios") or ()), spec.get("brief", ""))
    shelved = {str(k): str(v) for k, v in (data.get("shelved") or {}).items()}
    for sc in shelved:
        if sc not in seen:
            raise ValueError(f"{path}: shelved scenario {sc} is in no slice")
    return Plan(root, slices, data.get("reserved") or {}, list(data.get("avoid") or []),
                dict(data.get("type_quota") or {}), dict(data.get("register_quota") or {}),
                shelved)


def read_jsonl(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    """(line number, object or None, error or None) for every non-blank line."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                yield n, None, f"not JSON ({exc.msg} at column {exc.colno})"
                continue
            if not isinstance(obj, dict):
                yield n, None, "a line must be a JSON object"
                continue
            yield n, obj, None


def split_files(root: Path) -> dict[tuple[str, str], Path]:
    """(kind, split) -> the corpus file: kind is 'items' or 'articles'."""
    out = {}
    for split in SPLITS:
        out[("items", split)] = root / f"{split}.jsonl"
        out[("articles", split)] = root / f"articles-{split}.jsonl"
    return out


def _term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + term + r"(?![\w])")


def leaks(plan: Plan, split: str, text: str) -> list[str]:
    """Reserved names of other splits (and avoided scenario names) that occur in ``text``."""
    found = []
    guarded = {"train": ("dev", "test"), "dev": ("test",), "test": ()}[split]
    for other in guarded:
        for code, terms in (plan.reserved.get(other) or {}).items():
            for term in terms:
                if _term_pattern(term).search(text):
                    found.append(f"{term!r} is reserved for the {other} split ({code})")
    for term in plan.avoid:
        if _term_pattern(re.escape(term)).search(text):
            found.append(f"{term!r} belongs to a benchmarks/heldout scenario; no split may use it")
    return found


def shelved_files(root: Path) -> dict[str, Path]:
    """kind -> the file of shelved items or articles (scenarios kept out of every split)."""
    return {"items": root / "shelved.jsonl", "articles": root / "articles-shelved.jsonl"}


def check_file(path: Path, plan: Plan | None, *, split: str | None = None,
               draft: bool = False, article: bool | None = None,
               allow_shelved: bool = False) -> tuple[list[dict], list[str]]:
    """Compile (drafts) and check one file; return its items and 'file:line: problem' strings."""
    items, errors = [], []
    valid_scenarios = plan.split_of_scenario() if plan else {}
    for n, obj, err in read_jsonl(path):
        where = f"{path}:{n}"
        if err:
            errors.append(f"{where}: {err}")
            continue
        item, problems = compile_item(obj)
        iid = item.get("id", "?")
        errors += [f"{where}: {iid}: {p}" for p in problems]
        kind_article = is_article(item) if article is None else article
        errors += [f"{where}: {p}" for p in check_item(item, article=kind_article)]
        scenario = item.get("scenario")
        if plan is not None and isinstance(scenario, str):
            sc_split = valid_scenarios.get(scenario)
            if sc_split is None:
                errors.append(f"{where}: {iid}: scenario {scenario!r} is not in corpus/plan.yaml")
            elif split is not None and sc_split != split:
                errors.append(f"{where}: {iid}: scenario {scenario!r} belongs to {sc_split}, "
                              f"not to {split}")
            if scenario in plan.shelved and not allow_shelved:
                errors.append(f"{where}: {iid}: scenario {scenario!r} is shelved "
                              f"({plan.shelved[scenario]}): it may be in no split")
            check_split = split or sc_split
            if check_split:
                errors += [f"{where}: {iid}: {msg}" for msg in leaks(plan, check_split, item["text"])]
        items.append(item)
    return items, errors
