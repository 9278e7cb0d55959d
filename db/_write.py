"""The write path of one observation batch: the part of the store the benchmark measures.

Rows are built as tuples and sent with the driver's `executemany` (SQLAlchemy's per-row
machinery costs more than the database here, DESIGN.md §5a). On SQLite the writer holds the
database lock (BEGIN IMMEDIATE), so page ids are assigned as max(id)+1… and no RETURNING
round-trip per row is needed; on PostgreSQL (psycopg) the ids are taken from the sequence in
one statement and the rows go in with COPY.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import delete, insert, text
from sqlalchemy.engine import Connection

from crawler.items import PageObservation
from db.models import Page
from rules.classify import object_licenses

PAGE_COLUMNS = (
    "run_id",
    "site_id",
    "url",
    "final_url",
    "status",
    "content_type",
    "content_hash",
    "size",
    "kind",
    "verdict",
    "error",
    "extraction_errors",
    "fetched_at",
    "outcome",
    "licenses",
    "n_assertions",
)
ASSERTION_COLUMNS = (
    "page_id",
    "license",
    "jurisdiction",
    "method",
    "scope",
    "raw",
    "snippet",
    "verdict",
    "match",
    "basis",
    "rule_source",
    "position",
    "source_url",
)
_CHUNK = 500


def page_outcome(status: int | None, error: str | None) -> str:
    """`gone` (404/410), `ok` (2xx/3xx and no error) or `failed` (anything else)."""
    if status in (404, 410):
        return "gone"
    if error is None and status is not None and 200 <= status < 400:
        return "ok"
    return "failed"


def object_license_key(obs: PageObservation) -> str:
    """Object-scope license ids of a page, sorted, unique, space-joined (drift compares it)."""
    return " ".join(object_licenses(obs.assertions))


def _insert_sql(conn: Connection, table: str, columns: Sequence[str]) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    # table and column names are the constants above, values are bound parameters
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"  # noqa: S608


def _processors(conn: Connection) -> dict[str, Callable[[Any], Any]]:
    """Bind processors of the page columns that need one (dates, JSON) on this dialect."""
    out: dict[str, Callable[[Any], Any]] = {}
    for name in ("fetched_at", "extraction_errors"):
        proc = Page.__table__.c[name].type.bind_processor(conn.dialect)
        if proc is not None:
            out[name] = proc
    return out


def _copy(
    conn: Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """PostgreSQL COPY FROM STDIN on the connection's own transaction (psycopg 3)."""
    raw: Any = conn.connection.dbapi_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def insert_observations(
    conn: Connection,
    run_id: int,
    batch: Sequence[PageObservation],
    site_ids: Sequence[int],
    *,
    replace: bool = False,
) -> tuple[int, int, int]:
    """Insert the batch's pages and assertions; returns (new pages, assertions, failed pages).

    With `replace`, pages of this run with the same URLs are deleted first (their assertions
    go with them); without it a URL already stored in the run is a unique-constraint error,
    which the store answers by retrying with `replace` (the rare resumed-run case).
    """
    replaced = 0
    if replace:
        urls = [o.url for o in batch]
        for i in range(0, len(urls), _CHUNK):
            chunk = urls[i : i + _CHUNK]
            done = conn.execute(delete(Page).where(Page.run_id == run_id, Page.url.in_(chunk)))
            replaced += max(done.rowcount or 0, 0)
    proc = _processors(conn)
    when = proc.get("fetched_at", lambda v: v)
    as_json = proc.get("extraction_errors", lambda v: v)
    if conn.dialect.driver == "psycopg":  # COPY takes the JSON column as text
        as_json = json.dumps
    failed = 0
    page_rows: list[tuple[Any, ...]] = []
    for o, site_id in zip(batch, site_ids, strict=True):
        outcome = page_outcome(o.status, o.error)
        failed += outcome == "failed"
        errors = [e.to_json() for e in o.extraction_errors] or None
        page_rows.append(
            (
                run_id,
                site_id,
                o.url,
                o.final_url,
                o.status,
                o.content_type,
                o.content_hash,
                o.size,
                o.kind,
                o.verdict,
                o.error,
                as_json(errors) if errors is not None else None,
                when(o.fetched_at),
                outcome,
                object_license_key(o),
                len(o.assertions),
            )
        )
    if conn.dialect.name == "sqlite":
        first = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM page").scalar_one()) + 1
        ids: list[int] = list(range(first, first + len(page_rows)))
        conn.exec_driver_sql(
            _insert_sql(conn, "page", ("id", *PAGE_COLUMNS)),
            [(pid, *row) for pid, row in zip(ids, page_rows, strict=True)],
        )
    elif conn.dialect.driver == "psycopg":
        ids = list(
            conn.execute(
                text(
                    "SELECT nextval(pg_get_serial_sequence('page', 'id'))"
                    " FROM generate_series(1, :n)"
                ),
                {"n": len(page_rows)},
            ).scalars()
        )
        _copy(
            conn,
            "page",
            ("id", *PAGE_COLUMNS),
            [(i, *r) for i, r in zip(ids, page_rows, strict=True)],
        )
    else:  # any other backend: SQLAlchemy's own multi-row INSERT … RETURNING
        dicts = [dict(zip(PAGE_COLUMNS, row, strict=True)) for row in page_rows]
        for d, o in zip(dicts, batch, strict=True):  # let SQLAlchemy bind these itself
            d["fetched_at"] = o.fetched_at
            d["extraction_errors"] = [e.to_json() for e in o.extraction_errors] or None
        ids = list(
            conn.execute(insert(Page).returning(Page.id, sort_by_parameter_order=True), dicts)
            .scalars()
            .all()
        )
    rows = [
        (
            pid,
            a.license,
            a.jurisdiction,
            a.method,
            a.scope,
            a.raw,
            a.snippet,
            a.verdict,
            a.match,
            a.basis,
            a.rule_source,
            a.position,
            a.source_url,
        )
        for pid, o in zip(ids, batch, strict=True)
        for a in o.assertions
    ]
    if rows and conn.dialect.driver == "psycopg":
        _copy(conn, "assertion", ASSERTION_COLUMNS, rows)
    elif rows:
        conn.exec_driver_sql(_insert_sql(conn, "assertion", ASSERTION_COLUMNS), rows)
    return len(page_rows) - replaced, len(rows), failed
