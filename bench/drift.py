"""Benchmark: drift between two runs and the store's insert rate, on SQLite (issue 7).

    python bench/drift.py [--assertions 1000000] [--per-page 2] [--changed 0.01]

Two runs of N assertions each (N / per-page pages; one object-scope and per-page − 1
site-scope assertions per page), a fraction `changed` of the pages with another object
license in run 2. Prints, each against a baseline measured in this same run:

- insert rate through `Store.add_observations` vs raw `sqlite3.executemany` of the same rows
  into the same schema, same batch size and one transaction per batch, the two writers
  alternating batch by batch (target ≥ 50 %);
- `Store.diff` (the SQL, the events with their evidence, saving them) vs the plain `sqlite3`
  execution of the same join statement (target < 5 s).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.items import PageObservation
from db.drift import changed_pairs
from db.store import Store, object_license_key, page_outcome
from rules.model import Assertion

SITE = "http://bench.test"


def observations(
    run: int, start: int, stop: int, per_page: int, changed_every: int
) -> list[PageObservation]:
    now = datetime.now(UTC)
    out = []
    for n in range(start, stop):
        url = f"{SITE}/object/{n}"
        changed = run == 2 and n % changed_every == 0
        lic, verdict = ("ARR", "not-open") if changed else ("CC0-1.0", "open")
        raw = f"https://licenses.test/{lic}"
        asserts = [
            Assertion(
                lic,
                None,
                "rel-license",
                "object",
                raw,
                f'<a rel="license" href="{raw}">',
                verdict,
                url,
                position="main",
            )
        ]
        for k in range(per_page - 1):
            asserts.append(
                Assertion(
                    "CC-BY-4.0",
                    None,
                    "text",
                    "site",
                    "CC BY 4.0",
                    f"footer {k}: CC BY",
                    "open",
                    url,
                    position="footer",
                )
            )
        out.append(
            PageObservation(
                url=url,
                site=SITE,
                final_url=url,
                status=200,
                content_type="text/html",
                content_hash=f"{n:064x}",
                size=1000,
                fetched_at=now,
                kind="object",
                verdict=verdict,
                assertions=tuple(asserts),
            )
        )
    return out


PAGE_SQL = (
    "INSERT INTO page (id, run_id, site_id, url, final_url, status, content_type, content_hash,"
    " size, kind, verdict, error, extraction_errors, fetched_at, outcome, licenses, n_assertions)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
ASSERT_SQL = (
    "INSERT INTO assertion (page_id, license, jurisdiction, method, scope, raw, snippet, verdict,"
    " match, basis, rule_source, position, source_url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


class RawWriter:
    """The floor: the same rows with sqlite3.executemany, ids assigned by hand."""

    def __init__(self, path: Path) -> None:
        with Store.open(f"sqlite:///{path}") as s:  # the same schema and indexes
            self.site = s.ensure_site(SITE)
            self.runs = [s.start_run([SITE]), s.start_run([SITE])]
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.pid = 0

    def write(self, run_no: int, batch: list[PageObservation]) -> int:
        run = self.runs[run_no - 1]
        page_rows, assert_rows = [], []
        for o in batch:
            self.pid += 1
            page_rows.append(
                (
                    self.pid,
                    run,
                    self.site,
                    o.url,
                    o.final_url,
                    o.status,
                    o.content_type,
                    o.content_hash,
                    o.size,
                    o.kind,
                    o.verdict,
                    o.error,
                    None,
                    o.fetched_at.isoformat(),
                    page_outcome(o.status, o.error),
                    object_license_key(o),
                    len(o.assertions),
                )
            )
            assert_rows += [
                (
                    self.pid,
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
                for a in o.assertions
            ]
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(PAGE_SQL, page_rows)
        self.conn.executemany(ASSERT_SQL, assert_rows)
        self.conn.execute("COMMIT")
        return len(page_rows) + len(assert_rows)


def insert_both(
    store: Store, raw: RawWriter, pages: int, args: argparse.Namespace
) -> tuple[float, float, int]:
    """Both runs into both databases, batch by batch alternately, so that both see the same
    machine load; returns (store seconds, raw seconds, rows written to each)."""
    store_s = raw_s = 0.0
    rows = 0
    for run_no in (1, 2):
        run = store.start_run([SITE])
        for start in range(0, pages, args.batch):
            stop = min(pages, start + args.batch)
            batch = observations(run_no, start, stop, args.per_page, args.changed_every)
            t = time.perf_counter()
            rows += raw.write(run_no, batch)
            raw_s += time.perf_counter() - t
            t = time.perf_counter()
            store.add_observations(run, batch)
            store_s += time.perf_counter() - t
        store.finish_run(run)
    return store_s, raw_s, rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--assertions", type=int, default=1_000_000, help="assertions per run")
    ap.add_argument("--per-page", type=int, default=2, help="assertions per page")
    ap.add_argument("--changed", type=float, default=0.01, help="fraction of pages changed")
    ap.add_argument("--batch", type=int, default=1000, help="pages per add_observations call")
    ap.add_argument(
        "--dir", type=Path, default=None, help="keep the SQLite files here (default: a temp dir)"
    )
    args = ap.parse_args()
    args.changed_every = max(1, round(1 / args.changed))
    pages = args.assertions // args.per_page
    tmp = Path(args.dir or tempfile.mkdtemp(prefix="glamwatch-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    db, floor_db = tmp / "store.db", tmp / "raw.db"
    for p in (db, floor_db):
        p.unlink(missing_ok=True)
    print(
        f"{pages} pages × {args.per_page} = {pages * args.per_page} assertions per run, "
        f"{100 / args.changed_every:.2f} % of pages changed; sqlite {sqlite3.sqlite_version}"
    )

    raw = RawWriter(floor_db)
    with Store.open(f"sqlite:///{db}") as store:
        store_s, raw_s, rows = insert_both(store, raw, pages, args)
        raw.conn.close()
        store_rate = rows / store_s
        raw_rate = rows / raw_s
        print(
            f"insert: store {store_rate:,.0f} rows/s, raw sqlite3.executemany "
            f"{raw_rate:,.0f} rows/s -> {store_rate / raw_rate:.0%} of raw (target >= 50 %)"
        )

        with store.engine.connect() as conn:
            sql, params = _changed_pairs_statement(conn)
        t = time.perf_counter()
        result = store.diff()
        drift_s = time.perf_counter() - t
    plain = sqlite3.connect(db)
    t = time.perf_counter()
    n_rows = len(plain.execute(sql, params).fetchall())
    plain_s = time.perf_counter() - t
    plain.close()
    expected = len(range(0, pages, args.changed_every))
    print(
        f"drift: Store.diff {drift_s:.2f} s ({len(result.events)} events; {expected} planted); "
        f"plain sqlite3 same join {plain_s:.2f} s ({n_rows} rows) -> ratio "
        f"{drift_s / plain_s:.2f} (target < 5 s)"
    )
    if args.dir is None:
        shutil.rmtree(tmp, ignore_errors=True)  # two runs of 1M assertions take ~1.3 GB
    if len(result.regressions) != expected:
        raise SystemExit(f"wrong result: {len(result.regressions)} regressions, {expected} planted")


def _changed_pairs_statement(conn: Connection) -> tuple[str, tuple[Any, ...]]:
    """The drift join's SQL and parameters, as db/drift.py sends them to sqlite3."""
    captured: list[tuple[str, tuple[Any, ...]]] = []

    def grab(*args: Any) -> None:
        captured.append((args[2], tuple(args[3])))

    event.listen(conn, "before_cursor_execute", grab)
    changed_pairs(conn, 1, 2)
    event.remove(conn, "before_cursor_execute", grab)
    return captured[-1]


if __name__ == "__main__":
    main()
