"""The training examples' cache is keyed by everything that shapes them, not only the corpus."""
from __future__ import annotations

from pathlib import Path

from allegiance.training import dataset


def test_the_key_covers_actor_resolution_rules_and_curated_data():
    names = {p.relative_to(Path(dataset.__file__).resolve().parents[1]).as_posix() for p in dataset._code_files()}
    for needed in ("actors/resolve.py", "actors/context.py", "events/extract.py", "events/learned.py",
                   "coder.py", "nlp.py", "training/dataset.py", "data/triggers.yaml",
                   "data/places_aliases.csv", "data/actors/people.yaml"):
        assert needed in names
    assert not any(n.startswith("web/") for n in names)


def test_the_key_changes_when_a_code_file_or_the_corpus_changes(tmp_path, monkeypatch):
    corpus, code = tmp_path / "train.jsonl", tmp_path / "rules.py"
    corpus.write_text('{"id": "x"}\n')
    code.write_text("A = 1\n")
    monkeypatch.setattr(dataset, "_code_files", lambda: [code])
    first = dataset.cache_key([corpus], "1.0")
    assert dataset.cache_key([corpus], "1.0") == first
    code.write_text("A = 2\n")
    second = dataset.cache_key([corpus], "1.0")
    assert second != first
    corpus.write_text('{"id": "y"}\n')
    assert dataset.cache_key([corpus], "1.0") not in (first, second)
