"""The institution series the reports chart: share of object pages open, dominant license and
first/last seen per license, per complete run (incomplete runs left out)."""

from __future__ import annotations

from dbtest_obs import page

from crawler.registry import InstitutionEntry, SiteEntry
from db.store import Store

M = "http://museum.test"
L = "http://library.test"


def test_series_and_license_spans(store: Store) -> None:
    museum = store.upsert_institution(
        InstitutionEntry(
            name="Museum", sites=[SiteEntry(base_url=M), SiteEntry(base_url=M + ":8080")]
        )
    )
    r1 = store.start_run([M])
    store.add_observations(
        r1,
        [
            page(f"{M}/o/1", "CC0-1.0"),
            page(f"{M}/o/2", "CC0-1.0"),
            page(f"{M}:8080/o/3", "CC-BY-4.0"),
            page(f"{M}/o/4", "ARR", site_license="CC-BY-4.0"),
            page(f"{M}/o/5", status=500, error="HTTP 500"),
            page(f"{L}/i/1", "RS-InC-1.0"),
        ],
    )
    store.finish_run(r1)
    broken = store.start_run([M])
    store.add_observations(broken, [page(f"{M}/o/1", "ARR")])
    store.finish_run(broken, "incomplete")
    r3 = store.start_run([M])
    store.add_observations(r3, [page(f"{M}/o/1", "ARR"), page(f"{M}/o/2", "CC0-1.0")])
    store.finish_run(r3)

    points = store.institution_series(museum)
    assert [(p.run_id, p.object_pages, p.open_pages) for p in points] == [(r1, 4, 3), (r3, 2, 1)]
    first, last = points
    assert first.share_open == 0.75
    assert first.dominant_license == "CC0-1.0"
    assert first.licenses == {"ARR": 1, "CC-BY-4.0": 1, "CC0-1.0": 2}
    assert last.dominant_license == "ARR"  # tie 1–1 broken alphabetically
    assert first.institution == "Museum"

    library = [p for p in store.institution_series() if p.institution == L]
    assert [(p.run_id, p.share_open, p.institution_id) for p in library] == [(r1, 0.0, None)]

    spans = {s.license: s for s in store.license_spans(museum)}
    assert (spans["CC0-1.0"].first_seen_run, spans["CC0-1.0"].last_seen_run) == (r1, r3)
    assert (spans["CC-BY-4.0"].first_seen_run, spans["CC-BY-4.0"].last_seen_run) == (r1, r1)
    assert (spans["ARR"].runs, spans["ARR"].last_seen_run) == (2, r3)
    assert spans["ARR"].first_seen_at <= spans["ARR"].last_seen_at
