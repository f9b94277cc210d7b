"""Writers for event records: JSON Lines, CSV and Parquet (CONTRACT §3)."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from .store import EVENT_COLUMNS, flatten

__all__ = ["write_jsonl", "write_csv", "write_parquet", "FORMATS"]

FORMATS = ("jsonl", "csv", "parquet")
_COLUMNS = [n for n, _ in EVENT_COLUMNS if n != "record"]


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


def write_parquet(records: Sequence[dict[str, Any]], path: str | Path) -> int:
    """Write flattened records to a Parquet file with DuckDB (no pyarrow needed)."""
    import duckdb

    con = duckdb.connect(":memory:")
    cols = ", ".join(f"{n} {t.replace(' PRIMARY KEY', '')}" for n, t in EVENT_COLUMNS if n != "record")
    con.execute(f"CREATE TABLE ev ({cols})")
    rows = [[flatten(r).get(n) for n in _COLUMNS] for r in records]
    if rows:
        con.executemany(f"INSERT INTO ev VALUES ({', '.join('?' for _ in _COLUMNS)})", rows)
    target = str(path).replace("'", "''")
    con.execute(f"COPY ev TO '{target}' (FORMAT parquet)")
    con.close()
    return len(rows)


def to_csv_string(records: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    write_csv(records, buf)
    return buf.getvalue()
