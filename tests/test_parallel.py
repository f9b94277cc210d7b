"""Coding on every core (`allegiance.parallel`): the same records, in input order, as one process."""
from __future__ import annotations

import json

from allegiance.coder import Coder
from allegiance.models import Document
from allegiance.parallel import code_in_processes, default_jobs

# Written for this test.
TEXTS = [
    "Ethiopian troops shelled rebel positions near Gondar on Monday, local officials said.",
    "Brazil and Argentina signed a trade agreement in Buenos Aires.",
    "Police in Lagos arrested dozens of protesters who marched against fuel prices.",
    "The orchard in the valley produced a large harvest of apples this year.",
    "Japan urged North Korea to stop its missile tests.",
    "Poland sent humanitarian aid to Ukraine after the floods.",
    "Serbia accused Kosovo of provoking clashes in the north.",
    "Sudan's army and the Rapid Support Forces agreed to a ceasefire in Jeddah.",
    "India summoned the Pakistani envoy over the shooting at the border.",
]


def _docs(n: int) -> list[Document]:
    return [Document(id=f"p{i}", text=TEXTS[i % len(TEXTS)] + f" The report was number {i}.",
                     published="2023-05-0" + str(1 + i % 9)) for i in range(n)]


def _dump(triples) -> list[str]:
    return [json.dumps([d.id, recs, err], ensure_ascii=False) for d, recs, err in triples]


def test_two_processes_give_the_serial_records_in_order():
    docs = _docs(14)
    # one unsendable document (a lambda cannot be pickled) fails alone with its batch's reason
    docs[5] = Document(id="bad", text=docs[5].text, published="2023-05-01", extra={"f": lambda: 1})
    serial = _dump(Coder().code_many([d for d in docs if d.id != "bad"]))
    got = list(code_in_processes(docs, jobs=2, batch_size=1))
    assert [d.id for d, _, _ in got] == [d.id for d in docs]
    bad = [(d.id, err) for d, recs, err in got if recs is None]
    assert bad == [("bad", bad[0][1])] and "could not be sent" in bad[0][1]
    assert _dump(t for t in got if t[0].id != "bad") == serial
    assert sum(len(recs) for _, recs, _ in got if recs) >= 8  # the texts do code into events


def test_short_input_is_coded_here_with_the_given_coder():
    calls = []

    class Spy:
        def code_many(self, docs):
            docs = list(docs)
            calls.append(len(docs))
            return [(d, [], None) for d in docs]

    got = list(code_in_processes(_docs(3), jobs=2, batch_size=4, coder=Spy()))
    assert calls == [3] and [d.id for d, _, _ in got] == ["p0", "p1", "p2"]


def test_one_job_and_bad_values():
    assert default_jobs() >= 1
    got = list(code_in_processes(_docs(2), jobs=1, engine="rules"))
    assert [d.id for d, _, _ in got] == ["p0", "p1"] and all(err is None for _, _, err in got)
    import pytest

    with pytest.raises(ValueError):
        list(code_in_processes(_docs(1), jobs=0))


def test_cli_jobs_output_is_identical_to_one_process(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "examples" / "corpus"  # 20 articles: more than 2 x 8
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.jsonl"
        subprocess.run([sys.executable, "-m", "allegiance.cli", "code", str(corpus), "-o", str(out),
                        "--jobs", jobs], check=True, capture_output=True, timeout=600)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] and outs[0].count(b"\n") > 50
