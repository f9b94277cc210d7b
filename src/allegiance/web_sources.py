"""Web readers: article URLs (httpx) and RSS/Atom feeds (feedparser) → `Document`s; `watch` polls.

Like the file readers of `allegiance.sources`, these yield a `Document` or a `ReadProblem` naming
the URL and the reason, and never raise for bad input: a dead link, a server that is down, a page
too large, a PDF, or an address that is refused is reported and the batch goes on.

Fetching (`WebClient`): connect and read timeouts and a deadline per fetch; retries with
exponential backoff on connection errors, timeouts, 5xx and 429 (``Retry-After`` honoured up to a
cap); a User-Agent naming allegiance and its version; a minimum interval between requests to the
same host; a size cap (the body is streamed and reading stops past it); a content-type check (HTML,
text and feeds only); redirects followed by hand, each hop checked again.

robots.txt: unless ``respect_robots=False`` (``--ignore-robots``), a page is fetched only when the
host's robots.txt allows it for allegiance's user agent (`urllib.robotparser`). The robots.txt is
fetched once per host (again after a day) through the same client, with its limits, rate limit and
address checks; a missing one (any 4xx, as RFC 9309 says) allows everything, and one that cannot be
fetched (the host is down, it is too large) allows everything too, with one notice saying so. A
disallowed page is a skipped `ReadProblem` with reason ``robots.txt``.

Private addresses: unless ``allow_private=True`` every connection (each redirect hop included) is
made through a resolver that looks the host up, refuses it when any of its addresses is loopback,
private, link-local, shared, reserved, multicast or otherwise not globally routable, and connects
to the address it checked (so a name cannot resolve to a public address for the check and to a
private one for the connection). ``allow_addresses`` lets chosen addresses or networks through.
Environment proxies are not used (``trust_env=False``).
"""
from __future__ import annotations

import codecs
import dataclasses
import hashlib
import io
import ipaddress
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from . import __version__
from .models import Document
from .sources import DEFAULT_LANGUAGES, ReadProblem, check_language
from .sources.language import check_codes

__all__ = ["WebClient", "Fetched", "AddressRefused", "Item", "WatchStats", "read_url", "read_feed",
           "read_source", "is_feed", "is_feed_file", "looks_like_url", "parse_interval", "watch",
           "USER_AGENT", "MAX_BYTES", "FEED_SUFFIXES"]

Item = Document | ReadProblem

MAX_BYTES = 5_000_000  # the file readers' limit: a news page is ~50-500 kB
ROBOTS_TTL = 86_400.0  # seconds a host's robots.txt is kept before it is fetched again
ROBOTS_MAX_BYTES = 500_000  # RFC 9309: crawlers may stop reading a robots.txt past 500 KiB
USER_AGENT = f"allegiance/{__version__} (political event coder; python-httpx)"
FEED_SUFFIXES = (".rss", ".atom", ".xml")
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/feed+xml")
_XML_TYPES = ("application/xml", "text/xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ACCEPTED = frozenset(_FEED_TYPES + _XML_TYPES + _HTML_TYPES + ("text/plain",))
_ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
           "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1")
_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)
_PROLOG = re.compile(rb"^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)
_FEED_ROOT = re.compile(rb"^<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)[\s>/]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# helpers for read_inputs and the CLI

def looks_like_url(spec: str) -> bool:
    """True for an ``http://`` or ``https://`` URL with a host (what read_inputs should fetch)."""
    return bool(_URL.match(spec.strip()))


def is_feed(data: bytes, content_type: str | None = None) -> bool:
    """True when the content is an RSS or Atom feed: by its media type, or by its root element."""
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime in _FEED_TYPES:
        return True
    head = data[:4096]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        except (UnicodeError, LookupError):
            return False
    head = head[_PROLOG.match(head).end():]
    return bool(_FEED_ROOT.match(head))


def is_feed_file(path: str | Path) -> bool:
    """True for a local ``.rss``/``.atom``/``.xml`` file whose content is a feed."""
    p = Path(path)
    if p.suffix.lower() not in FEED_SUFFIXES or not p.is_file():
        return False
    try:
        with p.open("rb") as fh:
            return is_feed(fh.read(4096))
    except OSError:
        return False


def parse_interval(text: str) -> float:
    """Seconds in ``"90"``, ``"30s"``, ``"15m"``, ``"2h"`` or ``"1d"``. Raises ValueError otherwise."""
    m = _INTERVAL.match(text)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not an interval such as 30s, 15m, 2h or 1d")
    unit = (m.group(2) or "s").lower()[0]
    return float(m.group(1)) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]


# ---------------------------------------------------------------------------------------------
# addresses

class AddressRefused(Exception):
    """A host resolved to an address that is not globally routable, and private ones are not allowed."""

    def __init__(self, host: str, address: str, kind: str) -> None:
        self.host, self.address, self.kind = host, address, kind
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"refused: {shown} is a {kind} address; pass --allow-private to read "
                         "from private networks")


def _address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is refused (loopback, private, ...), or None for a public address."""
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    for attr in ("is_loopback", "is_unspecified", "is_link_local", "is_multicast", "is_private",
                 "is_reserved"):
        if getattr(ip, attr):
            return attr[3:].replace("_", "-")
    if not ip.is_global:
        return "non-global (shared, documentation or special-purpose)"
    return None


def _networks(specs: Iterable[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in specs)


class _Vetter:
    """Resolves a host and checks every address it resolves to."""

    def __init__(self, allow: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> None:
        self.allow = tuple(allow)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to. Raises AddressRefused, or OSError when the host is unknown."""
        host = host.strip("[]")
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        out: list[str] = []
        for info in infos:
            addr = info[4][0].split("%")[0]
            ip = ipaddress.ip_address(addr)
            kind = _address_kind(ip)
            if kind is not None and not any(ip in net for net in self.allow):
                raise AddressRefused(host, addr, kind)
            if addr not in out:
                out.append(addr)
        return out


def _guarded_backend(vetter: _Vetter) -> Any:
    import httpcore

    class GuardedBackend(httpcore.SyncBackend):
        """Connects only to addresses the vetter accepted (checked at connection time)."""

        def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                        local_address: str | None = None, socket_options: Any = None) -> Any:
            try:
                addresses = vetter.addresses(host, port)
            except socket.gaierror as exc:
                raise httpcore.ConnectError(f"cannot resolve host {host} ({exc.strerror})") from exc
            last: Exception | None = None
            for addr in addresses:
                try:
                    return super().connect_tcp(addr, port, timeout=timeout, local_address=local_address,
                                               socket_options=socket_options)
                except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                    last = exc
            raise last or httpcore.ConnectError(f"no address for host {host}")

    return GuardedBackend()


# ---------------------------------------------------------------------------------------------
# the client

@dataclass(frozen=True)
class Fetched:
    """A body fetched within the limits: the URL asked for, the URL it came from, its media type."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes


class WebClient:
    """An httpx client with allegiance's limits; one per run (it keeps connections and host timers).

    ``timeout`` is the read timeout, ``connect_timeout`` the connect one, ``deadline`` the most one
    fetch may take (retries and their waits excluded); ``retries`` extra attempts wait
    ``backoff * 2**n`` seconds (at most ``max_wait``; a ``Retry-After`` is honoured up to
    ``max_wait``); ``min_interval`` seconds between two requests to one host. ``verify`` is
    False, True (the system's CAs) or a CA bundle file. ``respect_robots``: fetch only what each
    host's robots.txt allows ``user_agent``; ``notice`` receives the one-line notices the client
    gives (a robots.txt that could not be read), which are also kept in ``notices``.
    """

    def __init__(self, *, allow_private: bool = False, allow_addresses: Iterable[str] = (),
                 timeout: float = 20.0, connect_timeout: float = 10.0, deadline: float = 60.0,
                 retries: int = 3, backoff: float = 1.0, max_wait: float = 60.0,
                 min_interval: float = 1.0, max_bytes: int = MAX_BYTES, max_redirects: int = 5,
                 user_agent: str = USER_AGENT, verify: bool | str = True,
                 respect_robots: bool = True, notice: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        import httpx

        self.allow_private = allow_private
        self.deadline, self.retries, self.backoff, self.max_wait = deadline, retries, backoff, max_wait
        self.min_interval, self.max_bytes, self.max_redirects = min_interval, max_bytes, max_redirects
        self.sleep, self.clock = sleep, clock
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.user_agent, self.respect_robots, self.notice = user_agent, respect_robots, notice
        self.notices: list[str] = []
        self._robots: dict[str, tuple[float, Any]] = {}  # scheme://host -> (when read, parser or None)
        self._robots_lock = threading.Lock()
        self._vetter = None if allow_private else _Vetter(_networks(allow_addresses))
        self._prechecks = False
        if isinstance(verify, str):
            import ssl

            ssl_context = ssl.create_default_context(cafile=verify)
        else:
            ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
        transport = httpx.HTTPTransport(verify=ssl_context, trust_env=False)
        if self._vetter is not None:
            import httpcore

            if isinstance(getattr(transport, "_pool", None), httpcore.ConnectionPool):
                transport._pool = httpcore.ConnectionPool(  # the same pool, with the guarded resolver
                    ssl_context=ssl_context,
                    max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0,
                    network_backend=_guarded_backend(self._vetter))
            else:  # another httpx layout: check each hop before the request instead
                self._prechecks = True
        self._http = httpx.Client(
            transport=transport, follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            headers={"User-Agent": user_agent, "Accept": _ACCEPT})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WebClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self, host: str) -> None:
        if self.min_interval <= 0:
            return
        with self._lock:
            now = self.clock()
            turn = max(now, self._last.get(host, float("-inf")) + self.min_interval)
            self._last[host] = turn
        if turn > now:
            self.sleep(turn - now)

    def _delay(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after:
            seconds: float | None = None
            try:
                seconds = float(retry_after)
            except ValueError:
                try:
                    when = parsedate_to_datetime(retry_after)
                    seconds = (when - datetime.now(timezone.utc)).total_seconds()
                except (TypeError, ValueError, IndexError):
                    seconds = None
            if seconds is not None:
                return min(max(seconds, 0.0), self.max_wait)
        return min(self.backoff * 2 ** attempt, self.max_wait)

    def _note(self, message: str) -> None:
        self.notices.append(message)
        if self.notice is not None:
            self.notice(message)

    def robots_allowed(self, url: str) -> bool:
        """True when the robots.txt of ``url``'s host lets this client's user agent fetch it (always
        True with ``respect_robots=False``); the robots.txt is fetched on first use per host."""
        if not self.respect_robots:
            return True
        parts = urlsplit(url)
        key = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._robots_lock:
            cached = self._robots.get(key)
            if cached is None or self.clock() - cached[0] > ROBOTS_TTL:
                cached = (self.clock(), self._read_robots(key))
                self._robots[key] = cached
        rules = cached[1]
        return rules is None or bool(rules.can_fetch(self.user_agent, url))

    def _read_robots(self, site: str) -> Any:
        """The parsed robots.txt of ``site`` (``scheme://host[:port]``), or None: fetch everything."""
        from urllib.robotparser import RobotFileParser

        robots_url = f"{site}/robots.txt"
        got = self.fetch(robots_url, _robots=True)
        if isinstance(got, ReadProblem):
            if not got.message.startswith("refused:"):  # a refused address is reported by the page
                self._note(f"{robots_url} could not be read ({got.message}); fetching pages of "
                           f"{urlsplit(site).netloc} as if it allowed everything")
            return None
        if not 200 <= got.status < 300:
            return None  # 4xx: no robots.txt, everything allowed (RFC 9309)
        rules = RobotFileParser(robots_url)
        rules.parse(got.body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return rules

    def fetch(self, url: str, *, _robots: bool = False) -> Fetched | ReadProblem:
        """GET one URL within the limits: a `Fetched` body, or a `ReadProblem` naming the URL (a
        skipped one when robots.txt disallows the URL or a redirect hop)."""
        current, hops = url, 0
        while True:
            parts = urlsplit(current)
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                return ReadProblem(url, f"not an http(s) URL: {current}")
            via = "" if current == url else f" (redirected to {current})"
            if not _robots and not self.robots_allowed(current):
                return ReadProblem(url, f"disallowed by {parts.scheme}://{parts.netloc}/robots.txt for "
                                        f"user agent {self.user_agent.split('/')[0]}; not fetched "
                                        f"(--ignore-robots overrides){via}", skipped=True, reason="robots.txt")
            if self._prechecks and self._vetter is not None:
                try:
                    self._vetter.addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
                except AddressRefused as exc:
                    return ReadProblem(url, f"{exc}{via}")
                except OSError:
                    pass  # the request reports the unknown host
            attempt = 0
            while True:
                self._wait_turn(parts.hostname.lower())
                outcome = self._attempt(url, current, via, _robots)
                if isinstance(outcome, _Retry):
                    if attempt >= (0 if _robots else self.retries):  # robots.txt: one try
                        tried = f" after {attempt + 1} attempts" if attempt else ""
                        return ReadProblem(url, f"{outcome.reason}{tried}{via}")
                    self.sleep(self._delay(attempt, outcome.retry_after))
                    attempt += 1
                    continue
                break
            if isinstance(outcome, _Redirect):
                hops += 1
                if hops > self.max_redirects:
                    return ReadProblem(url, f"more than {self.max_redirects} redirects{via}")
                current = outcome.location
                continue
            return outcome

    def _attempt(self, url: str, current: str, via: str,
                 any_status: bool = False) -> Fetched | ReadProblem | _Retry | _Redirect:
        import httpx

        try:
            with self._http.stream("GET", current) as resp:
                status = resp.status_code
                if status in _REDIRECT_STATUS and resp.headers.get("location"):
                    return _Redirect(urljoin(str(resp.url), resp.headers["location"]))
                if status in _RETRY_STATUS:
                    return _Retry(f"HTTP {status} {resp.reason_phrase}".rstrip(),
                                  resp.headers.get("retry-after"))
                if any_status and not 200 <= status < 300:  # robots.txt: 4xx means none
                    return Fetched(url=url, final_url=str(resp.url), status=status, content_type="",
                                   charset=None, body=b"")
                if not 200 <= status < 300:
                    return ReadProblem(url, f"HTTP {status} {resp.reason_phrase}".rstrip() + via)
                ctype = resp.headers.get("content-type", "")
                mime = ctype.split(";")[0].strip().lower()
                if mime and mime not in _ACCEPTED and not any_status:
                    return ReadProblem(url, f"content type {mime} is not an HTML page, text or a feed; "
                                            f"skipped{via}", skipped=True, reason=f"unsupported {mime}")
                length = resp.headers.get("content-length", "")
                if length.isdigit() and int(length) > self.max_bytes:
                    return ReadProblem(url, f"too large ({int(length):,} bytes announced; limit "
                                            f"{self.max_bytes:,}){via}")
                started = self.clock()
                body = bytearray()
                for chunk in resp.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        return ReadProblem(url, f"too large (more than {self.max_bytes:,} bytes; "
                                                f"stopped reading){via}")
                    if self.clock() - started > self.deadline:
                        return ReadProblem(url, f"took longer than {self.deadline:g} s to download; "
                                                f"stopped{via}")
                return Fetched(url=url, final_url=str(resp.url), status=status, content_type=mime,
                               charset=resp.charset_encoding, body=bytes(body))
        except AddressRefused as exc:
            return ReadProblem(url, f"{exc}{via}")
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return ReadProblem(url, f"cannot fetch ({exc}){via}")
        except httpx.TimeoutException as exc:
            return _Retry(f"timed out ({type(exc).__name__})")
        except httpx.TransportError as exc:
            if "CERTIFICATE_VERIFY_FAILED" in str(exc):  # retrying cannot help
                return ReadProblem(url, f"TLS certificate not accepted ({exc}){via}")
            return _Retry(f"cannot connect or read ({type(exc).__name__}: {exc})")


@dataclass(frozen=True)
class _Retry:
    reason: str
    retry_after: str | None = None


@dataclass(frozen=True)
class _Redirect:
    location: str


# ---------------------------------------------------------------------------------------------
# bodies → documents

def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def _decode(fetched: Fetched) -> tuple[str, str, str]:
    """(text, encoding, where the encoding came from): BOM, HTTP header, <meta>, UTF-8, cp1252."""
    data = fetched.body
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name, "bom"
    declared = _codec(fetched.charset)
    if declared:
        return data.decode(declared, errors="replace"), declared, "http"
    m = _META_CHARSET.search(data[:4096])
    meta = _codec(m.group(1).decode("ascii", "ignore")) if m else None
    if meta and meta not in ("utf-16-le", "utf-16-be", "utf-16"):
        return data.decode(meta, errors="replace"), meta, "meta"
    try:
        return data.decode("utf-8"), "utf-8", "default"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252", "fallback"


def _iso(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def _page_document(fetched: Fetched, doc_id: str, origin: str) -> Document | ReadProblem:
    """An article page (HTML or plain text) as a Document; its id is ``doc_id``."""
    if not fetched.body.strip():
        return ReadProblem(origin, "empty response (no text to code)", skipped=True, reason="empty")
    head = fetched.body[:8192]
    if head.startswith(b"%PDF-") or (b"\x00" in head and not head.startswith(
            (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))):
        return ReadProblem(origin, f"binary content (served as {fetched.content_type or 'no type'}), "
                                   "not a page; skipped", skipped=True, reason="not a page")
    text, encoding, source = _decode(fetched)
    extra: dict[str, Any] = {}
    if encoding not in ("utf-8", "utf-8-sig", "ascii"):
        extra["encoding"] = f"{encoding} ({source})"
    if fetched.final_url != fetched.url:
        extra["fetched_url"] = fetched.final_url
    if fetched.content_type == "text/plain":
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            return ReadProblem(origin, "no text after decoding", skipped=True, reason="empty")
        lines = text.lstrip("\n").split("\n", 2)
        title = lines[0].strip() if len(lines) > 1 and not lines[1].strip() and len(lines[0]) < 200 else None
        return Document(id=doc_id, text=text, title=title, url=fetched.final_url, extra=extra,
                        origin=origin)
    from .html import extract  # lazy: lxml/trafilatura cost import time

    try:
        title, body, published = extract(text)
    except Exception as exc:  # hostile or broken markup must not stop the batch
        return ReadProblem(origin, f"HTML could not be parsed ({type(exc).__name__}: {exc})")
    if not body.strip():
        return ReadProblem(origin, "HTML page has no article text", skipped=True,
                           reason="no article text")
    return Document(id=doc_id, text=f"{title}\n\n{body}" if title else body, published=_iso(published),
                    title=title, url=fetched.final_url, extra=extra, origin=origin)


def _own_client(client: WebClient | None, allow_private: bool) -> tuple[WebClient, bool]:
    return (client, False) if client is not None else (WebClient(allow_private=allow_private), True)


def _in_languages(items: Iterable[Item], languages: Sequence[str] | None) -> Iterator[Item]:
    """``items`` with each document confidently not in ``languages`` turned into a skipped problem."""
    for item in items:
        if languages and isinstance(item, Document):
            item = check_language(item, languages)
        yield item


def read_source(fetched: Fetched, *, client: WebClient, skip: Callable[[str, str | None], bool] | None = None,
                max_entries: int | None = None,
                languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> Iterator[Item]:
    """Items from a body already fetched: a feed's entries (fetched with ``client``) or one page;
    a page confidently not in ``languages`` (ISO 639 codes; None: any) is a skipped problem."""
    languages = check_codes(languages)
    if is_feed(fetched.body, fetched.content_type):
        yield from _in_languages(_feed_items(fetched.body, fetched.final_url, fetched.url,
                                             fetched.content_type, client, skip, max_entries), languages)
    else:
        yield from _in_languages([_page_document(fetched, fetched.url, fetched.url)], languages)


def read_url(url: str, *, client: WebClient | None = None, allow_private: bool = False,
             skip: Callable[[str, str | None], bool] | None = None,
             max_entries: int | None = None,
             languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> Iterator[Item]:
    """Fetch ``url``: a feed yields its entries' articles, any other page one Document (id = ``url``).

    Problems (refused address, HTTP error, too large, not HTML/text, disallowed by robots.txt, not in
    ``languages``, ...) are yielded, never raised; an unknown language code raises ValueError.
    Without ``client`` a temporary `WebClient(allow_private=allow_private)` is used.
    """
    languages = check_codes(languages)
    web, own = _own_client(client, allow_private)
    try:
        fetched = web.fetch(url)
        if isinstance(fetched, ReadProblem):
            yield fetched
            return
        yield from read_source(fetched, client=web, skip=skip, max_entries=max_entries, languages=languages)
    finally:
        if own:
            web.close()


def read_feed(url_or_path: str | Path, *, client: WebClient | None = None, allow_private: bool = False,
              skip: Callable[[str, str | None], bool] | None = None,
              max_entries: int | None = None,
              languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> Iterator[Item]:
    """An RSS/Atom feed (URL or local file): each entry's link fetched as an article.

    The document id is the entry's link (or its guid); the entry's published/updated date is the
    document's ``published`` when the page gives none; the feed's title is the ``publisher``.
    ``skip(entry_id, entry_stamp)`` returning True leaves an entry unfetched (``watch`` uses it).
    A feed that cannot be read is one ReadProblem; a dead entry link is a ReadProblem and the feed
    goes on; an entry page confidently not in ``languages`` is a skipped ReadProblem naming its
    language.
    """
    languages = check_codes(languages)
    spec = str(url_or_path)
    web, own = _own_client(client, allow_private)
    try:
        if looks_like_url(spec):
            fetched = web.fetch(spec)
            if isinstance(fetched, ReadProblem):
                yield fetched
                return
            if not is_feed(fetched.body, fetched.content_type):
                yield ReadProblem(spec, f"not an RSS or Atom feed (content type {fetched.content_type or 'none'})")
                return
            yield from _in_languages(_feed_items(fetched.body, fetched.final_url, spec,
                                                 fetched.content_type, web, skip, max_entries), languages)
            return
        path = Path(spec)
        try:
            size = path.stat().st_size
            if size > web.max_bytes:
                yield ReadProblem(spec, f"too large ({size:,} bytes; limit {web.max_bytes:,})")
                return
            data = path.read_bytes()
        except OSError as exc:
            yield ReadProblem(spec, f"cannot read feed file ({exc.strerror or exc})")
            return
        yield from _in_languages(_feed_items(data, None, spec, None, web, skip, max_entries), languages)
    finally:
        if own:
            web.close()


def _struct_date(value: Any) -> str | None:
    try:
        return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}" if value else None
    except AttributeError:
        return None


def _feed_items(data: bytes, base: str | None, origin: str, content_type: str | None, client: WebClient,
                skip: Callable[[str, str | None], bool] | None, max_entries: int | None) -> Iterator[Item]:
    import feedparser

    headers = {"content-type": content_type or "application/xml"}
    if base:
        headers["content-location"] = base
    try:  # a byte stream: feedparser must never fetch anything itself
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - a broken feed is a problem, not a crash
        yield ReadProblem(origin, f"feed could not be parsed ({type(exc).__name__}: {exc})")
        return
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo") and not parsed.get("version"):
            reason = parsed.get("bozo_exception")
            yield ReadProblem(origin, f"not a readable RSS or Atom feed ({reason})")
        else:
            yield ReadProblem(origin, "feed has no entries")
        return
    publisher = (parsed.get("feed") or {}).get("title") or None
    for n, entry in enumerate(entries[:max_entries] if max_entries else entries, 1):
        fields = dict(entry)  # plain lookups: FeedParserDict's fallbacks warn
        link = fields.get("link") or None
        guid = fields.get("id") or None
        if link and base:
            link = urljoin(base, link)
        target = next((u for u in (link, guid) if u and looks_like_url(u)), None)
        doc_id = link or guid
        where = f"entry {n} of {origin}"
        if doc_id is None:
            yield ReadProblem(origin, f"entry {n} has neither a link nor an id; skipped")
            continue
        stamp = fields.get("updated") or fields.get("published") or None
        if skip is not None and skip(doc_id, stamp):
            continue
        feed_date = _struct_date(fields.get("published_parsed") or fields.get("updated_parsed"))
        item = _entry_document(fields, target, doc_id, where, client)
        if isinstance(item, ReadProblem):
            yield item
            continue
        yield dataclasses.replace(
            item, published=item.published or feed_date, title=item.title or fields.get("title") or None,
            publisher=item.publisher or publisher, url=item.url or target,
            extra={**item.extra, "feed": base or origin})


def _entry_document(entry: dict[str, Any], target: str | None, doc_id: str, where: str,
                    client: WebClient) -> Document | ReadProblem:
    """The entry's article page; its content in the feed when it has no link or the page no text."""
    content = ""
    if entry.get("content"):
        content = entry["content"][0].get("value") or ""
    content = content or entry.get("summary") or ""
    page: Document | ReadProblem | None = None
    if target is not None:
        fetched = client.fetch(target)
        if isinstance(fetched, ReadProblem):
            return dataclasses.replace(fetched, message=f"{fetched.message} ({where})")
        if is_feed(fetched.body, fetched.content_type):
            return ReadProblem(target, f"entry link is itself a feed; not followed ({where})")
        page = _page_document(fetched, doc_id, target)
        if isinstance(page, Document):
            return page
    if content.strip():
        body = Fetched(url=target or doc_id, final_url=target or doc_id, status=200,
                       content_type="text/html", charset="utf-8", body=content.encode("utf-8"))
        doc = _page_document(body, doc_id, target or doc_id)
        if isinstance(doc, Document):
            return dataclasses.replace(doc, url=target, extra={**doc.extra, "text_from": "feed"})
    if page is not None:
        return dataclasses.replace(page, message=f"{page.message} ({where})")
    return ReadProblem(doc_id, f"entry has no fetchable link and no content ({where})")


# ---------------------------------------------------------------------------------------------
# watch

@dataclass
class WatchStats:
    """What a watch did: rounds polled, documents handed to the coder, problems reported."""

    rounds: int = 0
    submitted: int = 0
    problems: int = 0
    interrupted: bool = False


def _content_hash(doc: Document) -> str:
    return hashlib.sha1(f"{doc.published}|{doc.title}|{doc.text}".encode("utf-8")).hexdigest()


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def watch(sources: Sequence[str], every_seconds: float,
          code_and_store: Callable[[list[Document]], Any], *, max_rounds: int | None = None,
          sleep: Callable[[float], None] = time.sleep, client: WebClient | None = None,
          allow_private: bool = False, is_stored: Callable[[str], bool] | None = None,
          report: Callable[[str], None] = _stderr,
          clock: Callable[[], float] = time.monotonic,
          languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> WatchStats:
    """Poll feeds, URLs and folders every ``every_seconds``; hand only new or changed documents to
    ``code_and_store`` (one call per source and round, with a list of Documents).

    Feed entries already handed over (same id, same updated stamp) are not fetched again; neither are
    entries for which ``is_stored(doc_id)`` is True (pass a store lookup so a restarted watch does
    not refetch). Folders and files are re-read each round; a document whose id and content are
    unchanged is not handed over again. A source that fails (a feed that is down, an exception in
    ``code_and_store``) is reported through ``report`` and polled again next round; a problem is
    reported once until it changes. KeyboardInterrupt stops the watch cleanly; the stats say so.
    Documents confidently not in ``languages`` (ISO 639 codes; None: any) are reported as skipped.
    """
    languages = check_codes(languages)
    web, own = _own_client(client, allow_private)
    seen_docs: dict[str, str] = {}  # doc id -> content hash handed over
    seen_entries: dict[str, str | None] = {}  # feed entry id -> its updated stamp when handed over
    reported: set[str] = set()
    down: set[str] = set()
    stats = WatchStats()

    def note(problem: ReadProblem) -> None:
        stats.problems += 1
        key = str(problem)
        if key not in reported:
            reported.add(key)
            report(f"{'skipped' if problem.skipped else 'failed'} {problem}")

    try:
        while max_rounds is None or stats.rounds < max_rounds:
            started = clock()
            stats.rounds += 1
            for spec in sources:
                stamps: dict[str, str | None] = {}

                def skip(doc_id: str, stamp: str | None) -> bool:
                    if doc_id in seen_entries and seen_entries[doc_id] == stamp:
                        return True
                    if doc_id not in seen_entries and is_stored is not None and is_stored(doc_id):
                        seen_entries[doc_id] = stamp
                        return True
                    stamps[doc_id] = stamp
                    return False

                fresh: list[Document] = []
                failed = False
                try:
                    if looks_like_url(spec):
                        items: Iterable[Item] = read_url(spec, client=web, skip=skip, languages=languages)
                    elif is_feed_file(spec):
                        items = read_feed(spec, client=web, skip=skip, languages=languages)
                    else:
                        from .sources import read_inputs

                        items = read_inputs([spec], languages=languages)
                    for item in items:
                        if isinstance(item, ReadProblem):
                            note(item)
                            failed = failed or (item.origin == spec and not item.skipped)
                        elif seen_docs.get(item.id) != _content_hash(item):
                            fresh.append(item)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # noqa: BLE001 - one source must not stop the watch
                    note(ReadProblem(spec, f"reading failed ({type(exc).__name__}: {exc})"))
                    failed = True
                if failed:
                    down.add(spec)
                elif spec in down:
                    down.discard(spec)
                    reported -= {k for k in reported if k.startswith(f"{spec}: ")}
                    report(f"{spec}: readable again")
                if not fresh:
                    continue
                try:
                    code_and_store(fresh)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # noqa: BLE001 - retried next round
                    note(ReadProblem(spec, f"coding or storing {len(fresh)} document(s) failed "
                                           f"({type(exc).__name__}: {exc}); will retry"))
                    continue
                stats.submitted += len(fresh)
                for doc in fresh:
                    seen_docs[doc.id] = _content_hash(doc)
                    if doc.id in stamps:
                        seen_entries[doc.id] = stamps[doc.id]
            if max_rounds is not None and stats.rounds >= max_rounds:
                break
            sleep(max(0.0, every_seconds - (clock() - started)))
    except KeyboardInterrupt:
        stats.interrupted = True
        report("watch stopped (interrupted)")
    finally:
        if own:
            web.close()
    return stats
