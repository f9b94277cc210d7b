"""The whole coder (default engine: rules and model) on short generated texts: sentences assembled from
actor names, verbs, dates, places and noise. Every record must be a CONTRACT §2 record: PLOVER type
and a mode of it, quad class 1-4, Goldstein in [-10, 10], certainty and confidence in [0, 1], actors
and place of the documented shapes, evidence offsets that point into the text.

One coder is loaded for the session (``hybrid_coder``); few examples, as each is a full parse."""
from __future__ import annotations

import datetime as dt
import re

from hypothesis import example, given
from hypothesis import strategies as st

from allegiance.models import ATTRIBUTION_KINDS, Document, PLOVER_TYPES, SECTORS
from allegiance.ontology import validate_mode

from ._profile import examples
from .test_fuzz_resolution import COUNTRIES, PLACE_PRECISIONS, PRECISIONS

ACTORS = ["Russian troops", "Iran", "the president", "Vladimir Putin", "Hezbollah", "the United Nations",
          "Ukrainian forces", "police", "rebels", "Israel", "Hamas", "the European Union", "NATO",
          "Egyptian protesters", "the army", "a spokesman", "Turkey", "Syrian government forces", "they",
          "it", "Ankara", "the Kremlin", "U.S. officials", "the ministry", "Houthi rebels"]
VERBS = ["attacked", "shelled", "met", "accused", "sanctioned", "arrested", "threatened to attack",
         "did not attack", "may sanction", "signed an agreement with", "sent aid to", "protested against",
         "withdrew from", "demanded", "rejected", "deployed troops to", "killed", "urged", "praised",
         "will meet", "has condemned", "said it would help", "denied attacking", "called on"]
NOISE = ["on Monday", "yesterday", "in Kyiv", "near Aleppo", "last week", "in March 2015", ",", "and",
         "according to officials", "(", ")", "\u200b", "  ", "\u2014", "reportedly", "\"", "'", ";",
         "in 2012", "the next day", "9999-12-31", "Kharkiv", "Gaza", "Cairo", "\n\n"]
sentence = st.builds(lambda a, v, b, noise: " ".join([a, v, b, *noise]) + ".", st.sampled_from(ACTORS),
                     st.sampled_from(VERBS), st.sampled_from(ACTORS),
                     st.lists(st.sampled_from(NOISE), max_size=3))
texts = st.one_of(st.lists(sentence, min_size=1, max_size=3).map(" ".join),
                  st.lists(st.one_of(st.sampled_from(ACTORS + VERBS + NOISE), st.text(max_size=8)),
                           min_size=1, max_size=20).map(" ".join))
published = st.one_of(st.none(), st.dates().map(dt.date.isoformat),
                      st.sampled_from(["2015-10-08", "2022-03-01", "0001-01-01", "9999-12-31"]))
ACTOR_KEYS = {"text", "name", "country", "sector", "id"}
PLACE_KEYS = {"text", "name", "country", "admin1", "lat", "lon", "geonameid", "precision"}


def check_actor(a) -> None:
    if a is None:
        return
    assert set(a) == ACTOR_KEYS, a
    assert isinstance(a["text"], str)
    assert a["country"] is None or a["country"] in COUNTRIES, a
    assert a["sector"] is None or a["sector"] in SECTORS, a


def check_record(r: dict, doc: Document) -> None:
    assert r["event_type"] in PLOVER_TYPES
    assert r["mode"] is None or validate_mode(r["event_type"], r["mode"]), r["mode"]
    assert r["quad_class"] in (1, 2, 3, 4)
    assert isinstance(r["goldstein"], (int, float)) and -10 <= r["goldstein"] <= 10
    assert re.fullmatch(r"\d{2,4}", r["cameo"]) and r["cameo_root"] == r["cameo"][:2]
    assert 0 <= r["certainty"] <= 1
    if r.get("confidence") is not None:
        assert 0 <= r["confidence"] <= 1
    check_actor(r["source"])
    check_actor(r["target"])
    assert r["date_precision"] in PRECISIONS
    if r["date"] is not None:
        assert dt.date.fromisoformat(r["date"]).isoformat() == r["date"]
    if r["date_precision"] == "publication":
        assert r["date"] == doc.published
    loc = r["location"]
    if loc is not None:
        assert set(loc) == PLACE_KEYS and loc["precision"] in PLACE_PRECISIONS
        assert loc["country"] is None or loc["country"] in COUNTRIES
        if loc["lat"] is not None:
            assert -90 <= loc["lat"] <= 90 and -180 <= loc["lon"] <= 180
    assert set(r["modality"]) == {"negated", "hypothetical", "future", "historical"}
    assert all(isinstance(v, bool) for v in r["modality"].values())
    assert r["attribution"]["kind"] in ATTRIBUTION_KINDS
    ev = r["evidence"]
    assert doc.text[ev["start"]:ev["end"]] == ev["text"]
    assert doc.text[ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"]
    assert ev["start"] <= ev["trigger_start"] < ev["trigger_end"] <= ev["end"]
    assert r["doc_id"] == doc.id and isinstance(r["event_id"], str) and r["sentence"] >= 0


@examples(25)
@given(texts, published)
@example("Russian troops attacked Iran yesterday.", "0001-01-01")
@example("Iran will meet Turkey next year.", "9999-12-31")
@example("\u200bHezbollah\u200b attacked\u200b Israel.", "2015-10-08")
def test_coder_records_follow_the_contract(hybrid_coder, text, published):
    doc = Document(id="fuzz", text=text, published=published)
    records = hybrid_coder.code(doc)
    for r in records:
        check_record(r, doc)
    ids = [r["event_id"] for r in records]
    assert len(ids) == len(set(ids))
