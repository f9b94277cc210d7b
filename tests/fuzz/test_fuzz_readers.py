"""Readers under arbitrary input: bytes, text in odd encodings, JSONL lines, CSV rows, HTML fragments.

The guarantee (sources/__init__.py): a reader never raises for bad input; every item is a `Document`
whose text is a non-blank ``str`` (with a valid ``published`` date or none) or a `ReadProblem` naming
the input and the reason. The registry's guard turns an unexpected exception into a problem
"could not be read (TypeError: …)": that message is a bug in a reader, so it fails these tests too.
"""
from __future__ import annotations

import bz2
import csv
import datetime as dt
import gzip
import io
import json
import zipfile

from hypothesis import example, given
from hypothesis import strategies as st

from allegiance.models import Document
from allegiance.sources import (ReadProblem, Source, decode_bytes, html_document, read_inputs,
                                read_source, record_document, text_document)
from allegiance.sources.records import read_jsonl_stream

from ._profile import examples

# characters that break naive text handling: NUL, zero-width and bidi controls, BOM, replacement
# character, line and paragraph separators, combining marks, astral-plane characters
ODD = "\x00\x01\x1b\x7f\u200b\u200c\u200d\u2060\ufeff\u202e\u2028\u2029\ufffd\u0301\U0001f600\r\n\t<>&;\"',{}[]"
odd_text = st.text(alphabet=st.one_of(st.characters(codec="utf-8"), st.sampled_from(ODD)), max_size=300)
floods = st.builds(lambda ch, n, t: ch * n + t, st.sampled_from("\u200b\u200d\ufeff\x00 \n<"),
                   st.integers(0, 3000), odd_text)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "koi8_r",
             "cp1251", "shift_jis", "gb18030", "iso2022_jp", "cp437")
encoded = st.builds(lambda t, enc: t.encode(enc, errors="replace"), st.one_of(odd_text, floods),
                    st.sampled_from(ENCODINGS))
any_bytes = st.one_of(st.binary(max_size=600), encoded)

_tag = st.sampled_from(["p", "div", "script", "style", "h1", "title", "nav", "table", "td", "a", "svg",
                        "math", "iframe", "noscript", "template", "meta", "br", "html", "body", "head"])
_attrs = st.sampled_from(["", ' class="x"', ' charset="utf-8"', " onload=alert(1)", ' href="javascript:x"',
                          ' http-equiv="content-type" content="text/html; charset=koi8-r"', " x=\x00",
                          ' property="article:published_time" content="2023-13-45"'])
html_nodes = st.recursive(
    st.one_of(odd_text, st.sampled_from(["<!--", "-->", "<![CDATA[", "&amp;", "&#0;", "&#xD800;", "<", "</",
                                         "<!DOCTYPE html>", "<?xml version='1.0'?>"])),
    lambda inner: st.builds(lambda t, a, kids: f"<{t}{a}>{''.join(kids)}</{t}>", _tag, _attrs,
                            st.lists(inner, max_size=4)),
    max_leaves=25)
deep_html = st.builds(lambda t, n, body: f"<{t}>" * n + body + f"</{t}>" * (n // 2),
                      _tag, st.integers(1, 6000), odd_text)
html_text = st.one_of(html_nodes, deep_html)

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         odd_text)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(odd_text, inner, max_size=3)), max_leaves=8)
_field_value = st.one_of(json_values, st.sampled_from(
    ["2023-13-01", "2020-02-30", "0000-00-00", "9999-12-31", "yesterday", " 2021-05-05T10:00", ""]))
records = st.fixed_dictionaries({}, optional={
    k: _field_value for k in ("id", "text", "event_text", "date", "pub_date", "title", "headline",
                              "url", "publisher", "extra")})
jsonl_line = st.one_of(records.map(lambda r: json.dumps(r, ensure_ascii=False)),
                       json_values.map(json.dumps), odd_text)


def _csv_file(header: list[str], rows: list[list[str]], tail: str) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue() + tail


csv_text = st.builds(_csv_file,
                     st.lists(st.one_of(st.sampled_from(["id", "text", "date", "title", "url"]), odd_text),
                              max_size=6),
                     st.lists(st.lists(odd_text, max_size=6), max_size=5),
                     st.one_of(st.just(""), odd_text, st.just('"unterminated\n'), st.just("a,b\x00c\n")))


def _source(name: str, data: bytes) -> Source:
    return Source(name=name, origin=f"in/{name}", doc_id="d1", open=lambda: io.BytesIO(data), size=len(data))


def check_item(item: object) -> None:
    """A well-formed document or a named problem; never the guard's "could not be read" (a bug)."""
    if isinstance(item, ReadProblem):
        assert isinstance(item.origin, str) and item.origin
        assert isinstance(item.message, str) and item.message
        assert not item.message.startswith("could not be read ("), item
        return
    assert isinstance(item, Document), item
    assert isinstance(item.id, str) and item.id.strip()
    assert isinstance(item.text, str) and item.text.strip()
    if item.published is not None:
        assert dt.date.fromisoformat(item.published).isoformat() == item.published
    assert item.title is None or isinstance(item.title, str)


def read_all(name: str, data: bytes) -> list:
    items = list(read_source(_source(name, data)))
    for item in items:
        check_item(item)
    return items


@examples(60)
@given(any_bytes, st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.csv", "a.warc", "a.wet"]))
@example(b"\x00" * 10, "a.txt")
@example(b"\xff\xfe" + "caf\u00e9".encode("utf-16-le") + b"\x00", "a.jsonl")
@example(b"\xef\xbb\xbf", "a.csv")
def test_any_bytes_through_each_reader(data, name):
    read_all(name, data)


@examples(40)
@given(st.one_of(odd_text, floods), st.sampled_from(ENCODINGS))
def test_text_in_any_encoding(text, encoding):
    data = text.encode(encoding, errors="replace")
    items = read_all("story.txt", data)
    assert len(items) == 1
    decoded = decode_bytes(data, "story.txt")
    assert isinstance(decoded, ReadProblem) or isinstance(decoded.text, str)
    check_item(text_document(text, "d1", "story.txt"))


@examples(40)
@given(html_text, st.sampled_from(["utf-8", "cp1252", "koi8_r", "utf-16"]))
@example("<div>" * 5000 + "Troops shelled the town." + "</div>" * 10, "utf-8")
@example("<script>" + "<p>" * 300 + "alert(1)</script><p>Police arrested protesters.</p>", "utf-8")
@example("<p>a\x00b</p>", "utf-8")
def test_html_fragments(html, encoding):
    items = read_all("page.html", html.encode(encoding, errors="replace"))
    assert len(items) == 1
    check_item(html_document(html, "d1", "page.html"))


@examples(50)
@given(st.lists(jsonl_line, max_size=6), st.sampled_from(["\n", "\r\n", "\r"]))
@example(['{"id": "a", "text": "x", "date": "2023-13-01"}', '{"id": 1e999, "text": "ok"}'], "\n")
@example(['{"id": {"x": 1}, "text": "ok", "title": 5}'], "\n")
def test_jsonl_lines(lines, newline):
    data = newline.join(lines).encode("utf-8")
    items = read_all("in.jsonl", data)
    for item in read_jsonl_stream(io.BytesIO(data), "in.jsonl"):
        check_item(item)
    for line in lines:
        try:
            row = json.loads(line)
        except ValueError:
            continue
        check_item(record_document(row, "in.jsonl:1"))
    assert len(items) <= len(data.splitlines()) + 1


@examples(50)
@given(csv_text)
@example('id,text\n1,"Police arrested\x00 him"\n')
@example("id,text\n" + "x" * 10 + ',"open\n')
def test_csv_rows(text):
    read_all("in.csv", text.encode("utf-8"))


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@examples(30)
@given(st.dictionaries(st.sampled_from(["a.txt", "b.jsonl", "c.csv", "d.html", "e.pdf", ".hidden.txt",
                                        "x/f.txt", "g.jsonl.gz", "h.zip"]),
                       any_bytes, max_size=4),
       st.integers(0, 200))
def test_archives_whole_and_truncated(members, cut):
    """Compressed and archived inputs, whole and cut short: documents and named problems only."""
    payload = b"\n".join(members.values())
    for name, data in (("a.zip", _zip(members)), ("a.jsonl.gz", gzip.compress(payload)),
                       ("a.txt.bz2", bz2.compress(payload)), ("a.warc.gz", gzip.compress(payload))):
        read_all(name, data)
        if cut and len(data) > cut:
            read_all(name, data[:-cut])


@examples(40)
@given(any_bytes)
@example(b"\x1f\x8b\x08\x00garbage")
@example(b"WARC/1.0\r\n\r\n")
@example(b"{" + b"[" * 100000)
def test_stdin(data):
    """``allegiance code -``: the content decides the reader; the language screen runs on each document."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    for item in read_inputs(["-"], stdin=stream):
        check_item(item)
