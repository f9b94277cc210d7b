"""Actor, date and place resolution under arbitrary strings and dates: no exception, and every value
in its documented domain (CONTRACT §2: country ISO 3166-1 alpha-3 or a PLOVER non-state code, sector a
PLOVER sector code, date YYYY-MM-DD with a precision of day/week/month/year/publication, place
coordinates on the globe)."""
from __future__ import annotations

import datetime as dt

import pycountry
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from allegiance.models import NONSTATE_CODES, SECTORS

from ._profile import examples

COUNTRIES = frozenset(c.alpha_3 for c in pycountry.countries) | NONSTATE_CODES | {"KOS"}  # KOS: PLOVER's Kosovo
PRECISIONS = {"day", "week", "month", "year", "publication"}
PLACE_PRECISIONS = {"city", "admin1", "country"}

WORDS = ["Iranian", "troops", "the", "president", "Russia", "Putin", "Hezbollah", "UN", "NATO", "rebels",
         "police", "Kyiv", "Kharkiv", "Cairo", "Paris", "Texas", "Georgia", "said", "attacked", "met",
         "former", "minister", "of", "and", "(", ")", "'s", "in", "near", "Washington", "EU", "Hamas",
         "army", "spokesman", "Gaza", "northern", "province", "Islamic", "State", "ISIS", "-", ",", "."]
DATE_WORDS = ["yesterday", "today", "tomorrow", "on", "Monday", "last", "next", "week", "weekend", "month",
              "year", "ago", "999", "days", "years", "months", "weeks", "in", "2012", "March", "3", "31",
              "February", "29", "9999", "0001", "since", "the", "same", "day", "following", "earlier",
              "recent", "over", "a", "few", "several", "24", "hours", "9999-12-31", "0001-01-01",
              "2023-02-30", "late", "mid-March", "of", "by", "after", "will", "said", "police", "arrested",
              "protesters", "troops", "attacked", "met", "had", "been", "."]
phrases = st.one_of(st.text(max_size=80),
                    st.lists(st.sampled_from(WORDS), min_size=1, max_size=10).map(" ".join))
date_texts = st.one_of(st.text(max_size=60),
                       st.lists(st.sampled_from(DATE_WORDS), min_size=1, max_size=14).map(" ".join))
iso_dates = st.dates().map(dt.date.isoformat)  # 0001-01-01 … 9999-12-31
any_dates = st.one_of(st.none(), iso_dates, st.text(max_size=12),
                      st.sampled_from(["2023-13-01", "yesterday", "2020-02-30", "", "20200101", "0000-00-00"]))


def check_actor(m) -> None:
    if m is None:
        return
    assert m.country is None or m.country in COUNTRIES, m
    assert m.sector is None or m.sector in SECTORS, m
    assert m.name is None or isinstance(m.name, str)


@pytest.fixture(scope="module")
def catalog():
    from allegiance.actors import load_catalog

    return load_catalog(())


@examples(80)
@given(phrases, any_dates)
@example("Iranian troops", "2023-13-01")
@example("the president", "0001-01-01")
@example("Putin", "9999-12-31")
@example("", None)
@example("( ) ( (", "yesterday")
def test_actor_lookup(nlp, catalog, text, day):
    """What `allegiance actors lookup TEXT --date DAY` does, and every mention of the phrase."""
    from allegiance.actors import ActorFinder

    finder = ActorFinder(nlp(text), catalog, day)
    check_actor(finder.phrase())
    for m in finder.mentions:
        check_actor(m)


def check_date(value, precision, published) -> None:
    assert precision in PRECISIONS
    if value is None:
        return
    assert dt.date.fromisoformat(value).isoformat() == value
    if precision == "publication":
        assert value == published


@examples(120)
@given(date_texts, st.one_of(st.none(), iso_dates), st.booleans())
@example("They met yesterday.", "0001-01-01", False)
@example("They will meet next year.", "9999-12-31", True)
@example("Troops attacked 999 years ago.", "0500-06-01", False)
@example("Police arrested protesters 999 months ago.", "0010-06-01", False)
@example("They will meet on Monday.", "9999-12-31", True)
@example("Troops attacked in recent days.", "0001-01-01", False)
@example("Troops attacked last week.", "0001-01-01", False)
@example("They will meet next month.", "9999-12-15", True)
@example("They met on Friday.", "0001-01-01", False)
@example("They met over the weekend.", "0001-01-02", False)
@example("They met in March.", "0001-01-01", False)
@example("They met a day after the talks.", "0001-01-01", False)
@example("The talks were on 31 December. The next day they met.", "0001-01-01", False)
def test_date_resolution(nlp, text, published, future):
    """`event_date` for every token of the parse as the trigger, and the raw expressions alone."""
    from allegiance.dates import _resolve, event_date, find_date_expressions, is_historical

    doc = nlp(text)
    for tok in doc:
        value, precision = event_date(tok, published=published, future=future)
        check_date(value, precision, published)
        assert is_historical(tok, published) in (True, False)
    pub = dt.date.fromisoformat(published) if published else None
    for e in find_date_expressions(text):
        res = _resolve(e, pub, future)
        if res is not None:
            assert isinstance(res[0], dt.date) and res[1] in PRECISIONS - {"publication"}


@examples(40)
@given(date_texts, any_dates)
def test_date_resolution_with_bad_publication_dates(nlp, text, published):
    """A publication date that is not a date is no date: only absolute dates resolve."""
    from allegiance.dates import event_date

    doc = nlp(text)
    for tok in doc:
        value, precision = event_date(tok, published=published)
        assert precision in PRECISIONS
        assert value is None or dt.date.fromisoformat(value).isoformat() == value


def check_place(place) -> None:
    if place is None:
        return
    assert place.precision in PLACE_PRECISIONS, place
    assert place.country is None or place.country in COUNTRIES, place
    if place.lat is not None or place.lon is not None:
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180, place


@examples(80)
@given(phrases, st.lists(st.sampled_from(sorted(COUNTRIES)), max_size=2))
@example("Georgia", ["USA"])
@example("northern province of Gaza", [])
@example("\u200b\u200bParis\u200b", [])
def test_place_recognition(nlp, text, countries):
    """`allegiance places TEXT` and the gazetteer's resolve on the raw string."""
    from allegiance.gazetteer import Gazetteer
    from allegiance.places import find_places

    for span, place, reason in find_places(nlp(text), doc_countries=countries):
        assert isinstance(reason, str)
        check_place(place)
    check_place(Gazetteer.default().resolve(text, countries=countries))
    for cand in Gazetteer.default().candidates(text):
        check_place(cand)
