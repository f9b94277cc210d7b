"""`allegiance run` on a small hostile corpus (benchmarks/hostile.py --small): one file of each bad kind
issue 15 lists, among good documents. No crash; every good document stored and nothing else; every bad
input named once, with its reason, in the --report file and on one stderr line; the counts agree."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_path = Path(__file__).resolve().parents[1] / "benchmarks" / "hostile.py"
_spec = importlib.util.spec_from_file_location("bench_hostile", _path)
hostile = importlib.util.module_from_spec(_spec)
sys.modules["bench_hostile"] = hostile  # dataclasses look the module up
_spec.loader.exec_module(hostile)


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The small corpus, built and run once: (expected, folder, run result)."""
    tmp = tmp_path_factory.mktemp("hostile")
    exp = hostile.build(tmp / "corpus", small=True)
    return exp, tmp, hostile.run(tmp / "corpus", tmp / "s.duckdb", tmp / "r.jsonl", jobs=1)


def test_small_hostile_corpus(ran):
    exp, tmp, (secs, rss, code, stderr) = ran
    kinds = {k for _, _, k in exp.bad}
    for kind in ("binary", "ELF as .txt", "empty", "whitespace only", "6 MB text", "truncated .jsonl.gz",
                 "20k-deep nested HTML", "script-bomb HTML", "zero-width flood", "broken CSV (unterminated quote)",
                 "NUL bytes", "Windows-1256 Arabic (language ar)", ".pdf", "duplicate id, same text",
                 "duplicate id, other text", "NaN", "5,000-deep JSON", "broken symlink"):
        assert kind in kinds, kind  # the corpus holds every kind the issue names
    assert {"Latin-1", "UTF-16", "odd file name", "file name not UTF-8", "lone surrogate"} <= set(exp.good.values())
    figures, failures = hostile.check(exp, tmp / "s.duckdb", tmp / "r.jsonl", code, stderr)
    assert failures == [], "\n".join(failures)
    assert figures["crashes"] == 0 and figures["exit"] == 1  # some inputs failed: exit 1, not a crash
    assert figures["stored"] == len(exp.good) and figures["skipped"] + figures["failed"] == len(exp.bad)


def test_the_check_catches_a_lost_document_and_an_unnamed_input(ran):
    """The checks can fail: a good document that is not stored and a bad input the report does not
    name are both caught (here the expectations are made wrong, the run is the same)."""
    import copy

    exp, tmp, (secs, rss, code, stderr) = ran
    exp = copy.deepcopy(exp)
    exp.good["never-written"] = "txt"
    exp.no("never-written.pdf", "unsupported", ".pdf")
    _, failures = hostile.check(exp, tmp / "s.duckdb", tmp / "r.jsonl", code, stderr)
    text = "\n".join(failures)
    assert "1 good documents not in the store" in text and "never-written.pdf" in text and "counts disagree" in text
