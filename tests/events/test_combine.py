"""How rule and model proposals become one set of events (``events.combine``), on a sentence of
our own parsed by the real pipeline and role probabilities set by hand."""
from __future__ import annotations

import numpy as np
import pytest

from allegiance.actors.resolve import ActorFinder
from allegiance.events.combine import Proposal, _dedupe, _governing_verb, _model_pairs, confidence, one_reading, FEATURES
from allegiance.events.extract import Extractor, extract_sentence
from allegiance.events.learned import MentionFeature, Role


@pytest.fixture(scope="module")
def sentence(coder):
    doc = coder.nlp("Iran and Russia sent advisers to Syria on Tuesday, the ministry said.")
    finder = ActorFinder(doc, coder.catalog, "2016-03-01")
    ex = Extractor(finder, coder.lexicon)
    sent = list(doc.sents)[0]
    return sent, extract_sentence(ex, sent), finder


def role(finder, doc, word, probs):
    tok = next(t for t in doc if t.text == word)
    m = finder.resolve(tok)
    return Role(MentionFeature(tok.i, tok.i + 1, tok.i, m, 0, 0), np.array(probs, np.float32))


def test_every_mention_above_threshold_takes_its_role_and_one_party_per_country(sentence):
    sent, _, finder = sentence
    doc = sent.doc
    roles = [role(finder, doc, "Iran", [0.1, 0.85, 0.05, 0.0]), role(finder, doc, "Russia", [0.2, 0.7, 0.1, 0.0]),
             role(finder, doc, "Syria", [0.1, 0.05, 0.85, 0.0]), role(finder, doc, "ministry", [0.9, 0.05, 0.05, 0.0])]
    pairs = {(s.mention.mention.country, t.mention.mention.country) for s, t, _ in _model_pairs(roles, 0.5)}
    assert pairs == {("IRN", "SYR"), ("RUS", "SYR")}


def test_a_phrase_of_no_country_around_or_beside_a_party_of_a_known_country_is_that_party(coder):
    """The model may score both "the envoy of Iran" (resolved: IRN) and a wider or neighbouring
    span of it with no country; one party, so one target (two countries stay two)."""
    doc = coder.nlp("Iran and Russia sent the envoy of Iran to Syria on Tuesday.")
    finder = ActorFinder(doc, coder.catalog, "2016-03-01")
    from allegiance.actors.base import Mention

    iran = finder.resolve(doc[7])  # "Iran" in "the envoy of Iran"
    assert iran is not None and iran.country == "IRN"
    wide = Mention(4, 8, 5, "the envoy of Iran", None, None, "GOV", None, "agent")
    other = Mention(9, 10, 9, "Syria", None, None, None, None, "other")
    roles = [Role(MentionFeature(7, 8, 7, iran, 0, 0), np.array([0.1, 0.05, 0.85, 0.0], np.float32)),
             Role(MentionFeature(4, 8, 5, wide, 0, 0), np.array([0.1, 0.05, 0.8, 0.0], np.float32)),
             Role(MentionFeature(9, 10, 9, other, 0, 0), np.array([0.1, 0.05, 0.7, 0.0], np.float32)),
             role(finder, doc, "Russia", [0.1, 0.85, 0.05, 0.0])]
    targets = [t.mention.mention.text for _, t, _ in _model_pairs(roles, 0.5)]
    assert "the envoy of Iran" not in targets and "Iran" in targets


def test_the_best_mention_takes_a_role_from_the_low_threshold(sentence):
    sent, _, finder = sentence
    doc = sent.doc
    roles = [role(finder, doc, "Iran", [0.1, 0.85, 0.05, 0.0]), role(finder, doc, "Syria", [0.62, 0.0, 0.38, 0.0])]
    got = _model_pairs(roles, 0.5)
    assert [(s.mention.mention.country, t.mention.mention.country) for s, t, _ in got] == [("IRN", "SYR")]
    roles[1] = role(finder, doc, "Syria", [0.9, 0.0, 0.1, 0.0])  # too weak even for the best
    assert [(s.mention.mention.country, t) for s, t, _ in _model_pairs(roles, 0.5)] == [("IRN", None)]


def test_parties_to_a_symmetric_event_give_mirrored_pairs(sentence):
    sent, _, finder = sentence
    doc = sent.doc
    roles = [role(finder, doc, "Iran", [0.1, 0.1, 0.1, 0.7]), role(finder, doc, "Russia", [0.1, 0.1, 0.1, 0.7])]
    got = [(s.mention.mention.country, t.mention.mention.country, m) for s, t, m in _model_pairs(roles, 0.5)]
    assert sorted(got) == [("IRN", "RUS", False), ("RUS", "IRN", True)]


def test_a_rule_and_a_model_proposal_of_one_event_merge(sentence):
    sent, cands, _ = sentence
    rule = Proposal(cands[0], "rule", 0.4, 0.5, 0.5)
    model = Proposal(cands[0], "model", 0.9, 0.8, 0.9)
    out = _dedupe([rule, model])
    assert len(out) == 1 and out[0].origin == "both" and out[0].cand is cands[0]
    assert (out[0].p_type, out[0].p_src, out[0].p_tgt) == (0.9, 0.8, 0.9)


def test_one_reading_per_trigger_keeps_the_more_confident_side(sentence):
    sent, cands, finder = sentence
    from dataclasses import replace

    c = cands[0]
    other = replace(c, target=None)  # another reading of the same trigger and type
    rule, model = Proposal(c, "rule", 0.5, 0.5, 0.5), Proposal(other, "model", 0.9, 0.9, 0.9)
    assert [p.origin for p, _ in one_reading([(rule, 0.3), (model, 0.8)])] == ["model"]
    assert [p.origin for p, _ in one_reading([(rule, 0.9), (model, 0.8)])] == ["rule"]


def test_a_noun_trigger_and_its_light_verb_are_one_event_for_one_reading(coder):
    """The rules read "bans" in "imposed travel bans on ...", the model "imposed": one event, so
    the two readings of its target (a group, one member of it) do not both become records."""
    from dataclasses import replace

    doc = coder.nlp("Latvia imposed travel bans on Belarusian officials, the president among them.")
    finder = ActorFinder(doc, coder.catalog, "2020-10-01")
    cands = extract_sentence(Extractor(finder, coder.lexicon), list(doc.sents)[0])
    rule_c = next(c for c in cands if c.sense.type == "SANCTION")
    assert rule_c.trigger.text == "bans"
    verb = next(t for t in doc if t.text == "imposed")
    model_c = replace(rule_c, trigger=verb, verb=verb, target=None, rule="model")
    rule, model = Proposal(rule_c, "rule", 0.6, 0.6, 0.6), Proposal(model_c, "model", 0.7, 0.7, 0.7)
    assert [p.origin for p, _ in one_reading([(rule, 0.62), (model, 0.58)])] == ["rule"]
    assert [p.origin for p, _ in one_reading([(rule, 0.55), (model, 0.58)])] == ["model"]
    other = next(t for t in doc if t.text == "officials")  # a noun that is no light verb's object
    far = replace(model_c, trigger=other, verb=other)
    assert len(one_reading([(rule, 0.62), (Proposal(far, "model", 0.7, 0.7, 0.7), 0.58)])) == 2


def test_confidence_is_a_probability_and_rises_with_the_model_scores(sentence):
    _, cands, _ = sentence
    low, high = Proposal(cands[0], "model", 0.1, 0.2, 0.2), Proposal(cands[0], "both", 0.95, 0.9, 0.9)
    assert len(low.features()) == len(FEATURES)
    assert 0.0 <= confidence(low, None) < confidence(high, None) <= 1.0


def test_the_published_confidence_is_a_monotone_map_of_the_gated_score(sentence):
    """``platt`` (fitted on the records that pass the gate) moves confidences, never reorders them."""
    _, cands, _ = sentence
    props = [Proposal(cands[0], "model", t, 0.6, 0.6) for t in (0.1, 0.4, 0.7, 0.95)]
    gated = [confidence(p, None) for p in props]
    assert [confidence(p, None, [0.0, 1.0]) for p in props] == gated  # identity map
    raised = [confidence(p, None, [0.5, 1.0]) for p in props]
    assert all(r > g for r, g in zip(raised, gated) if g < 0.999) and raised == sorted(raised)
    flat = [confidence(p, None, [0.0, 0.5]) for p in props]  # a flatter map pulls toward 0.5
    assert abs(flat[0] - 0.5) < abs(gated[0] - 0.5) and flat == sorted(flat)


def test_the_document_length_term_raises_confidence_in_long_documents_without_reordering(sentence):
    """``platt`` ``[a, b, c]`` adds c log n, n the document's sentences: the same proposal is more
    often right in a long article; within one document the order is the gate's."""
    import math

    _, cands, _ = sentence
    props = [Proposal(cands[0], "model", t, 0.6, 0.6) for t in (0.1, 0.4, 0.7, 0.95)]
    lone = [confidence(p, None, [0.0, 1.0, 0.3], 1) for p in props]
    assert lone == [confidence(p, None, [0.0, 1.0]) for p in props]  # log 1 = 0: no change for a sentence
    article = [confidence(p, None, [0.0, 1.0, 0.3], 20) for p in props]
    assert article == sorted(article) and all(a > b for a, b in zip(article, lone) if b < 0.99)
    z = math.log(lone[1] / (1 - lone[1]))  # the shift is exactly c log n on the logit scale
    assert abs(math.log(article[1] / (1 - article[1])) - z - 0.3 * math.log(20)) < 0.02


def test_a_model_reading_without_a_target_gives_way_to_one_with_a_target(sentence):
    _, cands, _ = sentence
    from dataclasses import replace

    c = cands[0]
    assert c.target is not None
    with_target = Proposal(c, "model", 0.9, 0.9, 0.6)
    without = Proposal(replace(c, target=None), "model", 0.9, 0.9, 0.9)
    kept = one_reading([(without, 0.7), (with_target, 0.5)])
    assert [p.cand.target for p, _ in kept] == [c.target]
    # two different targets of one act (conjoined objects) both stay
    other = Proposal(replace(c, target=c.source), "model", 0.9, 0.9, 0.6)
    assert len(one_reading([(with_target, 0.5), (other, 0.5)])) == 2


@pytest.mark.parametrize("text,word,unreported", [
    ("Russia demanded that Belarus free the 33 Russian contractors.", "free", True),
    ("The union called on the authorities to free every journalist.", "free", True),
    ("Moscow called for the release of the contractors.", "release", True),
    ("Moscow demanded the release of the contractors.", "release", True),
    # what is called, pressed or pushed is done
    ("Unions called a general strike in Harare.", "strike", False),
    ("Israel pressed its assault on Rafah.", "assault", False),
    ("Biden warned that the US would impose sanctions if Russian forces invaded Ukraine.", "invaded", False),
    # an alleged act, an offer, a purpose: coded (with attribution; an offer is an AGREE)
    ("Kyiv accused Moscow of shelling the plant.", "shelling", False),
    ("Lukashenko offered to host more exercises with Russian troops.", "host", False),
    ("Egypt said it was ready to send 600 aid trucks a day into Gaza.", "send", False),
    ("Belarus freed the 33 Russian contractors on Friday.", "freed", False),
    ("The release of the contractors angered Kyiv.", "release", False),
])
def test_the_frames_hold_model_triggers_to_what_is_reported_as_done(coder, text, word, unreported):
    doc = coder.nlp(text)
    ex = Extractor(ActorFinder(doc, coder.catalog, "2020-07-30"), coder.lexicon)
    trig = next(t for t in doc if t.text == word)
    assert ex.unreported(trig, _governing_verb(trig)) is unreported  # the verb as the coder finds it


@pytest.mark.parametrize("text,trigger,word,other", [
    # the object of another conjoined predicate is no party to the trigger's act
    ("The Arab League condemned the bombing and urged its members to support the Libyan government.",
     "condemned", "government", True),
    ("Egypt criticised the raid and praised Jordan.", "criticised", "Jordan", True),
    # a subject the conjuncts share is the trigger's too
    ("Egypt criticised the raid and praised Jordan.", "praised", "Egypt", False),
    # an object the trigger lacks is shared with its conjunct
    ("Turkey condemned and sanctioned Syria.", "condemned", "Syria", False),
    # a party named inside a phrase may carry over ("its ties with Tehran")
    ("Moscow valued its ties with Tehran and would deepen them.", "deepen", "Tehran", False),
])
def test_a_model_role_in_another_conjoined_clause_is_not_the_triggers(coder, text, trigger, word, other):
    from allegiance.events.combine import _other_conjunct
    doc, trig, tok = _parsed(coder, text, trigger, word)
    assert _other_conjunct(trig, doc, tok.i) is other


def _parsed(coder, text, trigger, word):
    """The parsed text, its trigger token and the token of ``word``."""
    doc = coder.nlp(text)
    return doc, next(t for t in doc if t.text == trigger), next(t for t in doc if t.text == word)


@pytest.mark.parametrize("text,trigger,word,partner", [
    # "with" on an offensive names the partner
    ("Chadian soldiers were preparing to join an offensive with the Nigerien army.", "offensive", "army", True),
    ("Chadian soldiers launched a raid alongside Nigerien troops.", "raid", "troops", True),
    # "with" on a clash or a war names the other side
    ("Chadian soldiers clashed with Nigerien troops near the border.", "clashed", "troops", False),
    ("Chad fought a long war with Libya.", "war", "Libya", False),
])
def test_a_companion_of_an_attack_is_a_partner_not_the_target(coder, text, trigger, word, partner):
    from allegiance.events.combine import _companion
    doc, trig, tok = _parsed(coder, text, trigger, word)
    assert _companion(trig, doc, tok.i) is partner


@pytest.mark.parametrize("text,word,mtype", [
    ("Peru and Chile agreed to a truce on Monday after a week of border skirmishes.", "truce", "CONCEDE"),
    ("Peru and Chile signed a fisheries agreement in Lima on Monday.", "agreement", "AGREE"),
    ("Chile's president and Peru's president spoke by telephone on Monday.", "telephone", "CONSULT"),
    ("Peru imposed sanctions on Chile on Monday, banning imports of Chilean copper.", "banning", "SANCTION"),
])
def test_a_word_naming_the_act_of_a_rule_trigger_again_is_not_a_second_record(coder, text, word, mtype):
    """One act, one record: the model's reading of the noun object or adjunct of a rule's trigger,
    or of a participial clause elaborating it, between the same countries, is dropped; the same
    word read for other parties, or a word outside the trigger's phrase, stays."""
    from dataclasses import replace

    from allegiance.events.combine import _one_act
    from allegiance.events.lexicon import Sense

    doc = coder.nlp(text)
    finder = ActorFinder(doc, coder.catalog, "2020-10-01")
    cands = extract_sentence(Extractor(finder, coder.lexicon), list(doc.sents)[0])
    rule_c = next(c for c in cands if c.source is not None and c.target is not None)
    tok = next(t for t in doc if t.text == word)
    model_c = replace(rule_c, sense=Sense(type=mtype, word=word), trigger=tok, verb=tok, rule="model")
    rule, model = Proposal(rule_c, "rule", 0.8, 0.8, 0.8), Proposal(model_c, "model", 0.6, 0.6, 0.6)
    assert _one_act([rule, model]) == [rule]
    # the same word read between parties the rule's act does not have is another act
    bdoc = coder.nlp("Bolivia protested.")
    stranger = ActorFinder(bdoc, coder.catalog, "2020-10-01").resolve(bdoc[0])
    other = Proposal(replace(model_c, target=stranger), "model", 0.6, 0.6, 0.6)
    assert stranger.country == "BOL" and _one_act([rule, other]) == [rule, other]
    # a word that is no object, adjunct or participle of the rule's trigger is another act
    first = doc[0]
    far = Proposal(replace(model_c, trigger=first, verb=first), "model", 0.6, 0.6, 0.6)
    assert _one_act([rule, far]) == [rule, far]


@pytest.mark.parametrize("text, place, mode", [
    ("A Turkish drone strike in Erbil killed five PKK fighters on Tuesday.", "Iraq", "drone"),
    ("An Israeli air strike at Beirut airport killed four Hezbollah fighters.", "Lebanon", "aerial"),
])
def test_an_attack_noun_whose_verb_names_the_victims_is_one_attack_not_one_on_the_place(code, text, place, mode):
    """One blow: the strike that "killed" someone is the killing; no second attack on the place
    where it struck, and the noun still says how."""
    recs = [r for r in code(text, "2021-06-01") if r["event_type"] == "ASSAULT"]
    assert len(recs) == 1, recs
    assert recs[0]["target"]["name"] != place
    assert recs[0]["mode"] == mode


def test_another_partys_act_named_as_the_object_stays_its_own_record(coder):
    """"Turned down Harare's request": the request is Zimbabwe's act, not Pretoria's refusal read
    twice, so the model's REQUEST from Harare stays beside the rules' REJECT."""
    from dataclasses import replace

    from allegiance.events.combine import _one_act
    from allegiance.events.lexicon import Sense

    doc = coder.nlp("Pretoria turned down Harare's request for a credit line on Monday.")
    finder = ActorFinder(doc, coder.catalog, "2019-08-01")
    cands = extract_sentence(Extractor(finder, coder.lexicon), list(doc.sents)[0])
    rule_c = next(c for c in cands if c.sense.type == "REJECT")
    tok = next(t for t in doc if t.text == "request")
    model_c = replace(rule_c, sense=Sense(type="REQUEST", word="request"), trigger=tok, verb=tok, rule="model",
                      source=rule_c.target, target=rule_c.source)
    rule, model = Proposal(rule_c, "rule", 0.8, 0.8, 0.8), Proposal(model_c, "model", 0.6, 0.6, 0.6)
    assert rule_c.source.country == "ZAF" and rule_c.target.country == "ZWE"
    assert _one_act([rule, model]) == [rule, model]


# -- the fast paths of issue 13's speed work give what the plain code gave ------------------------

def _plain_other_conjuncts(trigger, doc, heads):
    """``_other_conjuncts`` as first written, walking spaCy's tokens (the reference)."""
    from allegiance.events.combine import COMPLEMENTS

    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    if verb.pos_ not in ("VERB", "AUX") or not any(c.dep_ in COMPLEMENTS for c in verb.children):
        return [False] * len(heads)
    conj_head = verb.head.i if verb.dep_ == "conj" else None
    out = []
    for head in heads:
        if not 0 <= head < len(doc):
            out.append(False)
            continue
        core = doc[head]
        while core.dep_ == "conj" and core.head.i != core.i:
            core = core.head
        if core.dep_ not in ("dobj", "dative", "nsubj", "nsubjpass", "attr") or core.head.pos_ not in ("VERB", "AUX"):
            out.append(False)
            continue
        found, below, steps = False, doc[head], 1
        while below.head.i != below.i and steps < 60:
            node = below.head
            steps += 1
            if node.i == verb.i:
                found = below.dep_ == "conj" and below.pos_ in ("VERB", "AUX")
                break
            if conj_head is not None and node.i == conj_head:
                found = True if below.dep_ not in ("nsubj", "nsubjpass") else \
                    any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
                break
            below = node
        out.append(found)
    return out


def test_other_conjuncts_read_on_the_integer_tree_are_the_token_walk(coder):
    from allegiance.events.combine import _other_conjuncts

    doc = coder.nlp("The council condemned the attacks and urged states to support the government, and Russia "
                    "and China vetoed and criticised the draft. Iran received the envoy, and the two sides "
                    "agreed to resume talks with Iraq. Protesters who blocked the road were detained by police.")
    heads = list(range(-1, len(doc) + 1))
    checked = 0
    for trig in doc:
        got = _other_conjuncts(trig, doc, heads)
        assert got == _plain_other_conjuncts(trig, doc, heads), trig.text
        checked += sum(got)
    assert checked > 0  # some mentions belong to another conjunct


def test_combine_reads_the_role_floats_as_it_read_the_arrays(sentence):
    """Roles made by the model carry their probabilities as floats; roles without them (made by
    hand) are read from the arrays: the same pairs and scores either way, thresholds that float32
    cannot hold (0.7) included, where a float32 probability equal to float32(0.7) reaches it."""
    from allegiance.events.combine import _p, _p_none

    sent, _, finder = sentence
    doc = sent.doc
    f7 = float(np.float32(0.7))
    rows = {"Iran": [0.1, f7, 0.05, 0.0], "Russia": [0.2, 0.0, 0.1, f7], "Syria": [0.1, 0.05, f7, 0.0],
            "ministry": [0.05, 0.3, 0.05, f7]}
    plain = [role(finder, doc, w, p) for w, p in rows.items()]
    fast = []
    for r in plain:
        p = r.probs
        fast.append(Role(r.mention, p, p.tolist(), float(p[1] + p[3]), float(p[2] + p[3])))

    def show(pairs):
        return [(s.mention.anchor if s else None, t.mention.anchor if t else None, m) for s, t, m in pairs]

    for theta, low in ((0.5, 0.25), (0.7, 0.7), (0.7, 0.25), (0.3, 0.1), (0.7, 0.3)):
        assert show(_model_pairs(fast, theta, low)) == show(_model_pairs(plain, theta, low))
    for which in ("source", "target"):
        assert [_p(r, which) for r in fast] == [_p(r, which) for r in plain]
        assert _p_none(fast, which) == _p_none(plain, which)
    assert show(_model_pairs(fast, 0.7, 0.7))  # the float32 threshold is reached
