"""The trigger lexicon file format: keys written twice are refused, unknown keys name the entry."""
from __future__ import annotations

import pytest

from allegiance.errors import CatalogError
from allegiance.events.lexicon import _load_lexicon


def test_a_verb_written_twice_is_an_error_naming_the_line(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("verbs:\n  storm: {type: ASSAULT}\n  shell: {type: ASSAULT}\n  storm: {type: PROTEST}\n",
                 encoding="utf-8")
    with pytest.raises(CatalogError, match=r"duplicate key 'storm' \(line 4\)"):
        _load_lexicon([f])


def test_new_sense_keys_are_read(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("verbs:\n  cow: {type: THREATEN, negated_type: REJECT, negated_swap: true, subj_not: [BUS]}\n"
                 "  quit: {type: SANCTION, mode: withdraw, pobj_type: [bloc], content_type: [assault]}\n",
                 encoding="utf-8")
    lex = _load_lexicon([f])
    cow, quit_ = lex.verbs["cow"][0], lex.verbs["quit"][0]
    assert cow.negated_swap and cow.subj_not == frozenset({"BUS"})
    assert quit_.pobj_type == frozenset({"bloc"}) and quit_.content_type == frozenset({"ASSAULT"})
    f.write_text("verbs:\n  vow: {type: THREATEN, content_type: [SHOUT]}\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="content_type"):
        _load_lexicon([f])
