"""How the coder fills an unplaced actor's country (``allegiance.coder``: ``Coder._fill``).

Every text here was written for these tests."""
from __future__ import annotations


def test_an_unattributed_gun_position_hit_is_not_the_place_state(code):
    recs = code("KANDAHAR, Afghanistan — British jets hit a tank north of the city on Tuesday.")
    hits = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert hits and hits[0]["source"]["country"] == "GBR"
    assert not any((r["target"] or {}).get("country") == "AFG" for r in hits)


def test_an_unattributed_artillery_piece_hit_is_not_the_place_state(coder):
    from allegiance.actors.resolve import Mention

    m = Mention(3, 7, 6, "a mobile artillery piece", None, None, "MIL", None, "agent")
    assert coder._fill(m, "LBY", "ASSAULT", "target").country is None
    assert coder._fill(m, "LBY", "ASSAULT", "source").country == "LBY"  # only the one hit


def test_army_positions_stay_the_state_army(code):
    recs = code("GOMA, Congo — The rebels shelled army positions north of the city on Monday.")
    hits = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert hits and hits[0]["target"]["country"] == "COD"


def test_sentence_texts_sliced_from_the_document_are_the_spans_texts(coder):
    """The coder slices each sentence's text from the document's (``coder._text``), once; it
    must be what spaCy's ``Span.text`` gives, whitespace and line breaks included."""
    from allegiance.coder import _sentences, _text

    parsed = coder.nlp("Breaking:  Police   detained 12 people.\n\nMINSK, Aug 22 (Reuters) - Protesters marched "
                       "on Sunday.  \n Officials said nothing \t at all . \n\n\n Last line without a stop ")
    sents = _sentences(parsed)
    assert sents is _sentences(parsed) and len(sents) >= 3
    assert [_text(s) for s in sents] == [s.text for s in parsed.sents]
    for s in sents:
        for a in range(s.start, s.end):
            for b in range(a + 1, s.end + 1):
                assert _text(parsed[a:b]) == parsed[a:b].text


def test_a_person_the_catalog_does_not_know_is_of_the_story_s_state_not_the_act_s_place(code):
    recs = code("Spain's supreme court charged Joan Ferrer with rebellion in March. Danish police detained him "
                "in Copenhagen on Sunday.", "2019-01-10")
    arrests = [r for r in recs if r["event_type"] == "COERCE"]
    assert arrests and arrests[0]["source"]["country"] == "DNK" and arrests[0]["target"]["country"] == "ESP"


def test_unplaced_rebels_are_of_the_theatre_not_of_the_most_named_intervener(code):
    text = ("IDLIB, Syria — Russian jets struck towns near Hama on Monday. Russia's defence ministry said Russian aircraft "
            "flew 20 sorties, and Moscow said Russian pilots hit only militants. "
            "Rebel commanders vowed to fight on.")
    recs = code(text, "2015-10-05")
    vows = [r for r in recs if r["event_type"] == "THREATEN"]
    assert vows and vows[0]["source"]["sector"] == "REB" and vows[0]["source"]["country"] == "SYR"


def test_foreign_leaders_are_not_the_story_state(code):
    recs = code("NIAMEY, Niger — The deposed president spoke by telephone with foreign leaders on Monday, "
                "his aides said.", "2023-08-02")
    assert not any((r.get(role) or {}).get("country") == "NER" and "foreign" in ((r.get(role) or {}).get("text") or "")
                   for r in recs for role in ("source", "target"))
