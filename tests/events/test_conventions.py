"""PLOVER's recoding conventions (``events.conventions``): each entry, by name, on a sentence of
our own where it must fire, and the table's own invariants."""
from __future__ import annotations

import pytest

from allegiance.events import conventions
from allegiance.models import Document


@pytest.fixture
def fired(coder, monkeypatch):
    """Code a text; return (records, names of the conventions that changed or dropped an event)."""
    names: list[str] = []
    real = conventions.apply

    def spy(phase, draft, ctx):
        out = real(phase, draft, ctx)
        names.extend((out or draft).applied if out is not None else draft.applied)
        return out

    monkeypatch.setattr(conventions, "apply", spy)

    def run(text: str, published: str = "2021-03-10"):
        names.clear()
        recs = coder.code(Document(id="t", text=text, published=published))
        return recs, set(names)
    return run


def test_the_table_names_every_convention_once_with_a_phase_and_a_reason():
    names = [c.name for c in conventions.CONVENTIONS]
    assert len(names) == len(set(names)) >= 15
    assert {c.phase for c in conventions.CONVENTIONS} == {conventions.TYPE, conventions.ACTORS, conventions.STATEMENT}
    assert all(len(c.doc) > 30 for c in conventions.CONVENTIONS)
    assert conventions.by_name("future-to-agree").phase == conventions.TYPE
    with pytest.raises(KeyError):
        conventions.by_name("no-such-convention")


def test_refusal_sense(fired):
    recs, names = fired("Tehran will not bow to American pressure over its missile programme.")
    assert "refusal-sense" in names
    assert [(r["event_type"], r["modality"]["negated"]) for r in recs] == [("REJECT", False)]


def test_refused_cooperation(fired):
    recs, names = fired("Ankara said it would not attend the talks with Athens.")
    assert "refused-cooperation" in names
    assert recs and recs[0]["event_type"] == "REJECT" and recs[0]["mode"] == "meet"


def test_future_to_agree(fired):
    recs, names = fired("Japan will provide emergency aid to the Philippines, the foreign ministry said.")
    assert "future-to-agree" in names
    assert [(r["event_type"], r["modality"]["future"]) for r in recs] == [("AGREE", True)]


def test_future_retreat_to_concede(fired):
    recs, names = fired("The rebels will release the twelve hostages on Friday, a mediator said.")
    assert "future-retreat-to-concede" in names
    assert recs and recs[0]["event_type"] == "CONCEDE"


def test_agreed_act(fired):
    recs, names = fired("Ecuador agreed to cooperate with Peru on border security.")
    assert "agreed-act" in names
    assert {(r["event_type"], r["modality"]["future"]) for r in recs} == {("AGREE", False)}


def test_context_country(fired):
    recs, names = fired("Police in Grenoble arrested three protesters on Tuesday.")
    assert "context-country" in names
    assert recs[0]["source"]["country"] == "FRA" and recs[0]["source"]["sector"] == "COP"


def test_default_target_for_a_protest_is_the_government(fired):
    recs, names = fired("Thousands of farmers protested in Warsaw on Monday.")
    assert "default-target" in names
    r = [x for x in recs if x["event_type"] == "PROTEST"][0]
    assert r["target"]["country"] == "POL" and r["target"]["sector"] == "GOV"


def test_default_target_for_an_attack_in_a_place(fired):
    recs, names = fired("Gunmen attacked a market in Mosul on Sunday, killing nine.", "2019-05-06")
    r = [x for x in recs if x["event_type"] == "ASSAULT"][0]
    assert r["target"] is not None and r["target"]["country"] == "IRQ" and r["target"]["name"] is None


def test_no_domestic_visit(fired):
    recs, names = fired("President Macron flew to Marseille on Monday to visit the port.")
    assert not [r for r in recs if r["event_type"] == "CONSULT" and r["mode"] == "visit"]
    # a person received at home is met: only places of one's own state are visited by no one
    recs, names = fired("Prime Minister Pedro Sánchez received the Catalan president Quim Torra on Monday.")
    assert [(r["event_type"], r["mode"], r["source"]["country"], r["target"]["country"]) for r in recs] == \
        [("CONSULT", "visit", "ESP", "ESP")]
    recs, names = fired("President Zelensky visited wounded soldiers in a Kyiv hospital on Monday.")
    assert not [r for r in recs if r["event_type"] == "CONSULT"]


def test_business_metaphor(fired):
    recs, names = fired("The carmaker launched an offensive in the Indian market with three new models.")
    assert recs == []


def test_foreign_entry_ban(fired):
    recs, names = fired("Poland barred a delegation of Belarusian officials from entering the country on Monday.")
    assert "foreign-entry-ban" in names
    assert {(r["event_type"], r["source"]["country"], r["target"]["country"]) for r in recs} == {("REJECT", "POL", "BLR")}
    recs, names = fired("The court in Warsaw barred the opposition leader from leaving the country.")
    assert "foreign-entry-ban" not in names and [r["event_type"] for r in recs] == ["COERCE"]


def test_announced_threat(fired):
    recs, names = fired("Iran said it would respond with sanctions on European firms.")
    assert "announced-threat" in names
    assert [(r["event_type"], r["mode"]) for r in recs] == [("THREATEN", "restrict")]


def test_ultimatum(fired):
    recs, names = fired("Brazil and Chile said they would recognise the opposition leader as interim president "
                        "unless the government called elections within a week.")
    assert "ultimatum" in names
    threats = [r for r in recs if r["event_type"] == "THREATEN"]
    assert threats and {r["mode"] for r in threats} == {"relations"}
    assert not any(r["modality"]["future"] for r in threats)


def test_a_plain_future_meeting_is_no_ultimatum(fired):
    recs, names = fired("Brazil said it would hold talks with Chile on Monday.")
    assert "ultimatum" not in names and "THREATEN" not in {r["event_type"] for r in recs}


def test_threat_condition_target(fired):
    recs, names = fired("Israel said it would resume strikes if Hamas fired rockets.")
    assert "announced-threat" in names and "threat-condition-target" in names
    r = [x for x in recs if x["event_type"] == "THREATEN"]
    assert r and r[0]["target"]["country"] == "PSE" and not r[0]["modality"]["hypothetical"]


def test_threat_is_made(coder):
    """The model reads 'would face a crushing response if ...' as a THREATEN; the threat is made
    now, only what it threatens is future and conditional. A threat inside the condition ('if
    Poland threatens Belarus') stays hypothetical."""
    from allegiance.events.extract import Candidate
    from allegiance.events.lexicon import Sense

    doc = coder.nlp("Putin said that Warsaw would face a crushing response if Poland threatened Belarus.")
    face = next(t for t in doc if t.lemma_ == "face")
    threatened = next(t for t in doc if t.lower_ == "threatened")
    fn = conventions.by_name("threat-is-made").fn
    mod = conventions.Modality(hypothetical=True, future=True)
    sense = Sense(type="THREATEN", mode="violence", word="face")
    made = fn(conventions.Draft(Candidate(sense, face, face, face.i + 1, None, None, "model"), "THREATEN",
                                "violence", mod), None)
    assert not made.mod.hypothetical and not made.mod.future
    cond = fn(conventions.Draft(Candidate(sense, threatened, threatened, threatened.i + 1, None, None, "model"),
                                "THREATEN", "violence", mod), None)
    assert cond.mod.hypothetical and cond.mod.future


def test_a_dropping_convention_is_named_with_dropped(fired):
    recs, names = fired("The carmaker launched an offensive in the Indian market.")
    assert any(n.endswith(":dropped") for n in names) or recs == []


def test_topic_is_no_party(coder):
    """A reading of the topic as a party (the model may make it; the rules never do) is dropped,
    while the partner of a 'discussed X with Y' stays."""
    from dataclasses import replace as _replace

    from allegiance.actors.resolve import ActorFinder
    from allegiance.events.extract import Extractor, extract_sentence

    doc = coder.nlp("Putin discussed Syria with Erdogan by phone on Monday.")
    finder = ActorFinder(doc, coder.catalog, "2019-09-16")
    cands = extract_sentence(Extractor(finder, coder.lexicon), next(iter(doc.sents)))
    cand = next(c for c in cands if c.source is not None and c.source.country == "RUS")
    assert cand.target.country == "TUR"
    syria = finder.resolve(next(t for t in doc if t.text == "Syria"))
    fn = conventions.by_name("topic-is-no-party").fn
    keep = conventions.Draft(cand, "CONSULT", None, conventions.Modality(), cand.source, cand.target)
    assert fn(keep, None) is keep
    topic = conventions.Draft(_replace(cand, target=syria), "CONSULT", None, conventions.Modality(), cand.source, syria)
    assert fn(topic, None) is None


def test_discussed_a_topic_with_a_partner_is_a_meeting_with_the_partner(code):
    recs = code("Blinken discussed the ceasefire with Netanyahu on Sunday.", "2023-11-05")
    assert {(r["source"]["country"], r["target"]["country"]) for r in recs if r["event_type"] == "CONSULT"} == \
        {("USA", "ISR"), ("ISR", "USA")}


def test_the_two_ministers_are_the_two_just_named(code):
    recs = code("The French foreign minister met his German counterpart in Berlin on Tuesday. The two ministers "
                "discussed air defence for Ukraine.", "2025-03-11")
    second = {(r["source"]["country"], r["target"]["country"]) for r in recs if r["sentence"] == 1}
    assert second == {("FRA", "DEU"), ("DEU", "FRA")}



def test_no_interview(fired):
    recs, names = fired("Netanyahu sat down with Fox News for an interview on Sunday.")
    assert not recs and "no-interview:dropped" in names



def test_closed_to_people(fired):
    recs, names = fired("Chad closed its border to Sudanese refugees on Friday.")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "restrict")] and "closed-to-people" in names
    recs, names = fired("Pakistan closed its airspace to Indian airlines on Thursday.")
    assert [(r["event_type"], r["source"]["country"], r["target"]["country"]) for r in recs] == [("SANCTION", "PAK", "IND")]


@pytest.mark.parametrize("text", [
    "Kenyan police handed the suspect over to the anti-corruption commission.",
    "Kenyan police handed over the fugitive to the Kenyan army in Nairobi.",
])
def test_a_suspect_handed_between_agencies_of_one_state_is_no_cooperation(code, text):
    assert all(r["event_type"] != "COOPERATE" for r in code(text, "2021-03-10"))


@pytest.mark.parametrize("text, source, target", [
    ("Kenyan police handed the suspect over to Ugandan authorities on Monday.", "KEN", "UGA"),
    ("Turkey handed over the suspect to German police.", "TUR", "DEU"),
])
def test_a_suspect_handed_to_another_states_authorities_is_cooperation(code, text, source, target):
    assert any(r["event_type"] == "COOPERATE" and (r["source"] or {}).get("country") == source and
               (r["target"] or {}).get("country") == target for r in code(text, "2021-03-10"))


def test_a_parliament_stripping_its_own_members_of_their_seats_expels_them(code):
    recs = code("Uganda's parliament stripped three MPs of their seats for absenteeism.", "2021-03-10")
    assert any(r["event_type"] == "SANCTION" and r["mode"] == "expel" and (r["source"] or {}).get("sector") == "LEG"
               for r in recs)


@pytest.mark.parametrize("text", [
    "The Malian army removed President Keita from power on Tuesday.",
    "Sudan's army removed Prime Minister Abdalla Hamdok from office on Monday.",
])
def test_the_army_removing_the_head_of_state_is_a_coup_and_no_dismissal(fired, text):
    recs, names = fired(text)
    assert not any(r["event_type"] == "SANCTION" and r["mode"] == "expel" for r in recs)


def test_a_government_removing_a_commander_is_still_a_dismissal(fired):
    recs, _ = fired("Prime Minister Nouri al-Maliki removed the commander of the Basra offensive on Tuesday.")
    assert any(r["event_type"] == "SANCTION" and r["mode"] == "expel" for r in recs)


@pytest.mark.parametrize("text, word", [
    ("Kyiv does not intend to negotiate with Moscow, the president said.", "intend"),
    ("The rebels said they would not join talks with the junta.", "join"),
    ("Caracas does not want to meet the envoys.", "want"),
])
def test_a_refusal_read_from_a_negated_intention_or_meeting_is_not_negated(coder, text, word):
    """The model reads "does not intend to negotiate" as REJECT on the negated word: the refusal
    is made, so the REJECT is factual (refusals are REJECT, not negated)."""
    from allegiance.events.conventions import Draft, by_name
    from allegiance.events.extract import Candidate
    from allegiance.events.lexicon import Sense
    from allegiance.events.modality import modality

    doc = coder.nlp(text)
    tok = next(t for t in doc if t.text == word)
    mod = modality(tok)
    assert mod.negated
    cand = Candidate(Sense(type="REJECT", mode="meet"), tok, tok, tok.i + 1, None, None, "model")
    out = by_name("refusal-not-negated").fn(Draft(cand, "REJECT", "meet", mod), None)
    assert out is not None and out.etype == "REJECT" and not out.mod.negated and not out.mod.future
    # a rejection that is itself denied stays negated ("did not reject the offer")
    doc2 = coder.nlp("The cabinet did not reject the offer.")
    rej = next(t for t in doc2 if t.text == "reject")
    cand2 = Candidate(Sense(type="REJECT", mode="change"), rej, rej, rej.i + 1, None, None, "rule")
    out2 = by_name("refusal-not-negated").fn(Draft(cand2, "REJECT", "change", modality(rej)), None)
    assert out2.mod.negated


@pytest.mark.parametrize("text, etype", [
    ("The opposition said it would not join the talks until the prime minister resigned.", "RETREAT"),
    ("Protesters said they would not leave the square until the army released the detained students.", "RETREAT"),
])
def test_an_until_clause_of_a_refused_or_future_act_reports_no_event(code, text, etype):
    recs = [r for r in code(text, "2020-03-01") if r["event_type"] == etype]
    assert recs and all(r["modality"]["hypothetical"] or r["modality"]["negated"] for r in recs)


def test_an_until_clause_of_a_past_act_is_reported(code):
    recs = code("Fighting raged around the airport until the rebels withdrew on Friday.", "2020-03-01")
    assert any(r["event_type"] == "RETREAT" and not r["modality"]["hypothetical"] for r in recs)
