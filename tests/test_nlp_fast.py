"""The fast attribute ruler and lemmatizer give every token the attributes the stock ones give;
spaCy is imported without torch for the processes that code."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")
np = pytest.importorskip("numpy")

from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, POS, SENT_START, TAG  # noqa: E402

from allegiance.nlp import MODEL, FastAttributeRuler, FastLemmatizer, fast_components, load_nlp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EDGES = [
    "There is a man outside. There are men here, aren't there?",  # the two-token "expl" pattern
    "He gets it. They got it. Nothin' doin', y' know, it isn't", "Gonna wanna lemme",  # LEMMA and REGEX rules
    "a  \n\n  b\t\tc", "", " ", "\n", "—", "U.S.-backed forces retook Raqqa and outfought ISIS.",
    "The protesters were arrested; police said they had been beaten, and officials denied it.",
]


def _texts() -> list[str]:
    texts = list(EDGES)
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "corpus").glob("*.txt"))]
    dev = ROOT / "corpus" / "dev.jsonl"
    if dev.exists():
        texts += [json.loads(ln)["text"] for ln in dev.read_text(encoding="utf-8").splitlines()[:150] if ln.strip()]
    return texts


@pytest.fixture(scope="module")
def pair():
    return spacy.load(MODEL), fast_components(spacy.load(MODEL))


def test_the_fast_components_replace_the_stock_ones(pair):
    _, fast = pair
    assert isinstance(fast.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), FastLemmatizer)
    assert fast.pipe_names == pair[0].pipe_names
    assert fast.get_pipe("attribute_ruler").rules and fast.get_pipe("lemmatizer").plain
    assert isinstance(load_nlp().get_pipe("attribute_ruler"), FastAttributeRuler)


def test_every_token_attribute_is_the_stock_one(pair):
    stock, fast = pair
    texts = _texts()
    cols = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, NORM, SENT_START]
    # twice through the fast pipeline: the second pass reads its memo of lemmas
    for a, b, c in zip(stock.pipe(texts), fast.pipe(texts), fast.pipe(texts)):
        for doc in (b, c):
            assert np.array_equal(a.to_array(cols), doc.to_array(cols)), a.text[:80]
            assert [(t.lemma_, t.pos_, str(t.morph), t.tag_) for t in a] == \
                   [(t.lemma_, t.pos_, str(t.morph), t.tag_) for t in doc], a.text[:80]


def test_a_pattern_of_another_kind_leaves_the_stock_ruler_in_charge():
    nlp = spacy.load(MODEL)
    stock = nlp.get_pipe("attribute_ruler")
    stock.add([[{"LOWER": "x", "OP": "+"}]], {"LEMMA": "ex"})
    fast = FastAttributeRuler()
    assert not fast.configure(stock)
    doc = nlp.make_doc("x x y")
    for name, proc in nlp.pipeline[:3]:
        doc = proc(doc)
    assert [t.lemma_ for t in fast(doc)][:2] == ["ex", "ex"]


def test_the_coding_commands_import_spacy_without_torch():
    pytest.importorskip("torch")
    code = ("import sys\nfrom allegiance.lean import import_spacy\nimport_spacy()\n"
            "import spacy, thinc.compat\nprint('torch' in sys.modules, thinc.compat.has_torch)\n"
            "import torch\nprint('torch' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "True"]  # torch stays importable (training imports it)
