"""The gazetteer and the actor catalog read a country's names alike: every name or alias of a
state in ``data/actors/countries.yaml`` that can stand as a place resolves, as a place, to that
state (``data/places_aliases.csv``), so that an event placed "in Bosnia" or "in Zaire" is in the
country its actors are from."""
from __future__ import annotations

from pathlib import Path

import yaml

from allegiance.gazetteer import Gazetteer

import allegiance

#: names that are another place first, or no place: a Brazilian city, a surname, Sadr City, the Vatican's court
NOT_PLACES = {"Salvador", "FRY", "SADR", "Holy See", "the Holy See"}


def test_every_country_name_of_the_catalog_is_that_country_as_a_place():
    rows = yaml.safe_load((Path(allegiance.__file__).parent / "data" / "actors" / "countries.yaml").read_text())
    rows = rows if isinstance(rows, list) else rows.get("countries", rows)
    gaz = Gazetteer.default()
    wrong = []
    for c in rows:
        for name in [c["name"]] + (c.get("aliases") or []):
            if name in NOT_PLACES or (len(name) <= 3 and name.isupper()) or c["iso3"] == "ESH":
                continue  # acronyms (CAR, KSA) are no place names in running text
            place = gaz.resolve(name)
            if place is None or place.country != c["iso3"]:
                wrong.append((c["iso3"], name, place.country if place else None))
    assert not wrong, wrong


def test_a_curated_alias_outranks_an_alternate_name_of_a_big_city():
    place = Gazetteer.default().resolve("Dili")
    assert place is not None and place.country == "TLS"
