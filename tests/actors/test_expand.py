"""Conjoined actors when the parser reads a list as an apposition (a parse built by hand)."""
from __future__ import annotations

from spacy.tokens import Doc

from allegiance.actors import ActorFinder, load_catalog
from allegiance.nlp import load_nlp


def _doc(words, heads, deps, pos):
    nlp = load_nlp(())
    doc = Doc(nlp.vocab, words=words, spaces=[w not in (",",) for w in words][1:] + [False],
              heads=heads, deps=deps, pos=pos)
    for _, proc in nlp.pipeline:  # only the phrase ruler: it labels the catalog names
        if proc.__class__.__name__ == "PhraseRuler":
            proc(doc)
    return doc


def test_list_read_as_apposition_is_expanded():
    # "Egypt , Jordan , Hamas and Qatar met" with Jordan as appos of Egypt, Hamas conj of Jordan
    words = ["Egypt", ",", "Jordan", ",", "Hamas", "and", "Qatar", "met"]
    heads = [7, 0, 0, 2, 2, 0, 0, 7]
    deps = ["nsubj", "punct", "appos", "punct", "conj", "cc", "conj", "ROOT"]
    pos = ["PROPN", "PUNCT", "PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "VERB"]
    doc = _doc(words, heads, deps, pos)
    finder = ActorFinder(doc, load_catalog(()), "2020-01-01")
    names = [finder.resolve(t).name for t in finder.expand(doc[0])]
    assert sorted(names) == ["Egypt", "Hamas", "Jordan", "Qatar"]


def test_descriptive_apposition_is_not_a_member():
    # "Hezbollah , the group , attacked" : the apposition describes, it does not add an actor
    words = ["Hezbollah", ",", "the", "group", ",", "attacked"]
    heads = [5, 0, 3, 0, 0, 5]
    deps = ["nsubj", "punct", "det", "appos", "punct", "ROOT"]
    pos = ["PROPN", "PUNCT", "DET", "NOUN", "PUNCT", "VERB"]
    doc = _doc(words, heads, deps, pos)
    finder = ActorFinder(doc, load_catalog(()), "2020-01-01")
    assert [t.i for t in finder.expand(doc[0])] == [0]
