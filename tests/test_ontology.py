"""Tests for allegiance.ontology and its data tables (plover.yaml, cameo.csv)."""
from __future__ import annotations

import re

import pytest

from allegiance import ontology as ont
from allegiance.models import PLOVER_TYPES

# (type, mode) whose CAMEO code's own row carries another PLOVER type.
ROW_TYPE_EXCEPTIONS = {
    ("RETREAT", "resign"): "0831 accede to leadership change is CONCEDE; CAMEO has no resignation code",
}
# (type, mode) whose code lies under a CAMEO root mapped to another PLOVER type.
ROOT_TYPE_EXCEPTIONS = {
    ("RETREAT", "resign"): "0831 lies in the CONCEDE part of root 08",
    ("SANCTION", "convict"): "116 find guilty sits under root 11 (ACCUSE)",
    ("ASSAULT", "destroy"): "1712 destroy property sits under root 17 (COERCE)",
    ("ASSAULT", "crowd-control"): "175 violent repression sits under root 17 (COERCE)",
}
# (type, mode) whose code maps back to another (or no) mode of the same type.
MODE_ROUNDTRIP_EXCEPTIONS = {
    ("CONSULT", "multilateral"): "040, no CAMEO code for summits",
    ("RETREAT", "resign"): "0831, see above",
    ("THREATEN", "arrest"): "132 administrative sanctions maps to restrict",
    ("PROTEST", "boycott"): "143 strike-or-boycott maps to strike",
    ("PROTEST", "vandalize"): "145 riot",
    ("MOBILIZE", "militia"): "154 armed forces maps to troops",
    ("COERCE", "withhold"): "170, no CAMEO code",
    ("COERCE", "misinformation"): "170, no CAMEO code",
}

ROOT_TYPES = {
    "01": None, "02": None, "03": "AGREE", "04": "CONSULT", "05": "SUPPORT",
    "06": "COOPERATE", "07": "AID", "08": "CONCEDE", "09": "ACCUSE", "10": "REQUEST",
    "11": "ACCUSE", "12": "REJECT", "13": "THREATEN", "14": "PROTEST", "15": "MOBILIZE",
    "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT", "20": "ASSAULT",
}
ROOT_QUADS = {f"{r:02d}": q for r, q in
              [(r, 1) for r in range(1, 6)] + [(r, 2) for r in range(6, 9)]
              + [(r, 3) for r in range(9, 14)] + [(r, 4) for r in range(14, 21)]}

ALL_MODES = [(t, m) for t in PLOVER_TYPES for m in ont.modes(t)]


def root_type(code: str) -> str | None:
    """PLOVER type of a code's CAMEO root, with the manual's split of 08 (084-087 RETREAT)."""
    if code[:2] == "08" and len(code) >= 3 and code[2] in "4567":
        return "RETREAT"
    return ROOT_TYPES[code[:2]]


def test_counts_and_order() -> None:
    assert ont.plover_types() == PLOVER_TYPES
    assert len(ALL_MODES) == 67
    assert len(ont.contexts()) == 37
    assert len(set(ont.contexts())) == 37
    assert {"military", "terrorism", "cbrn", "human_rights", "trafficking"} <= set(ont.contexts())
    assert ont.modes("AGREE") == ()
    assert set(ont.modes("REQUEST")) == set(ont.modes("REJECT")) == {"assist", "change", "yield", "meet"}
    assert len(ont.modes("ASSAULT")) == 15 and len(ont.modes("COERCE")) == 10


def test_cameo_table_shape() -> None:
    codes = ont.cameo_codes()
    assert len(codes) == len(set(codes)) == 316
    assert sum(len(c) == 2 for c in codes) == 20
    for c in codes:
        assert c.isdigit() and 2 <= len(c) <= 4, c
        assert 1 <= int(c[:2]) <= 20, c
        if len(c) >= 3:
            assert c[: len(c) - 1] in codes or len(c) == 3, f"{c} has no parent"
            assert c[:2] in codes, f"{c} has no root row"


@pytest.mark.parametrize("event_type", PLOVER_TYPES)
def test_type_default_code(event_type: str) -> None:
    code = ont.cameo_code(event_type)
    assert ont.is_cameo_code(code)
    assert ont.cameo_to_plover(code)[0] == event_type
    assert root_type(code) == event_type


@pytest.mark.parametrize(("event_type", "mode"), ALL_MODES)
def test_mode_code_maps_back(event_type: str, mode: str) -> None:
    code = ont.cameo_code(event_type, mode)
    assert ont.is_cameo_code(code), f"{event_type}/{mode} -> {code} not in cameo.csv"
    row_type, row_mode = ont.cameo_to_plover(code)
    if (event_type, mode) not in ROW_TYPE_EXCEPTIONS:
        assert row_type == event_type
    if (event_type, mode) not in ROOT_TYPE_EXCEPTIONS:
        assert root_type(code) == event_type
    if (event_type, mode) not in MODE_ROUNDTRIP_EXCEPTIONS:
        assert row_mode == mode


def test_exception_lists_are_not_stale() -> None:
    for (t, m) in ROW_TYPE_EXCEPTIONS:
        assert ont.cameo_to_plover(ont.cameo_code(t, m))[0] != t
    for (t, m) in ROOT_TYPE_EXCEPTIONS:
        assert root_type(ont.cameo_code(t, m)) != t
    for (t, m) in MODE_ROUNDTRIP_EXCEPTIONS:
        assert ont.cameo_to_plover(ont.cameo_code(t, m)) != (t, m)


def test_csv_modes_are_valid_for_their_type() -> None:
    used_types = set()
    for c in ont.cameo_codes():
        t, m = ont.cameo_to_plover(c)
        if t is None:
            assert m is None and c[:2] in ("01", "02"), c
            continue
        used_types.add(t)
        assert ont.validate_mode(t, m), f"{c}: {t}/{m}"
    assert used_types == set(PLOVER_TYPES)


def test_rows_follow_their_root_except_documented_codes() -> None:
    off_root = {c for c in ont.cameo_codes() if ont.cameo_to_plover(c)[0] != root_type(c)}
    # 116 find guilty -> SANCTION/convict; 1712 destroy property -> ASSAULT/destroy;
    # 175 violent repression -> ASSAULT/crowd-control; 191 blockade -> COERCE/restrict.
    assert off_root == {"116", "1712", "175", "191"}


def test_goldstein_values() -> None:
    for c in ont.cameo_codes():
        assert -10.0 <= ont.goldstein(c) <= 10.0, c
    known = {"010": 0.0, "042": 1.9, "043": 2.8, "057": 8.0, "0874": 10.0, "163": -8.0,
             "173": -5.0, "182": -9.5, "190": -10.0, "195": -10.0, "02": 3.0}
    for c, v in known.items():
        assert ont.goldstein(c) == v, c
    # cooperation roots score above conflict roots
    for c in ont.cameo_codes():
        if 3 <= int(c[:2]) <= 8:
            assert ont.goldstein(c) > 0, c
        if int(c[:2]) >= 9:
            assert ont.goldstein(c) < 0, c


@pytest.mark.parametrize("root", sorted(ROOT_TYPES))
def test_root_maps_to_plover_type(root: str) -> None:
    assert ont.cameo_to_plover(root)[0] == ROOT_TYPES[root]
    assert ont.cameo_to_plover(root + "0")[0] == ROOT_TYPES[root]
    assert ont.quad_class(root) == ROOT_QUADS[root]
    assert ont.quad_class(root + "0") == ROOT_QUADS[root]


def test_root_08_split_and_cross_root_codes() -> None:
    for c in ("081", "0811", "082", "083", "0834"):
        assert ont.cameo_to_plover(c)[0] == "CONCEDE"
    for c in ("084", "0841", "085", "086", "0863", "087", "0874"):
        assert ont.cameo_to_plover(c)[0] == "RETREAT"
    assert ont.cameo_to_plover("0871") == ("RETREAT", "ceasefire")
    assert ont.cameo_to_plover("191") == ("COERCE", "restrict")
    assert ont.cameo_to_plover("1952") == ("ASSAULT", "drone")
    assert ont.cameo_to_plover("0211") == (None, None)


def test_quad_classes() -> None:
    assert ont.quad_class("0211") == 1
    assert ont.quad_class("0874") == 2
    assert ont.quad_class("1385") == 3
    assert ont.quad_class("163") == 4
    assert ont.quad_class("2042") == 4
    assert ont.plover_quad_class("SANCTION") == 4
    assert ont.plover_quad_class("CONCEDE") == 1
    assert [ont.plover_quad_class(t) for t in PLOVER_TYPES] == sorted(
        ont.plover_quad_class(t) for t in PLOVER_TYPES)


def test_root_and_name() -> None:
    assert ont.cameo_root("0211") == "02"
    assert ont.cameo_root("195") == "19"
    assert ont.cameo_root("19") == "19"
    assert "aerial" in ont.cameo_name("195").lower()
    assert ont.cameo_name(" 042 ") == ont.cameo_name("042")


def test_plover_scores() -> None:
    assert ont.plover_score("ASSAULT") == -9.0
    assert ont.plover_score("ASSAULT", "aerial") == -9.5
    assert ont.plover_score("AID") == 10.0
    assert ont.plover_score("RETREAT", "disarm") == 10.0
    assert ont.plover_score("PROTEST", "vandalize") == ont.plover_score("PROTEST")
    for t in PLOVER_TYPES:
        assert -10 <= ont.plover_score(t) <= 10
        for m in ont.modes(t):
            assert -10 <= ont.plover_score(t, m) <= 10
    coop = [ont.plover_score(t) for t in PLOVER_TYPES if ont.plover_quad_class(t) <= 2]
    conflict = [ont.plover_score(t) for t in PLOVER_TYPES if ont.plover_quad_class(t) == 4]
    assert min(coop) > max(conflict)


def test_validate_mode() -> None:
    assert ont.validate_mode("ASSAULT", "aerial")
    assert ont.validate_mode("ASSAULT", None)
    assert not ont.validate_mode("ASSAULT", "phone")
    assert not ont.validate_mode("AGREE", "visit")
    assert ont.cameo_code("CONSULT", "visit") == "042"
    assert ont.type_description("COERCE", "cyber")


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: ont.modes("FIGHT"), "'FIGHT'"),
        (lambda: ont.cameo_code("assault"), "'assault'"),
        (lambda: ont.cameo_code("ASSAULT", "phone"), "'phone'"),
        (lambda: ont.plover_score("CONSULT", "aerial"), "'aerial'"),
        (lambda: ont.validate_mode("DEMAND", None), "'DEMAND'"),
        (lambda: ont.goldstein("999"), "'999'"),
        (lambda: ont.goldstein("42"), "'42'"),
        (lambda: ont.quad_class(""), "''"),
        (lambda: ont.cameo_root("21"), "'21'"),
        (lambda: ont.cameo_name("1999"), "'1999'"),
        (lambda: ont.cameo_to_plover(42), "42"),  # type: ignore[arg-type]
    ],
)
def test_unknown_inputs_raise(call, needle: str) -> None:
    with pytest.raises(ValueError, match=re.escape(needle)):
        call()
