"""Readers: each format, and bad input reported with its file and line."""
from __future__ import annotations

import io
import json

from allegiance.models import Document
from allegiance.sources import ReadProblem, read_inputs


def items(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return list(read_inputs([str(p)]))


def test_text_file_with_published_line(tmp_path):
    (doc,) = items(tmp_path, "a.txt", b"Headline here\n\nPublished: 2020-05-01\n\nBody text.")
    assert isinstance(doc, Document)
    assert doc.published == "2020-05-01" and doc.title == "Headline here" and doc.id == "a.txt"


def test_empty_binary_and_bad_encoding_are_problems(tmp_path):
    assert isinstance(items(tmp_path, "e.txt", b"   \n")[0], ReadProblem)
    (bin_,) = items(tmp_path, "b.txt", b"\x00\x01\x02PNG\x00")
    assert isinstance(bin_, ReadProblem) and "binary" in bin_.message
    (enc,) = items(tmp_path, "c.txt", "caf\u00e9".encode("latin-1") + b" text")
    assert isinstance(enc, ReadProblem) and "UTF-8" in enc.message


def test_jsonl_malformed_line_is_reported_with_line_number(tmp_path):
    lines = [json.dumps({"id": "1", "text": "One."}), "{not json", json.dumps({"text": "no id"}),
             json.dumps({"id": 4, "text": "Four.", "date": "2021-02-03", "lang": "en"})]
    got = items(tmp_path, "d.jsonl", "\n".join(lines).encode())
    assert [type(g).__name__ for g in got] == ["Document", "ReadProblem", "ReadProblem", "Document"]
    assert got[1].origin.endswith("d.jsonl:2") and got[2].origin.endswith("d.jsonl:3")
    assert got[3].id == "4" and got[3].published == "2021-02-03" and got[3].extra == {"lang": "en"}


def test_folder_is_read_in_order_with_relative_ids(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Second.")
    (tmp_path / "a.txt").write_text("First.")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    got = list(read_inputs([str(tmp_path)]))
    assert [d.id for d in got] == ["a.txt", "sub/b.txt"]


def test_hostile_html_is_cleaned(tmp_path):
    html = (b"<html><head><script>alert(1)</script><style>p{}</style></head><body><nav>Menu</nav>"
            b"<h1>Talks resume</h1><p>Envoys met in Geneva on Monday to resume talks.</p>"
            b"<p>The meeting lasted three hours.</p><footer>Copyright</footer></body></html>")
    (doc,) = items(tmp_path, "x.html", html)
    assert "alert" not in doc.text and "Menu" not in doc.text
    assert "Envoys met in Geneva" in doc.text


def test_stdin_text_and_jsonl():
    (doc,) = list(read_inputs(["-"], stdin=io.StringIO("Plain text story.")))
    assert doc.id == "stdin"
    got = list(read_inputs(["-"], stdin=io.StringIO('{"id": "x", "text": "T."}\n')))
    assert got[0].id == "x"
