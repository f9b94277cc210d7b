"""The catalog files: built-ins validate, user files merge and override, bad user files fail loudly."""
from __future__ import annotations

from pathlib import Path

import pytest

from allegiance import data
from allegiance.actors import ActorFinder, load_catalog, validate
from allegiance.actors.catalog import BUILTIN_FILES
from allegiance.errors import CatalogError
from allegiance.nlp import load_nlp


@pytest.fixture(scope="module")
def state_codes() -> set[str]:
    return set(load_catalog().states)


@pytest.mark.parametrize("name", BUILTIN_FILES)
def test_builtin_file_is_valid(name, state_codes):
    path = data.path("actors", name)
    assert path.exists()
    assert validate(path, states=state_codes) == []


@pytest.mark.parametrize("name", BUILTIN_FILES)
def test_builtin_file_is_valid_without_states(name):
    assert validate(data.path("actors", name)) == []


def test_builtin_catalog_has_the_expected_sizes():
    cat = load_catalog()
    assert len(cat.states) >= 195
    assert len(cat.people) > 500 and len(cat.organisations) > 300
    assert cat.agents["troops"] == "MIL" and cat.titles["foreign minister"] == "GOV"


def test_validate_names_the_entry_at_fault(tmp_path: Path):
    path = tmp_path / "people.yaml"
    path.write_text("- name: Jane Example\n  roles:\n"
                    "    - {title: leader, country: RUS, sector: XYZ, from: 2020-01-01}\n"
                    "- name: No Roles\n", encoding="utf-8")
    errs = validate(path, states={"RUS"})
    assert any("Jane Example" in e and "XYZ" in e for e in errs)
    assert any("No Roles" in e and "roles" in e for e in errs)


USER_ORGS = """\
- name: Hezbollah
  aliases: [Hezbollah]
  country: LBN
  sector: PTY
- name: Example Brigade
  aliases: [Example Brigade]
  country: SYR
  sector: REB
"""


def test_user_file_is_merged_and_overrides(tmp_path: Path):
    path = tmp_path / "my_organisations.yaml"
    path.write_text(USER_ORGS, encoding="utf-8")
    cat = load_catalog((str(path),))
    hez = [o for o in cat.organisations if o.name == "Hezbollah"]
    assert len(hez) == 1 and (hez[0].country, hez[0].sector) == ("LBN", "PTY")
    assert any(o.name == "Example Brigade" for o in cat.organisations)
    # the built-ins are still there, and the built-in catalog itself is untouched
    assert any(o.name == "Hamas" for o in cat.organisations)
    assert "SYR" in cat.states
    assert [(o.sector) for o in load_catalog().organisations if o.name == "Hezbollah"] == ["REB"]


def test_user_person_overrides_dated_roles(tmp_path: Path):
    path = tmp_path / "people.yaml"
    path.write_text("- name: Vladimir Putin\n  aliases: [Putin]\n  roles:\n"
                    "    - {title: leader, country: RUS, sector: ELI, from: 2000-01-01}\n",
                    encoding="utf-8")
    cat = load_catalog((str(path),))
    putin = [p for p in cat.people if p.name == "Vladimir Putin"]
    assert len(putin) == 1 and putin[0].at("2020-01-01")[:2] == ("RUS", "ELI")


def test_user_override_reaches_resolution(tmp_path: Path):
    path = tmp_path / "my_organisations.yaml"
    path.write_text(USER_ORGS, encoding="utf-8")
    cat = load_catalog((str(path),))
    doc = load_nlp((str(path),))("Hezbollah")
    m = ActorFinder(doc, cat, "2020-01-01").resolve(doc[0])
    assert m is not None and (m.country, m.sector) == ("LBN", "PTY")


def test_user_only_entry_resolves(tmp_path: Path):
    path = tmp_path / "my_organisations.yaml"
    path.write_text(USER_ORGS, encoding="utf-8")
    cat = load_catalog((str(path),))
    doc = load_nlp((str(path),))("Example Brigade")
    m = next(filter(None, (ActorFinder(doc, cat, "2020-01-01").resolve(t) for t in doc)), None)
    assert m is not None and (m.name, m.country, m.sector) == ("Example Brigade", "SYR", "REB")


@pytest.mark.parametrize(("filename", "text", "needle"), [
    ("bad_organisations.yaml", "- name: Example Front\n  country: XXX\n  sector: REB\n", "XXX"),
    ("bad_people.yaml", "- name: Jane Example\n  roles:\n"
                        "    - {title: leader, country: RUS, sector: GOV, from: March 2020}\n",
     "YYYY-MM-DD"),
    pytest.param("bad_date_people.yaml", "- name: Jane Example\n  roles:\n"
                 "    - {title: leader, country: RUS, sector: GOV, from: 2020-13-45}\n",
                 "2020-13-45", id="impossible-date"),
    pytest.param("bad_date_organisations.yaml", "- name: Example Front\n  country: SYR\n  sector: REB\n"
                 "  periods:\n    - {from: 2021-02-30, sector: GOV}\n",
                 "2021-02-30", id="impossible-period-date"),
    ("broken.yaml", "- name: [unclosed\n", "YAML"),
])
def test_invalid_user_file_raises_naming_the_file(tmp_path: Path, filename, text, needle):
    path = tmp_path / filename
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog((str(path),))
    assert info.value.file == str(path)
    assert str(path) in str(info.value) and needle in str(info.value)


def test_missing_user_file_raises(tmp_path: Path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(CatalogError) as info:
        load_catalog((str(path),))
    assert info.value.file == str(path)
