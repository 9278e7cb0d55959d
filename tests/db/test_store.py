"""The store as a library: schema at head on first use, validation at the boundary (nothing
written on bad input), append-only runs, institutions merged by QID then host."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dbtest_obs import assertion, failed, page
from sqlalchemy import func, select, text

from crawler.registry import InstitutionEntry, SiteEntry
from db import _engine
from db._validate import validate_batch
from db.errors import InvalidObservation, RunNotFound, RunStateError, StoreOpenError
from db.models import Assertion, Institution, Page, Site
from db.store import Store
from rules.model import ExtractionError

M = "http://museum.test"


def _count(store: Store, model: type) -> int:
    with store.session() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_first_open_migrates_to_head_and_sets_sqlite_pragmas(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == _engine.head_revision()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == _engine.BUSY_TIMEOUT_MS


def test_a_plain_path_means_an_sqlite_file(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "plain.db")) as store:
        assert store.url == f"sqlite:///{tmp_path / 'plain.db'}"
    assert (tmp_path / "plain.db").exists()


def test_unopenable_database_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreOpenError, match="unable to open"):
        Store.open(f"sqlite:///{tmp_path / 'missing-dir' / 'x.db'}")
    with pytest.raises(StoreOpenError):
        Store.open("nosuchdialect://x")
    garbage = tmp_path / "notes.db"
    garbage.write_text("these are not the pages you are looking for " * 100)
    with pytest.raises(StoreOpenError, match="not a database"):
        Store.open(f"sqlite:///{garbage}")
    assert garbage.read_text().startswith("these are not")  # and it is left as it was


def test_a_schema_newer_than_this_program_is_a_clear_error(sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreOpenError, match="9999"):
        Store.open(sqlite_url)


def test_runs_are_counted_and_listed(store: Store) -> None:
    run = store.start_run([M + "/"], settings={"max_pages": 5}, label="first")
    store.add_observations(
        run,
        [
            page(f"{M}/a", "CC0-1.0", site_license="CC-BY-4.0"),
            page(f"{M}/b", status=500, error="HTTP 500"),
        ],
    )
    (summary,) = store.list_runs()
    assert summary.status == "running"
    assert (summary.pages, summary.assertions, summary.errors) == (2, 2, 1)
    store.finish_run(run)
    (summary,) = store.list_runs()
    assert summary.status == "complete"
    assert summary.label == "first"
    assert summary.sites == 1
    assert summary.finished_at is not None
    assert summary.started_at.tzinfo is not None
    with pytest.raises(RunStateError):
        store.add_observations(run, [page(f"{M}/c")])
    with pytest.raises(RunStateError):
        store.finish_run(run)
    with pytest.raises(RunNotFound):
        store.finish_run(999)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "guess"}, "unknown method"),
        ({"scope": "everywhere"}, "unknown scope"),
        ({"raw": " "}, "raw value is empty"),
        ({"snippet": ""}, "snippet is empty"),
        ({"snippet": "x" * 301}, "longer than 300"),
        ({"source_url": ""}, "source_url is empty"),
        ({"verdict": "maybe"}, "verdict"),
        ({"position": "p" * 65}, "position longer than 64"),
        ({"source_url": "http://m.test/" + "x" * 2000}, "source_url longer than 2000"),
    ],
)
def test_bad_assertion_is_rejected_and_nothing_written(
    store: Store, change: dict[str, str], message: str
) -> None:
    run = store.start_run([M])
    good = page(f"{M}/good", "CC0-1.0")
    bad_assertion = dataclasses.replace(assertion("CC0-1.0", f"{M}/bad"), **change)
    bad = dataclasses.replace(page(f"{M}/bad"), assertions=(bad_assertion,))
    with pytest.raises(InvalidObservation, match=message) as info:
        store.add_observations(run, [good, bad])
    assert f"{M}/bad" in str(info.value)
    assert _count(store, Page) == 0
    assert _count(store, Assertion) == 0


def test_overlong_url_is_rejected_on_every_backend(store: Store) -> None:
    run = store.start_run([M])
    with pytest.raises(InvalidObservation, match="url longer than 2000"):
        store.add_observations(run, [page(f"{M}/" + "x" * 2000)])
    assert _count(store, Page) == 0


def test_store_checks_license_ids_against_the_real_catalog(store: Store) -> None:
    run = store.start_run([M])
    with pytest.raises(InvalidObservation, match="not in the catalog"):
        store.add_observations(run, [page(f"{M}/x", "CC-BY-99.0")])
    store.add_observations(run, [page(f"{M}/y", "CC-BY-SA-4.0", "RS-InC-1.0")])
    assert _count(store, Page) == 1


def test_unknown_license_id_is_rejected() -> None:
    """Ids are checked against the catalog (rules.catalog.get_catalog, passed in as `known`)."""
    known = {"CC0-1.0"}.__contains__
    with pytest.raises(InvalidObservation, match=r"'CC-BY-99\.0' is not in the catalog"):
        validate_batch([page(f"{M}/x", "CC-BY-99.0")], known)
    validate_batch([page(f"{M}/y", "CC0-1.0"), page(f"{M}/z")], known)  # None is fine


def test_a_url_written_again_in_the_same_run_replaces_the_first(store: Store) -> None:
    """A resumed crawl that re-fetches a page keeps one observation of it per run."""
    run = store.start_run([M])
    store.add_observations(run, [page(f"{M}/a", "CC0-1.0"), page(f"{M}/b", "CC0-1.0")])
    store.finish_run(run, "incomplete")
    store.resume_run(run)
    store.add_observations(run, [page(f"{M}/a", "ARR", site_license="CC-BY-4.0")])
    store.finish_run(run)
    with store.session() as s:
        rows = s.execute(select(Page.url, Page.licenses).order_by(Page.url)).all()
    assert [tuple(r) for r in rows] == [(f"{M}/a", "ARR"), (f"{M}/b", "CC0-1.0")]
    assert _count(store, Assertion) == 3
    assert store.list_runs()[0].pages == 2
    with pytest.raises(RunStateError):
        store.resume_run(run)


def test_page_fields_round_trip(store: Store) -> None:
    """Status, error, extraction errors (JSON), fetch time and the derived columns are kept."""
    when = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
    obs = dataclasses.replace(
        page(f"{M}/a", "CC0-1.0", site_license="CC-BY-4.0", when=when),
        extraction_errors=(ExtractionError("jsonld", "Expecting value: line 1"),),
        content_hash="ab" * 32,
        size=1234,
    )
    run = store.start_run([M])
    store.add_observations(run, [obs, page(f"{M}/b", status=410), failed(f"{M}/c")])
    with store.session() as s:
        rows = {p.url: p for p in s.execute(select(Page)).scalars()}
        a = rows[f"{M}/a"]
        assert a.extraction_errors == [{"method": "jsonld", "message": "Expecting value: line 1"}]
        assert a.fetched_at == when
        assert (a.content_hash, a.size, a.status) == ("ab" * 32, 1234, 200)
        assert (a.outcome, a.licenses, a.n_assertions, a.verdict) == ("ok", "CC0-1.0", 2, "open")
        assert rows[f"{M}/b"].outcome == "gone"
        assert (rows[f"{M}/c"].outcome, rows[f"{M}/c"].status) == ("failed", None)
        assert rows[f"{M}/c"].error is not None
        scopes = sorted(
            s.execute(select(Assertion.scope).where(Assertion.page_id == a.id)).scalars()
        )
        assert scopes == ["object", "site"]


def test_revisit_helpers(store: Store) -> None:
    assert store.last_complete_run(M) is None
    first = store.start_run([M])
    store.add_observations(first, [page(f"{M}/a", "CC0-1.0"), page(f"{M}/b")])
    store.finish_run(first)
    partial = store.start_run([M])
    store.add_observations(partial, [page(f"{M}/c")])
    store.finish_run(partial, "incomplete")
    assert store.last_complete_run(M + "/") == first
    assert store.last_complete_run("http://other.test") is None
    assert store.pages_of_run(first, M) == [f"{M}/a", f"{M}/b"]
    assert store.pages_of_run(partial, M) == [f"{M}/c"]


def test_institutions_merge_by_qid_then_host(store: Store) -> None:
    first = store.upsert_institution(
        InstitutionEntry(
            name="Rijksmuseum",
            wikidata="Q190804",
            sites=[SiteEntry(base_url="https://www.rijksmuseum.nl", seeds=["https://x/"])],
        )
    )
    by_qid = store.upsert_institution(
        InstitutionEntry(name="Rijksmuseum Amsterdam", wikidata="Q190804", country="Netherlands")
    )
    by_host = store.upsert_institution(
        InstitutionEntry(name="Rijks", website="https://rijksmuseum.nl/en")
    )
    other = store.upsert_institution(InstitutionEntry(name="Other", website="https://o.test"))
    port_a = store.upsert_institution(
        InstitutionEntry(name="A", sites=[SiteEntry(base_url="http://127.0.0.1:8001")])
    )
    port_b = store.upsert_institution(
        InstitutionEntry(name="B", sites=[SiteEntry(base_url="http://127.0.0.1:8002")])
    )
    assert first == by_qid == by_host
    assert other != first
    assert port_a != port_b  # one host, two ports: two institutions
    ministry = [
        store.upsert_institution(
            InstitutionEntry(name=f"Museo {q}", wikidata=q, website=f"https://cultura.gob.es/{q}")
        )
        for q in ("Q1", "Q2")
    ]
    assert ministry[0] != ministry[1]  # one shared host, two QIDs: two institutions
    with store.session() as s:
        inst = s.get(Institution, first)
        assert inst is not None
        assert (inst.name, inst.country, inst.wikidata) == ("Rijks", "Netherlands", "Q190804")
        site = s.execute(select(Site).where(Site.institution_id == first)).scalar_one()
        assert site.base_url == "https://www.rijksmuseum.nl"
        assert site.seeds == ["https://x/"]
    assert store.ensure_site("https://WWW.rijksmuseum.nl/path") == site.id
