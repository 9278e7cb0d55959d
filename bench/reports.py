"""Benchmark: making the three reports from a store of two runs (issue 8).

    python bench/reports.py [--institutions 20] [--pages 250] [--changed 0.05]

Two complete runs of `institutions × pages` object pages (rel=license + JSON-LD + a site footer
each, built through `rules.extract.extract_all` once and reused), a fraction `changed` of the
objects turned CC0 → CC BY-NC in run 2. Prints, against a baseline measured in this same run —
reading every page and assertion row of the newest run with plain `sqlite3` (the floor any
report must pay) — the cost of: building each report's model, and rendering it as JSON, CSV,
Markdown and HTML.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.items import PageObservation
from crawler.registry import InstitutionEntry, SiteEntry
from db.store import Store
from reports import build_model, render_report
from rules.extract import extract_all

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
NC = "https://creativecommons.org/licenses/by-nc/4.0/"


def page(lic: str, n: int) -> bytes:
    return (
        "<!DOCTYPE html><html><head><title>Object</title>"
        f'<script type="application/ld+json">{{"@type": "VisualArtwork", "license": "{lic}"}}'
        f"</script></head><body><main><h1>Object {n}</h1><p>Image: "
        f'<a rel="license" href="{lic}">licence</a></p></main><footer>'
        '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY</a>'
        "</footer></body></html>"
    ).encode()


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--institutions", type=int, default=20)
    ap.add_argument("--pages", type=int, default=250)
    ap.add_argument("--changed", type=float, default=0.05)
    args = ap.parse_args()
    templates = {
        lic: extract_all(page(lic, 0), "http://t.test/object/0", content_type="text/html")
        for lic in (CC0, NC)
    }
    every = max(1, round(1 / args.changed)) if args.changed else 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store.open(f"sqlite:///{path}")
        for i in range(args.institutions):
            store.upsert_institution(
                InstitutionEntry(
                    name=f"Institution {i}",
                    survey="listed" if i % 2 else None,
                    sites=[SiteEntry(base_url=f"http://inst{i}.test")],
                )
            )
        for run_n in (1, 2):
            run = store.start_run([])
            for i in range(args.institutions):
                base = f"http://inst{i}.test"
                batch = []
                for n in range(args.pages):
                    changed = run_n == 2 and every and n % every == 0
                    result = templates[NC if changed else CC0]
                    batch.append(
                        PageObservation(
                            url=f"{base}/object/{n}",
                            site=base,
                            status=200,
                            kind="object",
                            verdict=result.verdict,
                            assertions=result.assertions,
                        )
                    )
                store.add_observations(run, batch)
            store.finish_run(run)
        n_pages = args.institutions * args.pages

        def floor() -> None:
            con = sqlite3.connect(path)
            con.execute(
                "SELECT * FROM page LEFT JOIN assertion ON assertion.page_id = page.id "
                "WHERE page.run_id = (SELECT max(id) FROM crawl_run)"
            ).fetchall()
            con.close()

        base = timed(floor)
        print(f"{n_pages} pages per run, {n_pages * 3} assertions per run, 2 runs")
        print(f"baseline: read the newest run's rows with sqlite3: {base * 1000:.1f} ms")
        for kind in ("audit", "drift", "candidates"):
            t = timed(lambda kind=kind: build_model(store, kind))
            print(f"{kind:10} model: {t * 1000:8.1f} ms  ({t / base:5.1f}× baseline)")
            for fmt in ("json", "csv", "md", "html"):
                t = timed(lambda kind=kind, fmt=fmt: render_report(store, kind, fmt))
                print(f"{kind:10} {fmt:5}: {t * 1000:8.1f} ms  ({t / base:5.1f}× baseline)")
        store.close()


if __name__ == "__main__":
    main()
