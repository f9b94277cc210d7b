"""The built-in catalog follows the project's coding conventions for organisations and people
(home country and sector of armed groups, IGO/UN/EU/NGO codes, dated codings), and the catalog
machinery for offices, title synonyms and executives."""
from __future__ import annotations

from pathlib import Path

import pytest

from allegiance.actors import load_catalog, validate
from allegiance.actors.catalog import Entity


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def org(cat, name: str) -> Entity:
    found = [o for o in cat.organisations if o.name == name]
    assert len(found) == 1, name
    return found[0]


# (canonical name, day, country, sector): the coding guide's organisation conventions
ORGANISATIONS = [
    ("Hezbollah", "2020-01-01", "LBN", "REB"),
    ("Hamas", "2020-01-01", "PSE", "REB"),
    ("Palestinian Islamic Jihad", "2020-01-01", "PSE", "REB"),
    ("Houthis", "2020-01-01", "YEM", "REB"),
    ("Rapid Support Forces", "2024-01-01", "SDN", "REB"),
    ("Hayat Tahrir al-Sham", "2020-01-01", "SYR", "REB"),
    ("Syrian Democratic Forces", "2020-01-01", "SYR", "REB"),
    ("Syrian National Army", "2020-01-01", "SYR", "REB"),
    ("Kurdistan Workers' Party", "2020-01-01", "TUR", "REB"),
    ("M23", "2020-01-01", "COD", "REB"),
    ("FARC", "2010-01-01", "COL", "REB"),
    ("al-Shabaab", "2020-01-01", "SOM", "REB"),
    ("Islamic State", "2016-01-01", "IMG", "REB"),
    ("al-Qaeda", "2016-01-01", "IMG", "REB"),
    ("Popular Mobilization Forces", "2020-01-01", "IRQ", "PRM"),
    ("Wagner Group", "2022-01-01", "RUS", "PRM"),
    ("Peshmerga", "2020-01-01", "IRQ", "MIL"),
    ("Taliban", "2021-08-14", "AFG", "REB"),
    ("Taliban", "2021-08-15", "AFG", "GOV"),
    ("Donetsk People's Republic", "2020-01-01", "UKR", "PRE"),
    ("Luhansk People's Republic", "2020-01-01", "UKR", "PRE"),
    ("Nagorno-Karabakh Republic", "2020-01-01", "AZE", "PRE"),
    ("United Nations", "2020-01-01", "UNO", None),
    ("UN peacekeepers", "2020-01-01", "UNO", "MIL"),
    ("European Union", "2020-01-01", "EUR", None),
    ("European Commission", "2020-01-01", "EUR", None),
    ("NATO", "2020-01-01", "IGO", None),
    ("Arab League", "2020-01-01", "IGO", None),
    ("ASEAN", "2020-01-01", "IGO", None),
    ("ECOWAS", "2020-01-01", "IGO", None),
    ("G5 Sahel", "2020-01-01", "IGO", None),
    ("Southern African Development Community", "2020-01-01", "IGO", None),
    ("International Committee of the Red Cross", "2020-01-01", "NGO", None),
    ("Amnesty International", "2020-01-01", "NGO", None),
    ("Médecins Sans Frontières", "2020-01-01", "NGO", None),
    ("Saudi-led coalition", "2020-01-01", "SAU", "MIL"),
    ("US-led coalition", "2020-01-01", "USA", "MIL"),
]


@pytest.mark.parametrize(("name", "day", "country", "sector"), ORGANISATIONS)
def test_organisation_conventions(cat, name, day, country, sector):
    assert org(cat, name).at(day)[:2] == (country, sector)


@pytest.mark.parametrize(("name", "day", "country", "sector"), [
    ("Bashar al-Assad", "2024-12-09", "SYR", "ELI"),
    ("Viktor Yanukovych", "2015-01-01", "UKR", "ELI"),
    ("Ali Abdullah Saleh", "2015-01-01", "YEM", "ELI"),
    ("Mohamed Hamdan Dagalo", "2024-01-01", "SDN", "REB"),
])
def test_person_conventions(cat, name, day, country, sector):
    person = [p for p in cat.people if p.name == name][0]
    assert person.at(day)[:2] == (country, sector)


def test_every_role_org_names_a_catalog_organisation(cat):
    names = {o.name for o in cat.organisations}
    bad = [(p.name, r.org) for p in cat.people for r in p.roles if r.org and r.org not in names]
    assert bad == []


def test_holders_by_organisation_and_title_synonym(cat):
    assert [p.name for p in cat.holders("leader", None, "2024-06-01", org="Hezbollah")] == ["Hassan Nasrallah"]
    assert [p.name for p in cat.holders("secretary of state", "USA", "2022-06-01")] == ["Antony Blinken"]
    assert cat.role_title("defense secretary") == "defence minister"


def test_executive_follows_the_constitution_on_the_day(cat):
    assert cat.executive_holder("ARM", "2016-01-01").name == "Serzh Sargsyan"
    assert cat.executive_holder("ARM", "2020-01-01").name == "Nikol Pashinyan"
    assert cat.executive_holder("DEU", "2016-01-01").name == "Angela Merkel"
    assert cat.executive_holder("IRN", "2016-01-01").name == "Ali Khamenei"


def test_office_entry_names_its_title_and_organisation(cat):
    assert org(cat, "UN Secretary-General").office == ("secretary-general", "United Nations")


def test_validate_checks_executive_and_office(tmp_path: Path):
    countries = tmp_path / "countries.yaml"
    countries.write_text("- iso3: FRA\n  name: France\n  executive: [{title: president, from: 2020-02-31}]\n",
                         encoding="utf-8")
    assert any("executive" in e for e in validate(countries))
    orgs = tmp_path / "organisations.yaml"
    orgs.write_text("- name: Example Office\n  country: UNO\n  sector: null\n  office: {title: chief}\n",
                    encoding="utf-8")
    assert any("office" in e for e in validate(orgs))


def test_later_user_entry_wins_for_a_shared_surface_form(tmp_path: Path):
    path = tmp_path / "my_organisations.yaml"
    path.write_text("- name: First Example Front\n  aliases: [FEF]\n  country: MLI\n  sector: REB\n"
                    "- name: Second Example Front\n  aliases: [FEF]\n  country: NER\n  sector: REB\n",
                    encoding="utf-8")
    cat = load_catalog((str(path),))
    assert cat.forms["FEF"][0][2].name == "Second Example Front"
