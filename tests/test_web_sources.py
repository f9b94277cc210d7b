"""Web readers against a real local HTTP server: feeds, article pages, limits, refused addresses, watch.

The server (http.server in a thread, port 0) serves feeds and pages written for these tests; no
request leaves the machine (redirects to private addresses are refused before any connection).
"""
from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from allegiance import __version__
from allegiance.models import Document
from allegiance.sources import ReadProblem
from allegiance.web_sources import (WebClient, is_feed, looks_like_url, parse_interval, read_feed,
                                    read_url, watch)

# ---------------------------------------------------------------------------------------------
# pages and feeds written for these tests


def page(title: str, *paras: str, head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head><title>{title}</title>{head}</head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Example Wire</footer></body></html>"
            ).encode("utf-8")


A1 = page("Jets strike depot near border town",
          "Russian warplanes bombed a rebel fuel depot near the town of Jisr al-Shughur on Tuesday, "
          "local residents said.",
          "The depot had supplied trucks on the northern road for months, according to the residents.")
A2 = page("Envoys open new round of talks",
          "Diplomats from Armenia and Azerbaijan met in Geneva on Wednesday to discuss the border.",
          "Both delegations described the meeting as useful.",
          head='<meta property="article:published_time" content="2024-03-05T09:00:00Z">')
A3 = page("Ministers sign water accord",
          "Egypt and Sudan signed an agreement on sharing river water on Thursday.",
          "The accord follows two years of talks.")
FR1 = page("Les ministres reprennent les négociations",
           "Les ministres des deux pays se sont retrouvés mardi à Genève pour reprendre les "
           "négociations sur la frontière, a annoncé le porte-parole du gouvernement.",
           "Selon les délégations, aucun accord n'est attendu avant la fin du mois prochain.")
B1 = page("Harbour reopens after storm",
          "The harbour authority reopened the eastern quay on Friday after repairs.")
LATIN1 = ("<html><head><title>Caf\u00e9 talks</title></head><body><h1>Caf\u00e9 talks</h1>"
          "<p>Ministers met at a caf\u00e9 in Montr\u00e9al on Monday to discuss the fisheries "
          "dispute, officials said.</p></body></html>").encode("latin-1")


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<pubDate>{d}</pubDate><description>{t}.</description></item>" for path, t, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Example Wire'
            f"</title><link>{base}/</link><description>Test feed</description>{entries}</channel></rss>"
            ).encode("utf-8")


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Notes</title><id>urn:test:harbour</id><updated>2024-04-02T10:00:00Z</updated>
  <entry><title>Harbour reopens after storm</title><id>urn:test:b1</id>
    <link rel="alternate" href="/atom/b1.html"/><updated>2024-04-02T10:00:00Z</updated></entry>
  <entry><title>Ferry timetable</title><id>urn:test:b2</id><updated>2024-04-01T08:00:00Z</updated>
    <content type="html">&lt;p&gt;The island ferry will run twice a day from Monday, the operator said.&lt;/p&gt;</content>
  </entry>
</feed>"""

# ---------------------------------------------------------------------------------------------
# the server


@dataclass
class Site:
    base: str
    routes: dict = field(default_factory=dict)
    log: list = field(default_factory=list)  # (path, user agent)

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)


class Handler(http.server.BaseHTTPRequestHandler):
    site: Site

    def do_GET(self):  # noqa: N802
        self.site.log.append((self.path, self.headers.get("User-Agent")))
        route = self.site.routes.get(self.path)
        if callable(route):
            route = route()
        if route is None:
            route = (404, {"Content-Type": "text/html"}, b"<html><body><p>Not here.</p></body></html>")
        status, headers, body = route
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        if "Content-Length" not in headers and not headers.get("_no_length"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped reading (size cap)
            pass

    def log_message(self, *args):
        pass


def html(body: bytes, charset: str = "utf-8"):
    return (200, {"Content-Type": f"text/html; charset={charset}"}, body)


@pytest.fixture()
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    s = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = type("H", (Handler,), {"site": s})
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    s.routes.update({
        "/a1.html": html(A1), "/a2.html": html(A2), "/a3.html": html(A3), "/atom/b1.html": html(B1),
        "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, rss(s.base, [
            ("/a1.html", "Jets strike depot near border town", "Tue, 12 Mar 2024 08:00:00 GMT"),
            ("/missing.html", "A story that was taken down", "Tue, 12 Mar 2024 07:00:00 GMT"),
            ("/a2.html", "Envoys open new round of talks", "Wed, 13 Mar 2024 18:00:00 GMT")])),
        "/atom.xml": (200, {"Content-Type": "application/atom+xml"}, ATOM),
    })
    yield s
    server.shutdown()
    server.server_close()


def client(**kw) -> WebClient:
    """A client for the local server: loopback allowed, no waiting between requests, tiny backoff."""
    opts = dict(allow_private=True, min_interval=0.0, backoff=0.01, retries=2, timeout=5.0)
    opts.update(kw)
    return WebClient(**opts)


def docs(items):
    return [i for i in items if isinstance(i, Document)]


def problems(items):
    return [i for i in items if isinstance(i, ReadProblem)]


# ---------------------------------------------------------------------------------------------
# feeds and pages


def test_rss_feed_entries_are_fetched_and_a_dead_link_is_reported(site):
    with client() as web:
        got = list(read_url(f"{site.base}/feed.xml", client=web))
    assert [type(g).__name__ for g in got] == ["Document", "ReadProblem", "Document"]
    a1, dead, a2 = got
    assert a1.id == f"{site.base}/a1.html" and a1.url == a1.id
    assert a1.title == "Jets strike depot near border town"
    assert a1.text.startswith("Jets strike depot") and "Russian warplanes bombed" in a1.text
    assert "Home | World" not in a1.text and "Example Wire" not in a1.text
    assert a1.published == "2024-03-12"  # the page has no date: the entry's
    assert a2.published == "2024-03-05"  # the page's own date wins over the feed's
    assert a1.publisher == "Example Wire" and a1.extra["feed"] == f"{site.base}/feed.xml"
    assert dead.origin == f"{site.base}/missing.html"
    assert "HTTP 404" in dead.message and "entry 2 of" in dead.message


def test_atom_feed_relative_link_and_entry_content(site):
    with client() as web:
        got = list(read_feed(f"{site.base}/atom.xml", client=web))
    b1, b2 = got
    assert b1.id == f"{site.base}/atom/b1.html" and "eastern quay" in b1.text
    assert b1.published == "2024-04-02" and b1.publisher == "Harbour Notes"
    assert b2.id == "urn:test:b2" and "island ferry" in b2.text  # no link: the entry's own content
    assert b2.extra["text_from"] == "feed" and b2.published == "2024-04-01"


def test_local_feed_file(site, tmp_path):
    path = tmp_path / "saved.rss"
    path.write_bytes(site.routes["/feed.xml"][2])
    with client() as web:
        got = list(read_feed(path, client=web))
    assert [d.id for d in docs(got)] == [f"{site.base}/a1.html", f"{site.base}/a2.html"]
    assert len(problems(got)) == 1


def test_read_feed_refuses_a_page_and_reports_a_feed_that_is_down(site):
    site.routes["/down.xml"] = (500, {"Content-Type": "text/html"}, b"<p>oops</p>")
    with client(retries=1) as web:
        (not_feed,) = read_feed(f"{site.base}/a1.html", client=web)
        (down,) = read_feed(f"{site.base}/down.xml", client=web)
    assert "not an RSS or Atom feed" in not_feed.message
    assert down.origin == f"{site.base}/down.xml" and "HTTP 500" in down.message
    assert "after 2 attempts" in down.message and site.hits("/down.xml") == 2


def test_page_user_agent_and_redirect(site):
    site.routes["/moved"] = (301, {"Location": "/a3.html"}, b"")
    with client() as web:
        (doc,) = read_url(f"{site.base}/moved", client=web)
    assert doc.id == f"{site.base}/moved" and doc.url == f"{site.base}/a3.html"
    assert doc.extra["fetched_url"] == f"{site.base}/a3.html" and "Egypt and Sudan" in doc.text
    assert all(ua == f"allegiance/{__version__} (political event coder; python-httpx)" for _, ua in site.log)


def test_retry_after_503(site):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            return (503, {"Content-Type": "text/html", "Retry-After": "0"}, b"busy")
        return html(A3)

    site.routes["/flaky.html"] = flaky
    with client() as web:
        (doc,) = read_url(f"{site.base}/flaky.html", client=web)
    assert isinstance(doc, Document) and "Egypt and Sudan" in doc.text and len(calls) == 2


def test_retry_after_is_capped_and_retries_end_with_a_problem(site):
    site.routes["/busy"] = (429, {"Content-Type": "text/html", "Retry-After": "120"}, b"slow down")
    waits = []
    with client(retries=2, max_wait=3.0, sleep=waits.append) as web:
        (problem,) = read_url(f"{site.base}/busy", client=web)
    assert waits == [3.0, 3.0] and site.hits("/busy") == 3
    assert "HTTP 429" in problem.message and "after 3 attempts" in problem.message


def test_backoff_on_connection_errors():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    waits = []
    with client(retries=3, backoff=0.5, sleep=waits.append) as web:
        (problem,) = read_url(f"http://127.0.0.1:{port}/x", client=web)
    assert waits == [0.5, 1.0, 2.0]
    assert "cannot connect" in problem.message and "after 4 attempts" in problem.message


def test_oversized_bodies_are_reported(site):
    big = page("Long", *(["word " * 200] * 40))
    site.routes["/big.html"] = html(big)
    site.routes["/big-stream.html"] = (200, {"Content-Type": "text/html", "_no_length": "1"}, big)
    with client(max_bytes=10_000) as web:
        (announced,) = read_url(f"{site.base}/big.html", client=web)
        (streamed,) = read_url(f"{site.base}/big-stream.html", client=web)
        (small,) = read_url(f"{site.base}/a1.html", client=web)
    assert "too large" in announced.message and "announced" in announced.message
    assert "too large" in streamed.message and "stopped reading" in streamed.message
    assert isinstance(small, Document)


def test_non_html_content_is_skipped_with_reason(site):
    site.routes["/report.pdf"] = (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7 ...")
    site.routes["/photo"] = (200, {"Content-Type": "image/jpeg"}, b"\xff\xd8\xff\xe0")
    site.routes["/untyped"] = (200, {}, b"%PDF-1.4 binary")
    with client() as web:
        (pdf,) = read_url(f"{site.base}/report.pdf", client=web)
        (img,) = read_url(f"{site.base}/photo", client=web)
        (untyped,) = read_url(f"{site.base}/untyped", client=web)
    assert "content type application/pdf" in pdf.message and "skipped" in pdf.message
    assert "image/jpeg" in img.message
    assert "binary content" in untyped.message
    assert (pdf.skipped, pdf.reason) == (True, "unsupported application/pdf")
    assert (untyped.skipped, untyped.reason) == (True, "not a page")


def test_latin1_page_is_decoded_with_the_http_charset(site):
    site.routes["/latin1.html"] = html(LATIN1, "iso-8859-1")
    with client() as web:
        (doc,) = read_url(f"{site.base}/latin1.html", client=web)
    assert "caf\u00e9 in Montr\u00e9al" in doc.text and doc.title == "Caf\u00e9 talks"
    assert doc.extra["encoding"] == "iso8859-1 (http)"


def test_plain_text_page(site):
    site.routes["/note.txt"] = (200, {"Content-Type": "text/plain; charset=utf-8"},
                                b"Border note\n\nPatrols met at the crossing on Sunday.")
    with client() as web:
        (doc,) = read_url(f"{site.base}/note.txt", client=web)
    assert doc.title == "Border note" and "Patrols met" in doc.text


# ---------------------------------------------------------------------------------------------
# private addresses


def test_loopback_is_refused_without_allow_private(site):
    with WebClient(min_interval=0) as web:  # the default: private addresses refused
        (by_ip,) = read_url(f"{site.base}/a1.html", client=web)
        port = site.base.rsplit(":", 1)[1]
        (by_name,) = read_url(f"http://localhost:{port}/a1.html", client=web)
    assert by_ip.origin == f"{site.base}/a1.html"
    assert "loopback" in by_ip.message and "--allow-private" in by_ip.message
    assert "localhost" in by_name.message and "loopback" in by_name.message
    assert site.log == []  # refused before connecting
    (again,) = read_url(f"{site.base}/feed.xml")  # a temporary client refuses too
    assert "loopback" in again.message and site.log == []


def test_redirect_to_a_private_address_is_refused(site):
    site.routes["/to-metadata"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    site.routes["/to-lan"] = (302, {"Location": "http://10.20.30.40/admin"}, b"")
    site.routes["/to-loopback"] = (307, {"Location": "http://127.0.0.2/"}, b"")
    # the test server's own address is let through; every other private address is not
    with client(allow_private=False, allow_addresses=["127.0.0.1"]) as web:
        (ok,) = read_url(f"{site.base}/a1.html", client=web)
        (meta,) = read_url(f"{site.base}/to-metadata", client=web)
        (lan,) = read_url(f"{site.base}/to-lan", client=web)
        (loop,) = read_url(f"{site.base}/to-loopback", client=web)
    assert isinstance(ok, Document)
    assert "169.254.169.254 is a link-local address" in meta.message and "redirected to" in meta.message
    assert "10.20.30.40 is a private address" in lan.message
    assert "127.0.0.2 is a loopback address" in loop.message
    assert meta.origin == f"{site.base}/to-metadata"


def test_rate_limit_per_host(site):
    waits = []
    with client(min_interval=0.5, sleep=waits.append) as web:
        list(read_url(f"{site.base}/a1.html", client=web))
        list(read_url(f"{site.base}/a2.html", client=web))
    # three requests to one host: robots.txt (once), a1, a2; sleep is not real, so the turns add up
    assert [p for p, _ in site.log] == ["/robots.txt", "/a1.html", "/a2.html"]
    assert len(waits) == 2 and 0.3 < waits[0] <= 0.5 and 0.8 < waits[1] <= 1.0


# ---------------------------------------------------------------------------------------------
# robots.txt and languages

ROBOTS = (b"User-agent: otherbot\nDisallow: /\n\n"
          b"User-agent: allegiance\nDisallow: /a2.html\n")


def test_robots_txt_is_read_once_per_host_and_a_disallowed_page_is_skipped(site):
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, ROBOTS)
    with client() as web:
        (a1,) = read_url(f"{site.base}/a1.html", client=web)
        (a2,) = read_url(f"{site.base}/a2.html", client=web)
        feed = list(read_url(f"{site.base}/feed.xml", client=web))
        assert web.notices == []
    assert isinstance(a1, Document)
    assert isinstance(a2, ReadProblem) and a2.skipped and a2.reason == "robots.txt"
    assert a2.message.startswith(f"disallowed by {site.base}/robots.txt for user agent allegiance")
    assert "--ignore-robots" in a2.message
    assert site.hits("/a2.html") == 0 and site.hits("/robots.txt") == 1
    # feed entries are checked too: a1 read, missing.html failed (404), a2 skipped, not fetched
    assert [(type(i).__name__, getattr(i, "skipped", None)) for i in feed] == [
        ("Document", None), ("ReadProblem", False), ("ReadProblem", True)]
    assert feed[2].reason == "robots.txt" and "entry 3 of" in feed[2].message
    assert site.hits("/a2.html") == 0
    with client(respect_robots=False) as web:
        (a2,) = read_url(f"{site.base}/a2.html", client=web)
    assert isinstance(a2, Document) and site.hits("/a2.html") == 1


def test_robots_txt_missing_allows_all_and_unreachable_allows_all_with_one_notice(site):
    with client() as web:  # the site answers 404 for /robots.txt
        assert isinstance(next(read_url(f"{site.base}/a2.html", client=web)), Document)
        assert web.notices == []
    site.routes["/robots.txt"] = (503, {"Content-Type": "text/html"}, b"<p>busy</p>")
    notices = []
    with client(notice=notices.append) as web:
        assert isinstance(next(read_url(f"{site.base}/a1.html", client=web)), Document)
        assert isinstance(next(read_url(f"{site.base}/a2.html", client=web)), Document)
    (notice,) = notices
    assert notice.startswith(f"{site.base}/robots.txt could not be read (HTTP 503")
    assert "as if it allowed everything" in notice
    assert site.hits("/robots.txt") == 2  # once for the first client, once (no retry) for the second


def test_a_fetched_page_not_in_english_is_skipped_with_its_language(site):
    site.routes["/fr1.html"] = html(FR1)
    site.routes["/mixed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(site.base, [
        ("/fr1.html", "Les ministres reprennent les négociations", "Tue, 12 Mar 2024 08:00:00 GMT"),
        ("/a3.html", "Ministers sign water accord", "Wed, 13 Mar 2024 08:00:00 GMT")]))
    with client() as web:
        (fr,) = read_url(f"{site.base}/fr1.html", client=web)
        fr_entry, a3 = read_feed(f"{site.base}/mixed.xml", client=web)
        (kept,) = read_url(f"{site.base}/fr1.html", client=web, languages=("en", "fr"))
        with pytest.raises(ValueError, match="xx"):
            list(read_url(f"{site.base}/fr1.html", client=web, languages=("xx",)))
    assert (fr.skipped, fr.reason, fr.origin) == (True, "language fr", f"{site.base}/fr1.html")
    assert fr.message == "language fr (French), not English"
    assert isinstance(fr_entry, ReadProblem) and fr_entry.reason == "language fr"
    assert isinstance(a3, Document) and isinstance(kept, Document)


# ---------------------------------------------------------------------------------------------
# helpers


def test_helpers():
    assert looks_like_url("https://example.org/feed") and looks_like_url("HTTP://a.b/")
    assert not looks_like_url("feed.xml") and not looks_like_url("ftp://x/y") and not looks_like_url("http://")
    assert is_feed(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><rss version="2.0">')
    assert is_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">') and is_feed(b"<rdf:RDF>")
    assert is_feed(b"<html>", "application/rss+xml")
    assert not is_feed(b"<!DOCTYPE html><html><body>rss</body></html>", "text/html")
    assert parse_interval("15m") == 900 and parse_interval("30s") == 30 and parse_interval("2h") == 7200
    assert parse_interval("90") == 90
    with pytest.raises(ValueError):
        parse_interval("soon")


# ---------------------------------------------------------------------------------------------
# watch


def test_watch_codes_only_new_entries_and_survives_a_feed_that_is_down(site):
    batches, messages = [], []
    feed = site.routes["/feed.xml"]
    steps = iter([
        lambda: None,  # round 2: nothing new
        lambda: site.routes.update({"/feed.xml": (200, feed[1], rss(site.base, [
            ("/a3.html", "Ministers sign water accord", "Thu, 14 Mar 2024 10:00:00 GMT"),
            ("/a1.html", "Jets strike depot near border town", "Tue, 12 Mar 2024 08:00:00 GMT"),
            ("/a2.html", "Envoys open new round of talks", "Wed, 13 Mar 2024 18:00:00 GMT")]))}),
        lambda: site.routes.update({"/feed.xml": (503, {"Content-Type": "text/html"}, b"down")}),
        lambda: None,  # round 5: still down, not reported again
        lambda: site.routes.update({"/feed.xml": (200, feed[1], rss(site.base, [
            ("/a3.html", "Ministers sign water accord", "Thu, 14 Mar 2024 10:00:00 GMT")]))}),
    ])
    with client(retries=0) as web:
        stats = watch([f"{site.base}/feed.xml"], 60, lambda d: batches.append([x.id for x in d]),
                      max_rounds=6, sleep=lambda s: next(steps)(), client=web, report=messages.append)
    b = site.base
    assert batches == [[f"{b}/a1.html", f"{b}/a2.html"], [f"{b}/a3.html"]]
    assert stats.rounds == 6 and stats.submitted == 3 and not stats.interrupted
    assert site.hits("/a1.html") == 1 and site.hits("/a2.html") == 1 and site.hits("/a3.html") == 1
    down = [m for m in messages if "/feed.xml: HTTP 503" in m]
    assert len(down) == 1 and any(m == f"{b}/feed.xml: readable again" for m in messages)
    assert sum("missing.html" in m for m in messages) == 1  # the dead entry: reported once


def test_watch_is_stored_avoids_refetching_and_failed_store_is_retried(site):
    batches, fails = [], [True]

    def code_and_store(d):
        if fails.pop() if fails else False:
            raise RuntimeError("store is locked")
        batches.append([x.id for x in d])

    messages = []
    with client() as web:
        stats = watch([f"{site.base}/feed.xml"], 0, code_and_store, max_rounds=3, sleep=lambda s: None,
                      client=web, report=messages.append,
                      is_stored=lambda i: i.endswith("/a2.html"))
    assert batches == [[f"{site.base}/a1.html"]]  # round 1 failed, round 2 handed it again
    assert site.hits("/a2.html") == 0 and site.hits("/a1.html") == 2
    assert any("store is locked" in m and "will retry" in m for m in messages)
    assert stats.submitted == 1


def test_watch_folder_and_ctrl_c(tmp_path):
    (tmp_path / "a.txt").write_text("First story.\n\nTroops left the town on Monday.")
    batches = []
    rounds = iter([lambda: (tmp_path / "b.txt").write_text("Second story.\n\nTalks began."),
                   lambda: None])

    def sleep(_):
        next(rounds)()

    stats = watch([str(tmp_path)], 1, lambda d: batches.append([x.id for x in d]), max_rounds=3,
                  sleep=sleep, report=lambda m: None)
    assert batches == [["a.txt"], ["b.txt"]] and stats.rounds == 3

    def interrupt(_):
        raise KeyboardInterrupt

    messages = []
    stats = watch([str(tmp_path)], 900, lambda d: None, sleep=interrupt, report=messages.append)
    assert stats.interrupted and stats.rounds == 1 and messages == ["watch stopped (interrupted)"]


def test_watch_skips_other_languages_and_names_them_once(site, tmp_path):
    site.routes["/fr1.html"] = html(FR1)
    (tmp_path / "fr.html").write_bytes(FR1)
    messages, batches = [], []
    with client() as web:
        stats = watch([f"{site.base}/fr1.html", str(tmp_path)], 1, batches.append, max_rounds=2,
                      sleep=lambda _: None, client=web, report=messages.append)
    assert batches == [] and stats.problems == 4  # two sources, two rounds
    assert messages == [f"skipped {site.base}/fr1.html: language fr (French), not English",
                        f"skipped {tmp_path / 'fr.html'}: language fr (French), not English"]
    with client() as web:
        watch([f"{site.base}/fr1.html"], 1, batches.append, max_rounds=1, client=web,
              report=messages.append, languages=("en", "fr"))
    assert [[d.id for d in b] for b in batches] == [[f"{site.base}/fr1.html"]]


# ---------------------------------------------------------------------------------------------
# end to end: a served feed is coded


def test_served_feed_is_coded(site, coder):
    with client() as web:
        got = docs(read_url(f"{site.base}/feed.xml", client=web))
    records = [r for d in got for r in coder.code(d)]
    assert any(r["event_type"] == "ASSAULT" and r["source"]["country"] == "RUS"
               and r["doc"]["url"] == f"{site.base}/a1.html" for r in records)
    assert any(r["event_type"] == "CONSULT" for r in records)


# ---------------------------------------------------------------------------------------------
# HTTPS: the checked address is connected to, the certificate is verified against the host name


@pytest.fixture()
def tls_site(tmp_path):
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    s = Site(base=f"https://localhost:{server.server_address[1]}")
    s.routes["/a3.html"] = html(A3)
    server.RequestHandlerClass = type("H", (Handler,), {"site": s})
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield s, str(cert)
    server.shutdown()
    server.server_close()


def test_https_through_the_guarded_resolver(tls_site):
    s, cert = tls_site
    with client(allow_private=False, allow_addresses=["127.0.0.1", "::1"], verify=cert) as web:
        (doc,) = read_url(f"{s.base}/a3.html", client=web)
        by_ip = s.base.replace("localhost", "127.0.0.1")
        (wrong_name,) = read_url(f"{by_ip}/a3.html", client=web)
    assert isinstance(doc, Document) and "Egypt and Sudan" in doc.text
    assert "certificate" in wrong_name.message and "attempts" not in wrong_name.message


def test_cli_run_codes_a_served_feed_into_the_store(site, tmp_path):
    import subprocess
    import sys

    import duckdb

    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, ROBOTS)  # a2.html disallowed
    db = tmp_path / "feed.duckdb"
    cmd = [sys.executable, "-m", "allegiance.cli", "run", f"{site.base}/feed.xml", "--store", str(db),
           "--top", "0", "--jobs", "1"]
    refused = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "--allow-private" in refused.stderr  # loopback refused by default
    done = subprocess.run(cmd + ["--allow-private"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr[-2000:]  # the dead entry failed; the rest is stored
    lines = done.stderr.splitlines()
    assert any(line.startswith(f"failed {site.base}/missing.html: HTTP 404") for line in lines)
    assert any(line.startswith(f"skipped {site.base}/a2.html: disallowed by {site.base}/robots.txt")
               for line in lines)
    assert any(line.startswith("1 coded, 1 skipped (1 robots.txt), 1 failed; store") for line in lines)
    assert site.hits("/a2.html") == 0
    again = subprocess.run(cmd + ["--allow-private", "--ignore-robots"], capture_output=True, text=True,
                           timeout=300)
    assert any(line.startswith("1 coded, 1 already in the store, 0 skipped, 1 failed")
               for line in again.stderr.splitlines()), again.stderr[-2000:]
    con = duckdb.connect(str(db), read_only=True)
    urls = {r[0] for r in con.execute("SELECT url FROM documents").fetchall()}
    types = {r[0] for r in con.execute("SELECT event_type FROM events").fetchall()}
    con.close()
    assert urls == {f"{site.base}/a1.html", f"{site.base}/a2.html"}
    assert {"ASSAULT", "CONSULT"} <= types
