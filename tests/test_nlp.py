"""The pipeline's phrase ruler: entity_ruler semantics, the tokenisation cache, the built pipeline."""
from __future__ import annotations

import json

import pytest

spacy = pytest.importorskip("spacy")

from allegiance import nlp as nlp_mod  # noqa: E402
from allegiance.nlp import PhraseRuler, load_nlp  # noqa: E402

PATTERNS = [
    {"label": "GPE", "pattern": "Deir ez-Zor"},
    {"label": "GPE", "pattern": "Deir"},
    {"label": "ORG", "pattern": "Islamic State"},
    {"label": "ORG", "pattern": "the Islamic State group"},
    {"label": "PERSON", "pattern": "Abu Mohammed"},
    {"label": "ORG", "pattern": "Mohammed Brigade"},
    {"label": "GPE", "pattern": "Tal Abyad"},
    {"label": "LOC", "pattern": "Red Sea"},
    {"label": "NORP", "pattern": "Kurdish"},
]
SENTENCES = [
    "Fighters of the Islamic State group withdrew from Deir ez-Zor and Deir Hafer on Monday.",
    "Islamic State claimed the attack near Tal Abyad.",
    "Abu Mohammed Brigade commanders said Kurdish units crossed the Red Sea coast road.",
    "Nothing here matches, not even deir ez-zor in lower case.",
    "Tal Abyad Tal Abyad, Islamic State Islamic State.",
]


def _ents(doc):
    return [(e.start, e.end, e.label_) for e in doc.ents]


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _phrase_ruler(blank, patterns=PATTERNS) -> PhraseRuler:
    ruler = PhraseRuler()
    ruler.set_patterns([([t.text for t in blank.make_doc(p["pattern"])], p["label"]) for p in patterns])
    return ruler


@pytest.mark.parametrize("text", SENTENCES)
def test_same_entities_as_spacy_entity_ruler(blank, text):
    reference = spacy.blank("en")
    er = reference.add_pipe("entity_ruler", config={"overwrite_ents": True})
    er.add_patterns(PATTERNS)
    expected = _ents(reference(text))
    assert _ents(_phrase_ruler(blank)(blank(text))) == expected


def test_longest_match_wins_and_replaces_model_entities(blank):
    doc = blank("They reached Deir ez-Zor today.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 2, 3, label="PERSON")]          # a wrong model guess on "Deir"
    _phrase_ruler(blank)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Deir ez-Zor", "GPE")]


def test_first_label_wins_for_a_repeated_phrase(blank):
    ruler = _phrase_ruler(blank, [{"label": "GPE", "pattern": "Abkhazia"}, {"label": "ORG", "pattern": "Abkhazia"}])
    assert ruler.size == 1
    assert [e.label_ for e in ruler(blank("Troops left Abkhazia.")).ents] == ["GPE"]


def test_tokenisation_is_cached_and_reused(tmp_path, monkeypatch, blank):
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(tmp_path))
    first = nlp_mod._tokenised(blank, PATTERNS)
    assert first[0] == (["Deir", "ez", "-", "Zor"], "GPE")
    files = list(tmp_path.glob("ruler-*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text(encoding="utf-8"))
    data["patterns"][1][0] = ["Changed"]                    # prove the second call reads the file
    files[0].write_text(json.dumps(data), encoding="utf-8")
    assert nlp_mod._tokenised(blank, PATTERNS)[1] == (["Changed"], "GPE")
    other = nlp_mod._tokenised(blank, PATTERNS[:3])          # another pattern set: another file
    assert other[1] == (["Deir"], "GPE") and len(list(tmp_path.glob("ruler-*.json"))) == 2


def test_tokenisation_without_a_writable_cache(tmp_path, monkeypatch, blank):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(blocker / "sub"))
    assert nlp_mod._tokenised(blank, PATTERNS)[2] == (["Islamic", "State"], "ORG")
    monkeypatch.setenv("ALLEGIANCE_CACHE", "off")
    assert nlp_mod._tokenised(blank, PATTERNS)[2] == (["Islamic", "State"], "ORG")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_pipeline_labels_catalog_and_place_names():
    nlp = load_nlp()
    assert nlp.pipe_names.index("allegiance_ruler") < nlp.pipe_names.index("ner")
    doc = nlp("Government jets bombed Saraqib as Hezbollah fighters moved toward the Red Sea.")
    labels = {e.text: e.label_ for e in doc.ents}
    assert labels.get("Saraqib") == "GPE" and labels.get("Red Sea") == "LOC"
    assert labels.get("Hezbollah") == "ORG"
