"""PLOVER and CAMEO ontology tables: types, modes, contexts, CAMEO codes and their scores.

Data lives in ``allegiance/data/plover.yaml`` (16 PLOVER types with modes, PLOVER scores, default
CAMEO codes, 37 contexts) and ``allegiance/data/cameo.csv`` (every CAMEO code at 2-4 digits with
its Goldstein score and PLOVER type/mode). Both are read once. Unknown types, modes and codes
raise ``ValueError`` naming the offending value.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

__all__ = [
    "CameoCode",
    "cameo_code",
    "cameo_codes",
    "cameo_entry",
    "cameo_name",
    "cameo_root",
    "cameo_to_plover",
    "contexts",
    "goldstein",
    "is_cameo_code",
    "modes",
    "plover_quad_class",
    "plover_score",
    "plover_types",
    "quad_class",
    "type_description",
    "validate_mode",
]


@dataclass(frozen=True)
class CameoCode:
    """One row of ``cameo.csv``; ``plover_type``/``plover_mode`` are None when unmapped."""

    code: str
    name: str
    goldstein: float
    plover_type: str | None
    plover_mode: str | None


@dataclass(frozen=True)
class _Mode:
    score: float | None
    cameo: str
    description: str


@dataclass(frozen=True)
class _Type:
    quad_class: int
    score: float
    cameo: str
    description: str
    modes: dict[str, _Mode]


def _data_text(name: str) -> str:
    return (files("allegiance") / "data" / name).read_text(encoding="utf-8")


@cache
def _cameo_table() -> dict[str, CameoCode]:
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(io.StringIO(_data_text("cameo.csv"))):
        code = row["code"].strip()
        table[code] = CameoCode(
            code=code,
            name=row["name"].strip(),
            goldstein=float(row["goldstein"]),
            plover_type=row["plover_type"].strip() or None,
            plover_mode=row["plover_mode"].strip() or None,
        )
    return table


@cache
def _plover() -> tuple[dict[str, _Type], dict[str, str]]:
    raw: dict[str, Any] = yaml.safe_load(_data_text("plover.yaml"))
    types: dict[str, _Type] = {}
    for name, spec in raw["types"].items():
        mode_specs = spec.get("modes") or {}
        types[name] = _Type(
            quad_class=int(spec["quad_class"]),
            score=float(spec["score"]),
            cameo=str(spec["cameo"]),
            description=str(spec["description"]),
            modes={
                m: _Mode(
                    score=None if ms.get("score") is None else float(ms["score"]),
                    cameo=str(ms["cameo"]),
                    description=str(ms["description"]),
                )
                for m, ms in mode_specs.items()
            },
        )
    ctx = {str(k): str(v) for k, v in raw["contexts"].items()}
    return types, ctx


def _type(event_type: str) -> _Type:
    types = _plover()[0]
    try:
        return types[event_type]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown PLOVER event type {event_type!r}; expected one of {', '.join(types)}"
        ) from None


def _mode(event_type: str, mode: str) -> _Mode:
    spec = _type(event_type)
    try:
        return spec.modes[mode]
    except (KeyError, TypeError):
        valid = ", ".join(spec.modes) or "none"
        raise ValueError(
            f"unknown mode {mode!r} for PLOVER type {event_type}; valid modes: {valid}"
        ) from None


def _entry(code: str) -> CameoCode:
    table = _cameo_table()
    key = code.strip() if isinstance(code, str) else code
    try:
        return table[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown CAMEO code {code!r} (codes are strings of 2-4 digits such as '042')"
        ) from None


# --- PLOVER -------------------------------------------------------------------------------


def plover_types() -> tuple[str, ...]:
    """The 16 PLOVER event types in manual order."""
    return tuple(_plover()[0])


def modes(event_type: str) -> tuple[str, ...]:
    """The modes of ``event_type`` (empty for types without modes)."""
    return tuple(_type(event_type).modes)


def contexts() -> tuple[str, ...]:
    """The 37 PLOVER contexts."""
    return tuple(_plover()[1])


def validate_mode(event_type: str, mode: str | None) -> bool:
    """True if ``mode`` is None or a mode of ``event_type``; unknown types raise ValueError."""
    spec = _type(event_type)
    return mode is None or mode in spec.modes


def type_description(event_type: str, mode: str | None = None) -> str:
    """One-line description of a type, or of one of its modes."""
    if mode is None:
        return _type(event_type).description
    return _mode(event_type, mode).description


def plover_score(event_type: str, mode: str | None = None) -> float:
    """PLOVER score of the (type, mode); the type score when mode is None or unscored."""
    spec = _type(event_type)
    if mode is None:
        return spec.score
    m = _mode(event_type, mode)
    return spec.score if m.score is None else m.score


def plover_quad_class(event_type: str) -> int:
    """PLOVER's own quad class of a type (1-4); SANCTION is 4."""
    return _type(event_type).quad_class


def cameo_code(event_type: str, mode: str | None = None) -> str:
    """Closest CAMEO code for (type, mode); the type's default code when mode is None."""
    if mode is None:
        return _type(event_type).cameo
    return _mode(event_type, mode).cameo


# --- CAMEO --------------------------------------------------------------------------------

_QUAD_BY_ROOT: dict[int, int] = {
    **{r: 1 for r in range(1, 6)},
    **{r: 2 for r in range(6, 9)},
    **{r: 3 for r in range(9, 14)},
    **{r: 4 for r in range(14, 21)},
}


def cameo_codes() -> tuple[str, ...]:
    """Every CAMEO code in the table, in file order."""
    return tuple(_cameo_table())


def is_cameo_code(code: str) -> bool:
    """True if ``code`` is a known CAMEO code string."""
    return isinstance(code, str) and code.strip() in _cameo_table()


def cameo_entry(code: str) -> CameoCode:
    """The full table row of a CAMEO code."""
    return _entry(code)


def cameo_root(code: str) -> str:
    """First two digits of a known CAMEO code ('195' -> '19')."""
    return _entry(code).code[:2]


def cameo_name(code: str) -> str:
    """Short name of a CAMEO code."""
    return _entry(code).name


def goldstein(code: str) -> float:
    """Goldstein score (-10..+10) of a CAMEO code."""
    return _entry(code).goldstein


def quad_class(code: str) -> int:
    """GDELT quad class from the CAMEO root: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    return _QUAD_BY_ROOT[int(cameo_root(code))]


def cameo_to_plover(code: str) -> tuple[str | None, str | None]:
    """(PLOVER type, mode) of a CAMEO code; (None, None) for roots 01 and 02."""
    e = _entry(code)
    return e.plover_type, e.plover_mode
