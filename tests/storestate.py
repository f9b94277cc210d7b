"""What a crash test compares: a store's documents and events, read back in a stable order."""
from __future__ import annotations

from pathlib import Path

import duckdb


def store_state(db: Path, doc_columns: str = "doc_id, n_events") -> tuple[list, list]:
    """(documents rows of ``doc_columns``, (event_id, doc_id, record) rows), both sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute(f"SELECT {doc_columns} FROM documents ORDER BY doc_id").fetchall()
        events = con.execute("SELECT event_id, doc_id, record FROM events ORDER BY event_id").fetchall()
    finally:
        con.close()
    return docs, events
