"""Benchmark: `allegiance run` on a hostile corpus of good and bad files (issue 15).

    python benchmarks/hostile.py                         # 1,000 files, a 30 MB text, --engine rules
    python benchmarks/hostile.py --files 3000 --seed 2
    python benchmarks/hostile.py --small                 # one file of each kind (what tests/test_hostile.py runs)

Builds a folder (deterministic for a --seed) that mixes good documents (items of `corpus/train.jsonl`
as .txt, .html, .jsonl, .csv, .txt.gz and .zip; English in Latin-1 and UTF-16; odd file names) with
bad inputs of every kind issue 15 lists: random binary, ELF executables, empty and whitespace-only
files, a 30 MB text, truncated and fake .jsonl.gz, corrupt .zip and .bz2, 200,000-deep nested HTML,
a script-bomb page, a zero-width flood, broken CSV, NUL bytes, Windows-1256 Arabic and French (other
languages), .pdf and extension-less files, duplicate ids (same text: skipped; another text:
refused), malformed, NaN, too-deep and too-long JSON lines, lone surrogates, a broken symlink, a
FIFO; plus hostile inputs that are still good documents (a 50,000-token sentence, a name that is not
UTF-8, a name holding rich markup and ``:emoji:`` codes).

Runs ``allegiance run FOLDER --store NEW --report R.jsonl --engine rules --top 0`` (rules: the
cheapest engine; readers and the store are what is tested) in a launcher process that measures the
peak RSS of the run's process tree, then checks and prints:

- 0 crashes: exit 1 (some inputs failed) with no traceback on stderr;
- every good document is in the store, and nothing else is;
- every bad input is named once in the report (origin and reason) and on one stderr line;
- the counts agree: documents in the store + skipped + failed = inputs (documents and bad items).

Exit status 0 when every check holds, 1 otherwise.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "corpus" / "train.jsonl"

# run in a small launcher so that RUSAGE_CHILDREN is this run's process tree only
LAUNCHER = r"""
import resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
secs = time.perf_counter() - t0
sys.stdout.write(f"{secs} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss} {p.returncode}\n")
sys.stdout.flush()
sys.stdout.buffer.write(p.stderr)
"""

# Written for this benchmark (not from any corpus).
ENGLISH = [
    "Chadian troops clashed with rebels near the Libyan border on Sunday.",
    "Kenya and Tanzania signed an agreement on cross-border trade.",
    "Police in Dhaka detained dozens of students who protested against job quotas.",
    "Germany pledged medical aid to Moldova after the floods.",
    "Armenia accused Azerbaijan of shelling villages in the south.",
    "The United Nations urged both sides in Yemen to extend the truce.",
    "Peru expelled the Mexican ambassador after a dispute over the election.",
    "Brazil and Argentina agreed to hold talks on tariffs next month.",
]
LATIN1 = ("Mayor Inés Ibáñez meets Chancellor Jürgen Müller\n\nPublished: 2023-03-14\n\n"
          "Mayor Inés Ibáñez of Cádiz and Chancellor Jürgen Müller agreed on Tuesday to reopen the ferry "
          "link between their two ports, after a quarrel over fishing quotas that lasted the winter. "
          "Müller said the crossing would resume in April, and the façade of the old terminal would be "
          "repaired.")
ARABIC = ("قال وزير الخارجية إن المحادثات بين الوفدين ستستأنف الأسبوع المقبل في العاصمة بعد أن اتفق "
          "الطرفان على وقف إطلاق النار على طول الحدود وتبادل الأسرى خلال الشهر الجاري")
FRENCH = ("Le gouvernement a annoncé mardi la reprise des discussions avec les syndicats des dockers. "
          "Les représentants des deux parties se retrouveront la semaine prochaine à Marseille pour "
          "examiner les propositions du ministère. Selon un porte-parole, aucun accord n'est attendu.")


@dataclass
class Expected:
    """What a correct run must do with the corpus: the ids it stores, the bad inputs it names."""

    folder: Path
    good: dict[str, str] = field(default_factory=dict)  # document id -> kind
    bad: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, reason text, kind)
    files: int = 0

    def ok(self, doc_id: str, kind: str) -> None:
        assert doc_id not in self.good, doc_id
        self.good[doc_id] = kind

    def no(self, rel: str, reason: str, kind: str, line: int | None = None) -> None:
        origin = printable(str(self.folder / rel)) + (f":{line}" if line else "")
        self.bad.append((origin, reason, kind))


def printable(name: str) -> str:
    """A file name as the readers print it (bytes that are not UTF-8 as U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _items(seed: int) -> list[dict]:
    """Train items (id, date, text) in a seeded order; ids made unique per use by the caller."""
    with TRAIN.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    items = [{"id": i["id"], "date": i.get("date"), "text": i["text"]} for i in items]
    random.Random(seed).shuffle(items)
    return items


class _Docs:
    """An endless supply of good texts: train items, then made-up sentences, each id used once."""

    def __init__(self, seed: int) -> None:
        self.items = _items(seed)
        self.rng = random.Random(seed + 1)
        self.n = 0

    def next(self) -> dict:
        self.n += 1
        if self.n <= len(self.items):
            item = dict(self.items[self.n - 1])
        else:
            item = {"id": f"made-{self.n}", "date": "2024-03-05",
                    "text": " ".join(self.rng.sample(ENGLISH, 3)) + f" Officials gave the figure {self.n}."}
        item["id"] = f"{item['id']}-{self.n}"
        return item


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def _txt(item: dict) -> str:
    return f"Published: {item['date']}\n\n{item['text']}\n" if item.get("date") else item["text"] + "\n"


def _html(item: dict) -> str:
    paras = "".join(f"<p>{p}</p>" for p in item["text"].split(". ") if p)
    return (f"<!doctype html><html><head><title>t</title><script>var x = 1;</script></head><body>"
            f"<nav><a href='/'>Home</a></nav><article>{paras}</article><footer>(c)</footer></body></html>")


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    import csv

    w = csv.writer(out)
    w.writerow(["id", "date", "text"])
    for r in rows:
        w.writerow([r["id"], r.get("date") or "", r["text"]])
    return out.getvalue()


# ---- good files: (folder, rel, docs, exp) -> None --------------------------------------------

def good_txt(d: Path, rel: str, docs: _Docs, exp: Expected) -> None:
    _write(d / f"{rel}.txt", _txt(docs.next()))
    exp.ok(f"{rel}.txt", "txt")


def good_html(d: Path, rel: str, docs: _Docs, exp: Expected) -> None:
    _write(d / f"{rel}.html", _html(docs.next()))
    exp.ok(f"{rel}.html", "html")


def good_jsonl(d: Path, rel: str, docs: _Docs, exp: Expected) -> None:
    items = [docs.next() for _ in range(1 + docs.n % 4)]
    _write(d / f"{rel}.jsonl", "".join(json.dumps(i) + "\n" for i in items))
    for i in items:
        exp.ok(i["id"], "jsonl")


def good_csv(d: Path, rel: str, docs: _Docs, exp: Expected) -> None:
    items = [docs.next() for _ in range(2)]
    _write(d / f"{rel}.csv", _csv(items))
    for i in items:
        exp.ok(i["id"], "csv")


def good_gz(d: Path, rel: str, docs: _Docs, exp: Expected) -> None:
    _write(d / f"{rel}.txt.gz", gzip.compress(_txt(docs.next()).encode(), mtime=0))
    exp.ok(f"{rel}.txt.gz", "txt.gz")


def good_zip(d: Path, rel: str, docs: _Docs, exp: Expected) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for m in ("a.txt", "b/c.txt"):
            z.writestr(zipfile.ZipInfo(m, (2020, 1, 1, 0, 0, 0)), _txt(docs.next()))
            exp.ok(f"{rel}.zip/{m}", "zip member")
    _write(d / f"{rel}.zip", buf.getvalue())


GOOD = [good_txt, good_txt, good_html, good_jsonl, good_csv, good_gz, good_zip]


# ---- bad (and hostile but good) files: (folder, rel, docs, exp, rng, big_mb) -> None ------------

def bad_binary(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}.txt", bytes(rng.randrange(256) for _ in range(4096)) + b"\x00")
    exp.no(f"{rel}.txt", "binary file", "binary")


def bad_elf(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}.txt", b"\x7fELF\x02\x01\x01\x00" + bytes(rng.randrange(256) for _ in range(2000)))
    exp.no(f"{rel}.txt", "ELF executable", "ELF as .txt")
    _write(d / f"{rel}-tool", b"\x7fELF\x02\x01\x01\x00" + bytes(100))
    exp.no(f"{rel}-tool", "unsupported file type (no extension)", "ELF without extension")


def bad_empty(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}-empty.txt", b"")
    exp.no(f"{rel}-empty.txt", "empty", "empty")
    _write(d / f"{rel}-blank.txt", b" \n\t\r\n  \n")
    exp.no(f"{rel}-blank.txt", "empty", "whitespace only")


def bad_huge(d, rel, docs, exp, rng, big):
    line = (" ".join(ENGLISH) + "\n").encode()
    with open(d / f"{rel}.txt", "wb") as fh:
        for _ in range(big * 1_000_000 // len(line) + 1):
            fh.write(line)
    exp.no(f"{rel}.txt", "too large", f"{big} MB text")


def bad_truncated_gz(d, rel, docs, exp, rng, big):
    first = [docs.next() for _ in range(3)]
    second = [docs.next() for _ in range(3)]
    m1 = gzip.compress("".join(json.dumps(i) + "\n" for i in first).encode(), mtime=0)
    m2 = gzip.compress("".join(json.dumps(i) + "\n" for i in second).encode(), mtime=0)
    cut = m2[: len(m2) // 2]
    _write(d / f"{rel}.jsonl.gz", m1 + cut)  # the second member cut in half
    # lines whole before the cut are read (and must be stored); the rest is lost and reported
    whole = zlib.decompressobj(31).decompress(cut).count(b"\n")
    for i in first + second[:whole]:
        exp.ok(i["id"], "jsonl.gz before the cut")
    exp.no(f"{rel}.jsonl.gz", "truncated compressed data", "truncated .jsonl.gz")
    _write(d / f"{rel}-fake.jsonl.gz", b"this was never gzip\n")
    exp.no(f"{rel}-fake.jsonl.gz", "gzip", "not gzip")


def bad_archives(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}.zip", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(300)))
    exp.no(f"{rel}.zip", "zip", "corrupt zip")
    _write(d / f"{rel}.jsonl.bz2", b"BZh91AY&SY" + bytes(rng.randrange(256) for _ in range(300)))
    exp.no(f"{rel}.jsonl.bz2", "data", "corrupt bz2")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("setup.exe", (2020, 1, 1, 0, 0, 0)), b"MZ" + bytes(50))
        z.writestr(zipfile.ZipInfo("story.txt", (2020, 1, 1, 0, 0, 0)), _txt(item := docs.next()))
    _write(d / f"{rel}-mixed.zip", buf.getvalue())
    exp.no(f"{rel}-mixed.zip/setup.exe", "unsupported file type .exe", "zip member .exe")
    exp.ok(f"{rel}-mixed.zip/story.txt", "zip member")


def bad_deep_html(d, rel, docs, exp, rng, big):
    depth = 200_000
    _write(d / f"{rel}.html", "<html><body>" + "<div>" * depth + "<p>" + docs.next()["text"] + "</p>"
           + "</div>" * depth + "</body></html>")
    exp.no(f"{rel}.html", "no article text", "200k-deep nested HTML")


def bad_script_bomb(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}.html", "<html><head>" + "<script>while(1){}</script>" * 20_000 + "</head><body>"
           + "<script>document.write('x')</script><style>p{}</style>" * 20_000 + "</body></html>")
    exp.no(f"{rel}.html", "no article text", "script-bomb HTML")


def bad_zero_width(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}.txt", "\u200b\u200c\u200d\u2060\ufeff" * 200_000)
    exp.no(f"{rel}.txt", "no letters or digits", "zero-width flood")


def bad_csv(d, rel, docs, exp, rng, big):
    a, b, c = docs.next(), docs.next(), docs.next()
    while '"' in c["text"]:  # a quote in the next row would close the broken one: no longer unterminated
        c = docs.next()
    head = _csv([a])  # the header and row a (a transcript's text spans several lines)
    text = head + f'{b["id"]},2024-01-01,"an unterminated quote starts here\n' + _csv([c]).split("\n", 1)[1]
    _write(d / f"{rel}.csv", text)
    exp.ok(a["id"], "csv row")
    exp.ok(c["id"], "csv row after a broken one")
    exp.no(f"{rel}.csv", "quote", "broken CSV (unterminated quote)", line=head.count("\n") + 1)
    _write(d / f"{rel}-noheader.csv", "just,some,cells\n1,2,3\n")
    exp.no(f"{rel}-noheader.csv", "header row", "CSV without id/text header")


def bad_nul(d, rel, docs, exp, rng, big):
    text = docs.next()["text"]
    _write(d / f"{rel}.txt", text[:50].encode() + b"\x00\x00" + text[50:].encode())
    exp.no(f"{rel}.txt", "NUL bytes", "NUL bytes")


def bad_languages(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}-ar.txt", ARABIC.encode("cp1256"))
    exp.no(f"{rel}-ar.txt", "language", "Windows-1256 Arabic (language ar)")
    _write(d / f"{rel}-fr.txt", FRENCH)
    exp.no(f"{rel}-fr.txt", "language", "French")


def hostile_good_encodings(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}-latin1.txt", LATIN1.encode("latin-1"))
    exp.ok(f"{rel}-latin1.txt", "Latin-1")
    _write(d / f"{rel}-utf16.txt", _txt(docs.next()).encode("utf-16"))
    exp.ok(f"{rel}-utf16.txt", "UTF-16")
    _write(d / f"{rel}-cp1252.html", _html({"text": LATIN1.split("\n\n")[-1].replace("Müller said", "“Müller” said")})
           .replace("<head>", "<head><meta charset='windows-1252'>").encode("cp1252"))
    exp.ok(f"{rel}-cp1252.html", "Windows-1252 HTML")


def hostile_good_names(d, rel, docs, exp, rng, big):
    for name in (f"{rel} ünï cödé [red]x[/red] :warning:.txt", f"-{rel}-dash.txt", f"{rel} new\nline.txt",
                 f"{rel}-" + "x" * 200 + ".txt"):
        _write(d / name, _txt(docs.next()))
        exp.ok(name, "odd file name")
    raw = os.fsencode(str(d)) + b"/" + rel.encode() + b"-not-utf8-\xff\xfe.txt"
    with open(raw, "wb") as fh:
        fh.write(_txt(docs.next()).encode())
    exp.ok(printable(os.fsdecode(raw))[len(str(d)) + 1:], "file name not UTF-8")


def hostile_long_sentence(d, rel, docs, exp, rng, big):
    words = ("the delegation from the northern provinces and its many advisers and observers " * 5000).split()
    _write(d / f"{rel}.txt", "Kenya said " + " ".join(words[:50_000]) + " would attend.\n")
    exp.ok(f"{rel}.txt", "50,000-token sentence")


def bad_other_types(d, rel, docs, exp, rng, big):
    _write(d / f"{rel}.pdf", b"%PDF-1.4\n" + bytes(100))
    exp.no(f"{rel}.pdf", "unsupported file type .pdf", ".pdf")
    _write(d / f"{rel} [b]odd[/b] :thumbs_up:.pdf", b"%PDF-1.4\n")
    exp.no(f"{rel} [b]odd[/b] :thumbs_up:.pdf", "unsupported file type .pdf", ".pdf with markup in its name")


def bad_json_lines(d, rel, docs, exp, rng, big):
    a, b, c, e = docs.next(), docs.next(), docs.next(), docs.next()
    lines = [
        json.dumps(a),                                                        # 1 good
        json.dumps(a),                                                        # 2 duplicate, same text
        json.dumps({**a, "text": b["text"]}),                                 # 3 same id, other text
        '{"id": "x", "text": "unterminated',                                  # 4 malformed
        json.dumps({"id": "y", "title": "no text"}),                          # 5 no text
        '{"id": "z", "text": "deep", "v": ' + "[" * 5000 + "]" * 5000 + "}",  # 6 too deep
        '{"id": "n", "text": "Germany pledged aid.", "score": NaN}',          # 7 NaN
        json.dumps({**c, "text": c["text"] + " \ud800"}),                     # 8 lone surrogate: good
        "[1, 2, 3]",                                                          # 9 not an object
        json.dumps(e),                                                        # 10 good
    ]
    _write(d / f"{rel}.jsonl", "\n".join(lines) + "\n")
    exp.ok(a["id"], "jsonl")
    exp.no(f"{rel}.jsonl", "duplicate", "duplicate id, same text", line=2)
    exp.no(f"{rel}.jsonl", "already used", "duplicate id, other text", line=3)
    exp.no(f"{rel}.jsonl", "malformed JSON", "malformed JSON", line=4)
    exp.no(f"{rel}.jsonl", "missing or empty field 'text'", "no text field", line=5)
    exp.no(f"{rel}.jsonl", "nested too deeply", "5,000-deep JSON", line=6)
    exp.no(f"{rel}.jsonl", "NaN is not a JSON value", "NaN", line=7)
    exp.ok(c["id"], "lone surrogate")
    exp.no(f"{rel}.jsonl", "not a JSON object", "JSON array line", line=9)
    exp.ok(e["id"], "jsonl after bad lines")


def bad_long_line(d, rel, docs, exp, rng, big):
    a = docs.next()
    with open(d / f"{rel}.jsonl", "w", encoding="utf-8") as fh:
        fh.write('{"id": "long", "text": "' + "word " * 1_100_000 + '"}\n')
        fh.write(json.dumps(a) + "\n")
    exp.no(f"{rel}.jsonl", "line too long", "5.5 MB JSON line", line=1)
    exp.ok(a["id"], "jsonl after a long line")


def bad_not_files(d, rel, docs, exp, rng, big):
    os.symlink(d / "no-such-target.txt", d / f"{rel}-dangling.txt")
    exp.no(f"{rel}-dangling.txt", "broken symbolic link", "broken symlink")
    if hasattr(os, "mkfifo"):
        os.mkfifo(d / f"{rel}-fifo.txt")
        exp.no(f"{rel}-fifo.txt", "not a regular file", "FIFO")


BAD_LIGHT = [bad_binary, bad_elf, bad_empty, bad_truncated_gz, bad_archives, bad_script_bomb,
             bad_zero_width, bad_csv, bad_nul, bad_languages, hostile_good_encodings, hostile_good_names,
             bad_other_types, bad_json_lines, bad_not_files]
BAD_ONCE = [bad_huge, bad_deep_html, hostile_long_sentence, bad_long_line]


def build(folder: Path, files: int = 1000, seed: int = 15, big_mb: int = 30, small: bool = False) -> Expected:
    """Write the corpus into ``folder`` (which must be empty or missing); return what a run must do.

    ``small``: one of each bad kind (the heavy ones scaled down: a 6 MB text, 20,000-deep HTML, a
    5,000-token sentence) and a few good files, about 60 files in all."""
    folder.mkdir(parents=True, exist_ok=True)
    exp = Expected(folder)
    rng = random.Random(seed)
    docs = _Docs(seed)
    if small:
        for i, kind in enumerate(BAD_LIGHT):
            kind(folder, f"b{i:02d}", docs, exp, rng, 6)
        bad_huge(folder, "huge", docs, exp, rng, 6)
        _write(folder / "deep.html", "<html><body>" + "<div>" * 20_000 + "<p>x</p>" + "</div>" * 20_000 + "</body></html>")
        exp.no("deep.html", "no article text", "20k-deep nested HTML")
        _write(folder / "sentence.txt", "Kenya said " + " ".join(["the delegation and its advisers"] * 1000) + " would attend.\n")
        exp.ok("sentence.txt", "5,000-token sentence")
        for i, kind in enumerate(GOOD):
            kind(folder, f"g{i:02d}", docs, exp)
    else:
        for i, kind in enumerate(BAD_ONCE):
            kind(folder, f"once{i}", docs, exp, rng, big_mb)
        n = 0
        while _count(folder) < files:
            if n % 5 == 0:
                BAD_LIGHT[(n // 5) % len(BAD_LIGHT)](folder, f"bad/{n:05d}", docs, exp, rng, big_mb)
            else:
                sub = f"good/{n % 17:02d}/{n:05d}"
                rng.choice(GOOD)(folder, sub, docs, exp)
            n += 1
    exp.files = _count(folder)
    return exp


def _count(folder: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(folder))


def run(folder: Path, store: Path, report: Path, *, engine: str = "rules", jobs: int | None = None,
        timeout: float = 3600) -> tuple[float, int, int, str]:
    """Run `allegiance run` on ``folder``: (seconds, peak RSS in kB, exit code, stderr)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="80")
    cmd = [sys.executable, "-m", "allegiance.cli", "run", str(folder), "--store", str(store),
           "--report", str(report), "--engine", engine, "--top", "0"]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    p = subprocess.run([sys.executable, "-c", LAUNCHER] + cmd, capture_output=True, env=env, timeout=timeout)
    head, _, rest = p.stdout.partition(b"\n")
    secs, rss, code = head.split()
    return float(secs), int(rss), int(code), rest.decode("utf-8", "backslashreplace")


def check(exp: Expected, store: Path, report: Path, code: int, stderr: str) -> tuple[dict, list[str]]:
    """The figures of a finished run and the list of checks that failed (empty: all hold)."""
    import duckdb

    failures: list[str] = []
    con = duckdb.connect(str(store), read_only=True)
    try:
        stored = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
        n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        con.close()
    rows = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    summary = rows[-1] if rows and rows[-1].get("summary") else {}
    problems = [r for r in rows if not r.get("summary")]
    if "Traceback" in stderr:
        failures.append("a traceback on stderr")
    if code not in (0, 1):
        failures.append(f"exit code {code} (0 or 1 expected)")
    missing = sorted(set(exp.good) - stored)
    if missing:
        failures.append(f"{len(missing)} good documents not in the store: {missing[:5]}")
    extra = sorted(stored - set(exp.good))
    if extra:
        failures.append(f"{len(extra)} documents in the store that should have been refused: {extra[:5]}")
    lines = [line for line in stderr.splitlines() if line.startswith(("skipped ", "failed "))]
    by_origin: dict[str, list[dict]] = {}
    for r in problems:
        by_origin.setdefault(r["origin"], []).append(r)
    for origin, reason, kind in exp.bad:
        found = [r for r in by_origin.get(origin, []) if reason in r["message"]]
        if len(found) != 1:
            failures.append(f"{kind}: {len(found)} report lines for {origin!r} with {reason!r} "
                            f"(report has {[r['message'] for r in by_origin.get(origin, [])]})")
        flat = " ".join(origin.split())
        if not any(f" {flat}: " in f" {line[line.index(' ') + 1:]}" and reason in line for line in lines):
            failures.append(f"{kind}: no stderr line names {flat!r} with {reason!r}")
    if len(problems) != len(exp.bad):
        known = {o for o, _, _ in exp.bad}
        failures.append(f"{len(problems)} report lines, {len(exp.bad)} bad inputs expected; unexpected: "
                        f"{[r for r in problems if r['origin'] not in known][:5]}")
    if len(lines) != len(problems):
        failures.append(f"{len(lines)} skipped/failed lines on stderr, {len(problems)} in the report")
    skipped, failed = summary.get("skipped", -1), summary.get("failed", -1)
    if summary.get("coded") != len(stored) or len(stored) + skipped + failed != len(exp.good) + len(exp.bad):
        failures.append(f"counts disagree: store {len(stored)} + skipped {skipped} + failed {failed} != "
                        f"inputs {len(exp.good) + len(exp.bad)} (coded {summary.get('coded')})")
    figures = {"files": exp.files, "good": len(exp.good), "bad": len(exp.bad), "coded": summary.get("coded"),
               "stored": len(stored), "events": n_events, "skipped": skipped, "failed": failed,
               "exit": code, "crashes": int("Traceback" in stderr)}
    return figures, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=1000, help="files in the corpus (at least; default 1000)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--big-mb", type=int, default=30, help="size of the oversized text file (MB)")
    ap.add_argument("--small", action="store_true", help="one of each kind, as tests/test_hostile.py")
    ap.add_argument("--engine", default="rules")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it (must not exist)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        folder = args.keep or Path(tmp) / "corpus"
        t0 = time.perf_counter()
        exp = build(folder, args.files, args.seed, args.big_mb, args.small)
        print(f"built {exp.files} files ({len(exp.good)} good documents, {len(exp.bad)} bad inputs) "
              f"in {time.perf_counter() - t0:.1f} s, seed {args.seed}", flush=True)
        secs, rss, code, stderr = run(folder, Path(tmp) / "store.duckdb", Path(tmp) / "report.jsonl",
                                      engine=args.engine, jobs=args.jobs)
        figures, failures = check(exp, Path(tmp) / "store.duckdb", Path(tmp) / "report.jsonl", code, stderr)
    load = os.getloadavg()
    print(" ".join(f"{k} {v}" for k, v in figures.items()) +
          f" seconds {secs:.1f} peak_rss_mb {rss / 1024:.0f} engine {args.engine} load {load[0]:.2f}")
    for f in failures:
        print("FAIL", f)
    print("all checks hold" if not failures else f"{len(failures)} checks failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
