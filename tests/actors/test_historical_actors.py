"""Historical states, forces, movements and leaders resolve with the successor-state codes the
corpus uses (the Soviet Union RUS, Yugoslavia SRB, East Germany DEU, Rhodesia ZWE, the Ottoman
Empire TUR), and leaders who left office before 2000 carry their dated roles
(``data/actors/countries.yaml``, ``organisations.yaml``, ``people.yaml``).

Every text here was written for these tests."""
from __future__ import annotations

import pytest

from allegiance.models import Document


def _subject(coder, text: str, published: str = "1980-06-01"):
    recs = coder.code(Document(id="t", text=text, published=published))
    return recs[0]["source"] if recs else None


@pytest.mark.parametrize("text, country, sector", [
    ("The Soviet Union sent tanks across the border to put down the revolt.", "RUS", None),
    ("Soviet troops attacked rebel positions north of the capital.", "RUS", "MIL"),
    ("Yugoslav army units shelled the port for a third day.", "SRB", "MIL"),
    ("Rhodesian forces attacked guerrilla camps across the border.", "ZWE", "MIL"),
    ("Ottoman troops attacked the villages of the valley.", "TUR", "MIL"),
    ("Czechoslovak border guards detained two hikers.", "CZE", "COP"),
    ("Zairean soldiers attacked a refugee camp.", "COD", "MIL"),
])
def test_historical_states_take_their_successor_s_code(coder, text, country, sector):
    src = _subject(coder, text)
    assert src is not None and src["country"] == country
    if sector:
        assert src["sector"] == sector


@pytest.mark.parametrize("text, name, country, sector", [
    ("The Stasi arrested two pastors in Leipzig.", "Stasi", "DEU", "SPY"),
    ("The Khmer Rouge attacked a Thai border post.", "Khmer Rouge", "KHM", "REB"),
    ("UNITA guerrillas attacked a train near Huambo.", "UNITA", "AGO", "REB"),
    ("The Viet Cong attacked an airbase near Saigon.", "Viet Cong", "VNM", "REB"),
    ("Solidarity called a general strike across Poland.", "Solidarity", "POL", "LAB"),
    ("The IRA bombed a British army barracks.", "Irish Republican Army", "GBR", "REB"),
])
def test_historical_organisations(coder, text, name, country, sector):
    src = _subject(coder, text)
    assert src is not None and (src["name"], src["country"], src["sector"]) == (name, country, sector)


def test_a_liberation_movement_becomes_a_party_in_power(coder):
    before = _subject(coder, "SWAPO accused South Africa of torture.", "1985-03-01")
    after = _subject(coder, "SWAPO accused the opposition of lying.", "1995-03-01")
    assert before is not None and before["sector"] == "REB"
    assert after is not None and after["sector"] == "PTY"


@pytest.mark.parametrize("text, published, country, sector", [
    ("Brezhnev met the Indian prime minister in Moscow.", "1975-05-01", "RUS", "GOV"),
    ("Idi Amin expelled the British high commissioner.", "1976-07-10", "UGA", "GOV"),
    ("Walesa called on workers to end the strike.", "1981-03-01", "POL", "OPP"),
    ("Walesa called on workers to end the strike.", "1992-03-01", "POL", "GOV"),
    ("Sadat met Begin at Camp David.", "1978-09-10", "EGY", "GOV"),
])
def test_historical_leaders_carry_their_dated_roles(coder, text, published, country, sector):
    recs = coder.code(Document(id="t", text=text, published=published))
    first = text.split()[0]
    actors = [a for r in recs for a in (r["source"], r["target"]) if a and a["text"].startswith(first)]
    assert actors and (actors[0]["country"], actors[0]["sector"]) == (country, sector)


def test_ottoman_as_a_style_is_no_actor(code):
    # an Ottoman-era building is a place, not a party to the act
    recs = code("Gunmen attacked an Ottoman-era mosque in the old city.")
    assert all((r["source"] or {}).get("country") != "TUR" for r in recs)


@pytest.mark.parametrize("text", ["Police raided a Soviet-style housing office in the capital.",
                                  "Russian-made jets bombed a market in the north."])
def test_a_maker_or_a_style_is_no_party(code, text):
    recs = code(text)
    assert recs and all((r["source"] or {}).get("country") != "RUS" for r in recs)
