"""The start-up caches: parsed catalog and lexicon, catalog-form tokenisation (`geonames.memo`)."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.lang.en import English
from spacy.matcher import PhraseMatcher

from allegiance import data
from allegiance.actors import catalog as catalog_mod
from allegiance.actors import resolve
from allegiance.actors.catalog import BUILTIN_FILES, Catalog
from allegiance.errors import CatalogError
from allegiance.events import lexicon as lexicon_mod
from allegiance.geonames import memo

load_catalog = catalog_mod.load_catalog.__wrapped__   # past the per-process functools.cache
load_lexicon = lexicon_mod.load_lexicon.__wrapped__

USER_PEOPLE = """\
- name: Jane Example
  aliases: [Commander Example]
  roles:
    - {title: commander, country: SYR, sector: REB, from: 2019-01-01}
"""
USER_TRIGGERS = """\
verbs:
  frobnicate:
    - {type: ASSAULT, mode: aerial}
"""


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(folder))
    return folder


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


# -- memo ---------------------------------------------------------------------------------
def test_memo_builds_once_per_key(cache):
    build, calls = _counting({"a": [1, 2]})
    assert memo("thing", [b"x"], build) == {"a": [1, 2]}
    assert memo("thing", [b"x"], build) == {"a": [1, 2]}
    assert calls == [1]
    assert memo("thing", [b"y"], build) == {"a": [1, 2]} and calls == [1, 1]   # another key
    assert len(list(cache.glob("thing-*.pickle"))) == 2


def test_memo_off_and_unwritable_fall_back_to_building(tmp_path, monkeypatch):
    build, calls = _counting([3])
    monkeypatch.setenv("ALLEGIANCE_CACHE", "off")
    assert memo("thing", ["k"], build) == [3] and memo("thing", ["k"], build) == [3]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ALLEGIANCE_CACHE", str(blocker / "sub"))   # cannot be created
    assert memo("thing", ["k"], build) == [3]
    assert calls == [1, 1, 1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_memo_rebuilds_a_corrupt_file_and_never_stores_a_failure(cache):
    build, calls = _counting("ok")
    memo("thing", ["k"], build)
    [path] = cache.glob("thing-*.pickle")
    path.write_bytes(b"not a pickle")
    assert memo("thing", ["k"], build) == "ok" and calls == [1, 1]

    def fail():
        raise ValueError("bad input")

    for _ in range(2):
        with pytest.raises(ValueError, match="bad input"):
            memo("other", ["k"], fail)
    assert not list(cache.glob("other-*.pickle"))


# -- catalog ------------------------------------------------------------------------------
def test_cached_catalog_equals_a_fresh_parse(cache):
    first = load_catalog()
    assert len(list(cache.glob("catalog-*.pickle"))) == 1
    hit = load_catalog()
    fresh = catalog_mod._load_catalog([data.path("actors", f) for f in BUILTIN_FILES])
    assert hit is not first and hit == fresh
    assert hit.forms == fresh.forms and [p.name for p in hit.people] == [p.name for p in fresh.people]
    # shared entities stay shared: a form points at the very person object in `people`
    person = next(p for p in hit.people if p.roles)
    refs = [r for key, rs in hit.forms.items() for r in rs if r[0] == "person" and r[2].name == person.name]
    assert refs and all(r[2] is person for r in refs)


def test_catalog_without_cache_equals_cached(cache, monkeypatch):
    cached = load_catalog()
    monkeypatch.setenv("ALLEGIANCE_CACHE", "off")
    assert load_catalog() == cached


def test_changed_user_catalog_is_not_served_stale(cache, tmp_path):
    user = tmp_path / "people.yaml"
    user.write_text(USER_PEOPLE, encoding="utf-8")
    assert "Commander Example" in load_catalog((str(user),)).forms
    user.write_text(USER_PEOPLE.replace("Commander Example", "General Example"), encoding="utf-8")
    cat = load_catalog((str(user),))
    assert "General Example" in cat.forms and "Commander Example" not in cat.forms
    assert "Commander Example" not in load_catalog().forms          # the built-in key is apart


def test_invalid_user_catalog_still_fails_with_its_name(cache, tmp_path):
    user = tmp_path / "people.yaml"
    user.write_text(USER_PEOPLE.replace("sector: REB", "sector: XYZ"), encoding="utf-8")
    before = set(cache.glob("*.pickle"))
    for _ in range(2):                                              # the failure is not cached
        with pytest.raises(CatalogError) as err:
            load_catalog((str(user),))
        assert err.value.file == str(user) and "XYZ" in str(err.value)
    assert set(cache.glob("*.pickle")) == before
    with pytest.raises(CatalogError, match="no such file"):
        load_catalog((str(tmp_path / "missing.yaml"),))


# -- lexicon ------------------------------------------------------------------------------
def test_cached_lexicon_equals_a_fresh_parse(cache):
    load_lexicon()
    assert len(list(cache.glob("lexicon-*.pickle"))) == 1
    hit = load_lexicon()
    assert hit == lexicon_mod._load_lexicon([data.path("triggers.yaml")])
    assert hit.verbs and hit.nouns


def test_changed_user_lexicon_is_not_served_stale(cache, tmp_path, monkeypatch):
    user = tmp_path / "triggers.yaml"
    user.write_text(USER_TRIGGERS, encoding="utf-8")
    assert load_lexicon((str(user),)).verbs["frobnicate"][0].mode == "aerial"
    user.write_text(USER_TRIGGERS.replace("aerial", "beat"), encoding="utf-8")
    assert load_lexicon((str(user),)).verbs["frobnicate"][0].mode == "beat"
    user.write_text(USER_TRIGGERS.replace("ASSAULT", "NOT_A_TYPE"), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogError) as err:
            load_lexicon((str(user),))
        assert err.value.file == str(user)
    monkeypatch.setenv("ALLEGIANCE_CACHE", "off")
    user.write_text(USER_TRIGGERS, encoding="utf-8")
    assert load_lexicon((str(user),)).verbs["frobnicate"][0].mode == "aerial"


# -- the catalog phrase matchers ------------------------------------------------------------
def _small_catalog() -> Catalog:
    cat = Catalog()
    for form, kind, cs in (("United States", "country", True), ("U.S.", "country", True),
                           ("al-Nusra Front", "organisation", False), ("Kremlin's", "metonym", True)):
        cat.add_form(form, kind, form, case_sensitive=cs)
    cat.agents.update({"rebels": "REB", "riot police": "COP"})
    cat.titles["foreign minister"] = "GOV"
    cat.regional.add("gulf states")
    return cat


def _reference_matches(vocab, cat: Catalog, doc) -> list[tuple[str, int, int]]:
    """What the matchers found before the cache: tokenizer docs in the document vocab."""
    tok = English(vocab=vocab).tokenizer
    cs, ci = PhraseMatcher(vocab, attr="ORTH"), PhraseMatcher(vocab, attr="LOWER")
    for form, refs in cat.forms.items():
        (cs if refs[0][1] == "cs" else ci).add(f"{refs[0][0]}|{form}", [tok(form)])
    for prefix, terms in (("agent", cat.agents), ("title", cat.titles), ("regional", cat.regional)):
        for term in terms:
            ci.add(f"{prefix}|{term}", [tok(term)])
    return [(vocab.strings[m], s, e) for matcher in (cs, ci) for m, s, e in matcher(doc)]


def _matches(vocab, cat: Catalog, doc) -> list[tuple[str, int, int]]:
    cs, ci, table = resolve._build_matchers(vocab, cat)
    out = [(doc.vocab.strings[m], s, e) for matcher in (cs, ci) for m, s, e in matcher(doc)]
    assert all(key in table for key, _, _ in out)
    return out


def test_matchers_from_cached_tokens_match_as_before(cache, monkeypatch):
    nlp = spacy.blank("en")
    cat = _small_catalog()
    doc = nlp("The U.S. and AL-NUSRA FRONT rebels met Riot Police; the Kremlin's foreign minister "
              "and the Gulf States objected, united states did not.")
    expected = _reference_matches(spacy.blank("en").vocab, cat, doc)
    assert {k for k, _, _ in expected} >= {"country|U.S.", "organisation|al-nusra front", "agent|rebels",
                                           "agent|riot police", "metonym|Kremlin's",
                                           "title|foreign minister", "regional|gulf states"}
    assert "country|United States" not in {k for k, _, _ in expected}           # case-sensitive
    assert _matches(nlp.vocab, cat, doc) == expected                            # a miss: tokenised
    assert len(list(cache.glob("forms-*.pickle"))) == 1
    monkeypatch.setattr("spacy.lang.en.English", lambda *a, **k: pytest.fail("tokenised again"))
    assert _matches(nlp.vocab, cat, doc) == expected                            # a hit: from the file
    monkeypatch.undo()
    monkeypatch.setenv("ALLEGIANCE_CACHE", "off")
    assert _matches(nlp.vocab, cat, doc) == expected
