"""Readers: each format, archives, encodings and languages, and bad input reported with its file and line.

Every input is written here, in the test: the texts are made up for these tests.
"""
from __future__ import annotations

import bz2
import gzip
import io
import json
import random
import tracemalloc
import zipfile

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from allegiance.models import Document
from allegiance.sources import (MAX_BYTES, READERS, SUFFIXES, ReadProblem, check_language, read_inputs,
                                reader_for, record_document)
from allegiance.sources.compressed import GzipReader, ZipReader
from allegiance.sources.records import JsonlReader
from allegiance.sources.text import TextReader
from allegiance.sources.warc import WarcReader

LATIN1_ARTICLE = (
    "Mayor Inés Ibáñez meets Chancellor Jürgen Müller\n\nPublished: 2023-03-14\n\n"
    "Mayor Inés Ibáñez of Cádiz and Chancellor Jürgen Müller agreed on Tuesday to reopen the ferry "
    "link between their two ports, after a quarrel over fishing quotas that lasted most of the winter. "
    "Müller said the crossing would resume in April.")
ARABIC = ("قال وزير الخارجية إن المحادثات بين الوفدين ستستأنف الأسبوع المقبل "
          "في العاصمة بعد أن اتفق الطرفان على وقف إطلاق النار على طول الحدود")
FRENCH = ("Le gouvernement a annoncé mardi la reprise des discussions avec les syndicats des dockers. "
          "Les représentants des deux parties se retrouveront la semaine prochaine à Marseille pour "
          "examiner les propositions du ministère. Selon un porte-parole, aucun accord n'est attendu "
          "avant la fin du mois.")
SPANISH = ("El consejo municipal aprobó el jueves un nuevo acuerdo con los transportistas del puerto. "
           "Los delegados de ambas partes volverán a reunirse el mes próximo para revisar las tarifas "
           "y el calendario de las obras.")
ENGLISH_WITH_NAMES = (
    "Foreign ministers Nguyễn Thị Hương, Oleksandr Kovalenko and Jean-Baptiste Ndayishimiye met "
    "Søren Kjær in Ouagadougou on Thursday. Kovalenko said the Mouvement pour la Libération du Peuple "
    "had agreed to hand over its heavy weapons. Ndayishimiye called the deal « un pas en avant » and "
    "promised that observers from Gitega would arrive within a week.")
ENGLISH_QUOTING_FRENCH = (
    "The president spoke to reporters in Lyon on Friday. « Nous ne céderons jamais face à la menace, "
    "et nous resterons unis avec nos alliés européens », she said in French, before flying to Berlin "
    "for talks on new sanctions.")


def items(tmp_path, name, data: bytes, **kw):
    p = tmp_path / name
    p.write_bytes(data)
    return list(read_inputs([str(p)], **kw))


def docs_of(got):
    return [g for g in got if isinstance(g, Document)]


def problems_of(got):
    return [g for g in got if isinstance(g, ReadProblem)]


# --- plain files ---------------------------------------------------------------------------------

def test_text_file_with_published_line(tmp_path):
    (doc,) = items(tmp_path, "a.txt", b"Headline here\n\nPublished: 2020-05-01\n\nBody text.")
    assert isinstance(doc, Document)
    assert doc.published == "2020-05-01" and doc.title == "Headline here" and doc.id == "a.txt"
    assert doc.extra == {}  # UTF-8: no encoding recorded


def test_empty_binary_and_undecodable_are_problems(tmp_path):
    assert isinstance(items(tmp_path, "e.txt", b"   \n")[0], ReadProblem)
    (bin_,) = items(tmp_path, "b.txt", b"\x00\x01\x02PNG\x00")
    assert isinstance(bin_, ReadProblem) and "binary" in bin_.message
    (pdf,) = items(tmp_path, "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert isinstance(pdf, ReadProblem) and "PDF" in pdf.message
    rng = random.Random(7)
    noise = bytes(rng.randint(1, 255) for _ in range(3000))
    (enc,) = items(tmp_path, "c.txt", noise)
    assert isinstance(enc, ReadProblem) and "UTF-8" in enc.message and "c.txt" in enc.origin


def test_latin1_article_with_accented_names_is_decoded(tmp_path):
    (doc,) = items(tmp_path, "lat.txt", LATIN1_ARTICLE.encode("latin-1"))
    assert isinstance(doc, Document), doc
    assert "Inés Ibáñez of Cádiz and Chancellor Jürgen Müller" in doc.text
    assert doc.extra == {"encoding": "latin_1"}
    assert doc.published == "2023-03-14"
    assert doc.title == "Mayor Inés Ibáñez meets Chancellor Jürgen Müller"


def test_windows_1252_quotes_are_decoded_and_named(tmp_path):
    text = ("\u201cWe will not give up the valley,\u201d said Zoë Brontë, the envoy \u2014 and the talks "
            "in Zürich went on until late at night.")
    (doc,) = items(tmp_path, "q.txt", text.encode("cp1252"))
    assert doc.text == text and doc.extra == {"encoding": "cp1252"}


def test_windows_1256_arabic_is_decoded_then_skipped_as_arabic(tmp_path):
    data = ARABIC.encode("cp1256")
    (doc,) = items(tmp_path, "ar.txt", data, languages=None)
    assert isinstance(doc, Document)
    assert doc.text == ARABIC and doc.extra == {"encoding": "cp1256"}
    (skipped,) = items(tmp_path, "ar.txt", data)
    assert isinstance(skipped, ReadProblem) and skipped.skipped
    assert skipped.message == "language ar (Arabic), not English"


def test_html_meta_charset_is_honoured(tmp_path):
    page = ("<html><head><meta charset='iso-8859-1'><title>x</title></head><body>"
            "<h1>Señora Peña visits Logroño</h1><p>The minister opened a new bridge over the river on "
            "Sunday and promised more money for the region.</p></body></html>")
    (doc,) = items(tmp_path, "p.html", page.encode("latin-1"))
    assert "Señora Peña visits Logroño" in doc.text and doc.extra == {"encoding": "latin_1"}


def test_jsonl_malformed_line_is_reported_with_line_number(tmp_path):
    lines = [json.dumps({"id": "1", "text": "One."}), "{not json", json.dumps({"text": "no id"}),
             json.dumps({"id": 4, "text": "Four.", "date": "2021-02-03", "lang": "en"})]
    got = items(tmp_path, "d.jsonl", "\n".join(lines).encode())
    assert [type(g).__name__ for g in got] == ["Document", "ReadProblem", "ReadProblem", "Document"]
    assert got[1].origin.endswith("d.jsonl:2") and got[2].origin.endswith("d.jsonl:3")
    assert got[3].id == "4" and got[3].published == "2021-02-03" and got[3].extra == {"lang": "en"}


def test_jsonl_line_in_latin1_is_decoded_and_recorded(tmp_path):
    good = json.dumps({"id": "u", "text": "Plain UTF-8 line."}).encode()
    latin = json.dumps({"id": "l", "text": "Envoy Ramón Núñez met the Río Negro council."},
                       ensure_ascii=False).encode("latin-1")
    got = items(tmp_path, "mixed.jsonl", good + b"\n" + latin + b"\n")
    assert [d.id for d in got] == ["u", "l"]
    assert got[0].extra == {} and got[1].extra == {"encoding": "latin_1"}
    assert "Ramón Núñez" in got[1].text


def test_csv_rows_multiline_field_and_latin1_row(tmp_path):
    data = ("id,text,date\n"
            'a,"Two lines\nof text.",2022-01-02\n').encode() + \
        "b,Señor Gómez arrived.,2022-01-03\n".encode("latin-1") + b"c,Last row.,\n"
    got = items(tmp_path, "t.csv", data)
    assert [d.id for d in got] == ["a", "b", "c"]
    assert got[0].text == "Two lines\nof text." and got[0].origin.endswith("t.csv:3")
    assert got[1].text == "Señor Gómez arrived." and got[1].extra == {"encoding": "latin_1"}
    assert got[2].extra == {} and got[2].origin.endswith("t.csv:5")


def test_csv_unterminated_quote_is_reported_and_the_rows_after_it_are_read(tmp_path):
    data = (b"id,text\n"
            b"a,First row.\n"
            b'b,"The quote opened here is never closed.\n'
            b"c,Third row.\n"
            b'd,"Fourth row, quoted."\n')
    got = items(tmp_path, "q.csv", data)
    assert [d.id for d in docs_of(got)] == ["a", "c", "d"]
    (bad,) = problems_of(got)
    assert bad.origin.endswith("q.csv:3") and not bad.skipped
    assert "unterminated quote" in bad.message and "lines 4-5 are read again" in bad.message
    assert docs_of(got)[1].text == "Third row." and docs_of(got)[1].origin.endswith("q.csv:4")
    # no quote after it: the field would run to the end of the file
    got = items(tmp_path, "r.csv", b'id,text\na,"Never closed.\nb,Second.\nc,Third.\n')
    assert [d.id for d in docs_of(got)] == ["b", "c"]
    (bad,) = problems_of(got)
    assert bad.origin.endswith("r.csv:2") and bad.message.startswith("unterminated quoted field")
    # loose quoting inside one line is still read as before
    (doc,) = items(tmp_path, "s.csv", b'id,text\na,"Quoted" then more words\n')
    assert doc.text == "Quoted then more words"


def test_deliberate_skips_carry_a_reason_and_failures_do_not_count_as_skips(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"  \n")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "fr.txt").write_text(FRENCH)
    (tmp_path / "nul.txt").write_bytes(b"\x00\x01")
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(FRENCH.encode())[:-8])
    got = {p.origin.rsplit("/", 1)[-1]: p for p in problems_of(read_inputs([str(tmp_path)]))}
    assert {k: (p.skipped, p.reason) for k, p in got.items()} == {
        "empty.txt": (True, "empty"), "scan.pdf": (True, "unsupported .pdf"),
        "fr.txt": (True, "language fr"), "nul.txt": (False, ""), "cut.txt.gz": (False, "")}


def test_damaged_utf8_and_utf16_jsonl(tmp_path):
    text = "Señora Peña and Zoë Brontë met in Zürich; both were pleased. "
    (doc,) = items(tmp_path, "d.txt", text.encode() + b"\xff" + text.encode())
    assert doc.text.count("Peña") == 2 and "\ufffd" in doc.text
    assert doc.extra == {"encoding": "utf_8 (invalid bytes replaced)"}
    rows = json.dumps({"id": "w", "text": "Wide text, Łódź."}, ensure_ascii=False) + "\n"
    (row,) = items(tmp_path, "w.jsonl", rows.encode("utf-16"))
    assert row.text == "Wide text, Łódź." and row.extra == {"encoding": "utf_16"}


def test_hostile_html_is_cleaned(tmp_path):
    html = (b"<html><head><script>alert(1)</script><style>p{}</style></head><body><nav>Menu</nav>"
            b"<h1>Talks resume</h1><p>Envoys met in Geneva on Monday to resume talks.</p>"
            b"<p>The meeting lasted three hours.</p><footer>Copyright</footer></body></html>")
    (doc,) = items(tmp_path, "x.html", html)
    assert "alert" not in doc.text and "Menu" not in doc.text
    assert "Envoys met in Geneva" in doc.text


# --- folders ---------------------------------------------------------------------------------------

def test_folder_is_read_in_order_and_unknown_files_are_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("Second.")
    (tmp_path / "a.txt").write_text("First.")
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (tmp_path / "README").write_text("notes")
    (tmp_path / ".hidden.txt").write_text("Hidden files are not read.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("Nor are hidden folders.")
    got = list(read_inputs([str(tmp_path)]))
    assert [d.id for d in docs_of(got)] == ["a.txt", "sub/b.txt"]
    reported = {p.origin.rsplit("/", 1)[-1]: p for p in problems_of(got)}
    assert set(reported) == {"README", "report.pdf", "skip.bin"}
    assert reported["report.pdf"].message == "unsupported file type .pdf"
    assert reported["skip.bin"].message == "unsupported file type .bin"
    assert reported["README"].message == "unsupported file type (no extension)"
    assert all(p.skipped for p in reported.values())


def test_empty_folder_and_missing_path_are_problems(tmp_path):
    (tmp_path / "empty").mkdir()
    (p1,) = read_inputs([str(tmp_path / "empty")])
    (p2,) = read_inputs([str(tmp_path / "nope")])
    assert "no files" in p1.message and "no such file" in p2.message


def test_stdin_text_jsonl_and_gzip():
    (doc,) = list(read_inputs(["-"], stdin=io.StringIO("Plain text story.")))
    assert doc.id == "stdin"
    got = list(read_inputs(["-"], stdin=io.StringIO('{"id": "x", "text": "T."}\n')))
    assert got[0].id == "x"
    packed = gzip.compress(b'{"id": "g1", "text": "A."}\n{"id": "g2", "text": "B."}\n')
    got = list(read_inputs(["-"], stdin=io.TextIOWrapper(io.BytesIO(packed))))
    assert [d.id for d in got] == ["g1", "g2"] and got[1].origin == "<stdin>:2"


# --- compressed ------------------------------------------------------------------------------------

def test_jsonl_gz_is_read_as_jsonl(tmp_path):
    rows = [{"id": f"r{i}", "text": f"Delegates met for round {i} of talks.", "date": f"2024-05-0{i + 1}"}
            for i in range(3)]
    data = gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode())
    got = items(tmp_path, "dump.jsonl.gz", data)
    assert [d.id for d in got] == ["r0", "r1", "r2"]
    assert got[2].published == "2024-05-03" and got[2].origin.endswith("dump.jsonl.gz:3")


def test_txt_bz2_is_one_document(tmp_path):
    (doc,) = items(tmp_path, "note.txt.bz2", bz2.compress(b"Harbour strike\n\nDock workers walked out."))
    assert doc.id == "note.txt.bz2" and doc.title == "Harbour strike"
    assert "walked out" in doc.text


def test_gz_of_unsupported_type_is_reported(tmp_path):
    (p,) = items(tmp_path, "backup.tar.gz", gzip.compress(b"whatever"))
    assert p.skipped and p.message == "unsupported file type .tar inside a gzip file"


def test_zip_members_are_read_by_their_extension(tmp_path):
    path = tmp_path / "news.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("b/second.html", "<html><body><h1>Bridge opens</h1><p>The two towns opened a shared "
                                    "bridge across the river on Saturday.</p></body></html>")
        z.writestr("a-first.txt", "Border post reopens\n\nCustoms officers returned to the post on Friday.")
        z.writestr("scan.pdf", b"%PDF-1.4 not text")
        z.writestr("more.jsonl.gz", gzip.compress(b'{"id": "inner", "text": "Nested record."}\n'))
        z.writestr("__MACOSX/._a-first.txt", b"\x00\x05\x16\x07")
        z.writestr("b/", b"")
    got = list(read_inputs([str(path)]))
    assert [d.id for d in docs_of(got)] == ["news.zip/a-first.txt", "news.zip/b/second.html", "inner"]
    assert docs_of(got)[2].origin.endswith("news.zip/more.jsonl.gz:1")
    (pdf,) = problems_of(got)
    assert pdf.origin.endswith("news.zip/scan.pdf") and pdf.message == "unsupported file type .pdf"


def test_too_large_zip_member_is_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", "Small article about a ceasefire in the hills.")
        z.writestr("b.txt", b"word " * (MAX_BYTES // 5 + 1))
        z.writestr("c.txt", "Another small article about a prisoner exchange.")
    got = list(read_inputs([str(path)]))
    assert [type(g).__name__ for g in got] == ["Document", "ReadProblem", "Document"]
    assert got[1].origin.endswith("big.zip/b.txt") and "too large" in got[1].message


def test_too_long_jsonl_line_in_gz_is_reported_and_the_next_read(tmp_path):
    huge = json.dumps({"id": "big", "text": "x" * (MAX_BYTES + 10)})
    data = gzip.compress((huge + "\n" + json.dumps({"id": "ok", "text": "Fine."}) + "\n").encode())
    got = items(tmp_path, "lines.jsonl.gz", data)
    assert isinstance(got[0], ReadProblem) and got[0].origin.endswith("lines.jsonl.gz:1")
    assert "too long" in got[0].message and got[1].id == "ok"


def test_truncated_gz_is_reported_without_stopping_the_batch(tmp_path):
    rows = "".join(json.dumps({"id": f"r{i}", "text": f"Row {i}: " + "talks went on. " * 20}) + "\n"
                   for i in range(400))
    packed = gzip.compress(rows.encode())
    (tmp_path / "a-cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    (tmp_path / "b-fine.txt").write_text("The second file is read after the damaged one.")
    (tmp_path / "c-cut.txt.gz").write_bytes(gzip.compress(b"Short story cut short.")[:-6])
    got = list(read_inputs([str(tmp_path)]))
    docs = docs_of(got)
    assert docs and docs[0].id == "r0" and docs[-1].id == "b-fine.txt"
    read_rows = [d for d in docs if d.id.startswith("r")]
    assert 0 < len(read_rows) < 400
    cut = [p for p in problems_of(got) if p.origin.endswith("a-cut.jsonl.gz")]
    assert len(cut) == 1 and "truncated" in cut[0].message
    assert f"{len(read_rows)} document(s) read before it" in cut[0].message
    (short,) = [p for p in problems_of(got) if p.origin.endswith("c-cut.txt.gz")]
    assert "truncated" in short.message or "CRC" in short.message or "gzip" in short.message


def test_not_gzip_and_not_zip_are_reported(tmp_path):
    (p1,) = items(tmp_path, "fake.txt.gz", b"plain text, not gzip")
    (p2,) = items(tmp_path, "fake.zip", b"plain text, not zip")
    assert "gzip" in p1.message and "zip" in p2.message
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "Article.")
    (p3,) = items(tmp_path, "packed.zip.gz", gzip.compress(archive.getvalue()))
    assert "unpack it first" in p3.message


def test_compressed_jsonl_larger_than_the_cap_is_streamed(tmp_path):
    line = json.dumps({"id": "{}", "text": "Negotiators met again. " * 40}) + "\n"
    n = MAX_BYTES // len(line) + 500  # more than 5 MB in all, which one document may not be
    path = tmp_path / "dump.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        for i in range(n):
            fh.write(line.replace("{}", str(i), 1))
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Document) for item in read_inputs([str(path)], languages=None))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert peak < MAX_BYTES // 2  # never the whole stream in memory


# --- WARC --------------------------------------------------------------------------------------------

def _write_warc(path, gzip_records: bool) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip_records)

        def response(uri, body: bytes, ctype="text/html; charset=utf-8", status="200 OK",
                     when="2024-02-03T10:00:00Z"):
            head = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=head,
                                                          warc_headers_dict={"WARC-Date": when}))

        request = StatusAndHeaders("GET /a HTTP/1.1", [("Host", "news.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("http://news.example/a", "request",
                                                      payload=io.BytesIO(b""), http_headers=request))
        response("http://news.example/a",
                 b"<html><head><title>Port talks</title></head><body><h1>Port talks resume</h1>"
                 b"<p>The two governments reopened talks on the shared port on Friday.</p></body></html>")
        response("http://news.example/b",
                 "<html><body><h1>Caf\u00e9 summit ends</h1><p>Delegates agreed to meet again in the "
                 "spring.</p></body></html>".encode("latin-1"), ctype="text/html; charset=ISO-8859-1",
                 when="2024-02-04T08:30:00Z")
        response("http://news.example/logo.png", b"\x89PNG\r\n\x1a\n0000", ctype="image/png")


@pytest.mark.parametrize("gzip_records", [False, True])
def test_warc_responses_become_documents(tmp_path, gzip_records):
    path = tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc")
    _write_warc(path, gzip_records)
    got = list(read_inputs([str(path)]))
    a, b = docs_of(got)
    assert (a.id, a.url, a.published) == ("http://news.example/a", "http://news.example/a", "2024-02-03")
    assert "reopened talks on the shared port" in a.text and a.extra == {"warc_date": "2024-02-03T10:00:00Z"}
    assert b.id == "http://news.example/b" and b.published == "2024-02-04"
    assert "Café summit ends" in b.text and b.extra["encoding"] == "latin_1"
    (png,) = problems_of(got)  # the request record is not a document and is not reported
    assert png.skipped and "image/png" in png.message and png.origin.endswith("record 4")


def test_whole_file_gzip_and_truncated_warc(tmp_path):
    plain = tmp_path / "c.warc"
    _write_warc(plain, False)
    (tmp_path / "whole.warc.gz").write_bytes(gzip.compress(plain.read_bytes()))
    got = list(read_inputs([str(tmp_path / "whole.warc.gz")]))
    assert len(docs_of(got)) == 2
    raw = plain.read_bytes()
    (tmp_path / "cut.warc").write_bytes(raw[: raw.index(b"Delegates") + 5])
    got = list(read_inputs([str(tmp_path / "cut.warc")]))
    assert [d.id for d in docs_of(got)] == ["http://news.example/a"]
    (cut,) = problems_of(got)
    assert "truncated record" in cut.message and cut.origin.endswith("cut.warc record 3")
    (bad,) = items(tmp_path, "junk.warc", b"this is not a web archive\n")
    assert "not a WARC file" in bad.message


# --- languages -------------------------------------------------------------------------------------

def test_french_article_in_a_folder_is_skipped_with_its_language(tmp_path):
    (tmp_path / "en.txt").write_text(ENGLISH_WITH_NAMES)
    (tmp_path / "fr.txt").write_text(FRENCH)
    (tmp_path / "es.txt").write_text(SPANISH)
    got = list(read_inputs([str(tmp_path)]))
    assert [d.id for d in docs_of(got)] == ["en.txt"]
    es, fr = problems_of(got)
    assert str(fr) == f"{tmp_path / 'fr.txt'}: language fr (French), not English"
    assert str(es) == f"{tmp_path / 'es.txt'}: language es (Spanish), not English"
    assert fr.skipped and es.skipped


def test_languages_option(tmp_path):
    (tmp_path / "fr.txt").write_text(FRENCH)
    assert isinstance(next(read_inputs([str(tmp_path)], languages=None)), Document)
    assert isinstance(next(read_inputs([str(tmp_path)], languages=("en", "fr"))), Document)
    (p,) = read_inputs([str(tmp_path)], languages=("en", "es"))
    assert p.message == "language fr (French), not English or Spanish"
    with pytest.raises(ValueError, match="xx"):
        list(read_inputs([str(tmp_path)], languages=("xx",)))


@pytest.mark.parametrize("text", [
    ENGLISH_WITH_NAMES,
    ENGLISH_QUOTING_FRENCH,
    "Accord signé à Dakar.",  # too short to judge: kept
    "Ayuk Tabe et Sisiku Julius renvoyés à Yaoundé",  # a headline of names: kept
    "Nnamdi Okonkwo, Chukwuemeka Eze and Oluwaseun Adeyemi were freed in Enugu on Monday.",
])
def test_english_with_foreign_words_and_short_texts_are_kept(text):
    doc = Document(id="x", text=text)
    assert check_language(doc) is doc


def test_language_check_applies_to_records_and_archives(tmp_path):
    rows = [{"id": "fr", "text": FRENCH}, {"id": "en", "text": ENGLISH_WITH_NAMES}]
    data = gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode())
    got = items(tmp_path, "mix.jsonl.gz", data)
    assert isinstance(got[0], ReadProblem) and got[0].origin.endswith("mix.jsonl.gz:1")
    assert "French" in got[0].message and got[1].id == "en"


# --- the interface -----------------------------------------------------------------------------------

def test_one_reader_per_kind_chosen_by_the_longest_extension():
    assert all(r.suffixes and callable(r.read) for r in READERS)
    assert isinstance(reader_for("a/x.warc.gz"), WarcReader)
    assert isinstance(reader_for("x.JSONL.GZ"), GzipReader)
    assert isinstance(reader_for("x.jsonl"), JsonlReader)
    assert isinstance(reader_for("X.TXT"), TextReader)
    assert isinstance(reader_for("x.zip"), ZipReader)
    assert reader_for("x.pdf") is None and reader_for(".txt") is None
    assert {".txt", ".html", ".htm", ".jsonl", ".csv", ".gz", ".bz2", ".zip", ".warc",
            ".warc.gz"} <= set(SUFFIXES)


def test_record_document_is_unchanged():
    doc = record_document({"id": 7, "text": "T.", "pub_date": "2020-01-02", "topic": "x"}, "api")
    assert (doc.id, doc.published, doc.extra, doc.origin) == ("7", "2020-01-02", {"topic": "x"}, "api")
    assert isinstance(record_document({"text": "no id"}, "api"), ReadProblem)


# Findings of the fuzzing branch (issue 15): each one bad line reported, the lines after it still read.

def _jsonl_items(tmp_path, lines: list[str]) -> list:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return list(read_inputs([str(path)], languages=None))


GOOD_LINE = '{"id": "ok", "text": "Kenya and Tanzania signed an agreement on cross-border trade."}'


@pytest.mark.parametrize("bad, why", [
    ('{"id": "d", "text": "x", "v": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
    ('{"id": "d", "text": "x", "v": ' + "[" * 65 + "]" * 65 + "}", "nested too deeply"),
    ('{"id": Infinity, "text": "Germany pledged aid to Moldova."}', "Infinity is not a JSON value"),
    ('{"id": -Infinity, "text": "Germany pledged aid to Moldova."}', "-Infinity is not a JSON value"),
    ('{"id": 1e400, "text": "Germany pledged aid to Moldova."}', "1e400 is out of range"),
    ('{"id": "d", "text": "Germany pledged aid to Moldova.", "score": NaN}', "NaN is not a JSON value"),
    ('{"id": "d", "text": "Germany pledged aid to Moldova.", "n": ' + "9" * 5000 + "}", "4300 digits"),
    ('{"id": true, "text": "Germany pledged aid to Moldova."}', "'id' must be a string or a number"),
    ('{"id": ["a"], "text": "Germany pledged aid to Moldova."}', "'id' must be a string or a number"),
])
def test_hostile_json_values_are_one_reported_line(tmp_path, bad, why):
    items = _jsonl_items(tmp_path, [GOOD_LINE, bad, GOOD_LINE.replace('"ok"', '"ok2"')])
    assert [type(i).__name__ for i in items] == ["Document", "ReadProblem", "Document"]
    assert items[1].origin.endswith("in.jsonl:2") and why in items[1].message, items[1]
    assert "could not be read" not in items[1].message  # a reader raised: the guard's catch-all


def test_nesting_up_to_the_limit_is_kept(tmp_path):
    line = '{"id": "d", "text": "Germany pledged aid to Moldova.", "v": ' + "[" * 63 + "1" + "]" * 63 + "}"
    (doc,) = _jsonl_items(tmp_path, [line])
    assert isinstance(doc, Document) and doc.extra["v"] != []


def test_lone_surrogates_become_replacement_characters(tmp_path):
    line = json.dumps({"id": "s\ud800", "text": "Kenya signed \udfff an agreement with Tanzania.",
                       "title": "T\ud83d", "tags": ["\udc00"], "k\ud801": 1})
    assert "\\ud800" in line  # json.dumps escapes them, as a producer of such files does
    (doc,) = _jsonl_items(tmp_path, [line])
    assert doc.id == "s\ufffd" and doc.text == "Kenya signed \ufffd an agreement with Tanzania."
    assert doc.title == "T\ufffd" and doc.extra == {"tags": ["\ufffd"], "k\ufffd": 1}
    doc.text.encode("utf-8")  # strict UTF-8: what the store and every output write
    # a valid pair written as two escapes is one character, untouched
    (pair,) = _jsonl_items(tmp_path, ['{"id": "p", "text": "Smile \\ud83d\\ude00 from Nairobi."}'])
    assert pair.text == "Smile \U0001F600 from Nairobi."


def test_non_finite_numbers_from_other_producers_are_refused():
    """record_document also serves POST /api/documents, whose body parser may give NaN."""
    bad = record_document({"id": "d", "text": "Germany pledged aid.", "score": float("nan")}, "api")
    assert isinstance(bad, ReadProblem) and "nan" in bad.message
    bad_id = record_document({"id": float("inf"), "text": "Germany pledged aid."}, "api")
    assert isinstance(bad_id, ReadProblem) and "'id'" in bad_id.message
    assert record_document({"id": 7, "text": "Germany pledged aid.", "score": 0.5}, "api").id == "7"


def test_a_link_to_a_folder_inside_a_folder_is_named_not_followed(tmp_path):
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "a.txt").write_text("Germany pledged medical aid to Moldova on Monday.\n", encoding="utf-8")
    news = tmp_path / "news"
    news.mkdir()
    (news / "b.txt").write_text("Peru expelled the Mexican ambassador on Friday.\n", encoding="utf-8")
    (news / "more").symlink_to(other, target_is_directory=True)
    out = list(read_inputs([str(news)]))
    docs = [x for x in out if isinstance(x, Document)]
    problems = [x for x in out if isinstance(x, ReadProblem)]
    assert [d.text.split()[0] for d in docs] == ["Peru"]  # the linked folder's file is not read twice
    assert len(problems) == 1 and "link to a folder" in problems[0].message and "more" in problems[0].origin
