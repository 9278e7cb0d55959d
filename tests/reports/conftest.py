"""Fixtures for the report tests: a database built from real HTML through the real rules and
store, and headless Chromium (a missing browser is a failure with its reason, not a skip)."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).parent


def _load(name: str) -> ModuleType:
    return _load_from(HERE / f"{name}.py", f"reports_tests_{name}")


def _load_from(path: Path, name: str) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sites = _load("sites")
chromium = _load("chromium")

BASES = sites.BASES


def institution_entries(bases: dict[str, str]) -> list[Any]:
    from crawler.registry import InstitutionEntry, SiteEntry

    out = []
    for key, info in sites.INSTITUTIONS.items():
        extra = {}
        if "platforms" in info:
            extra["platforms"] = [{**p, "url": bases[key] + p["url"]} for p in info["platforms"]]
        out.append(
            InstitutionEntry(
                name=info["name"],
                country=info["country"],
                type=info["type"],
                survey=info.get("survey"),
                survey_url=info.get("survey_url"),
                website=bases[key] + "/",
                sites=[
                    SiteEntry(
                        base_url=bases[key], object_patterns=["/object/", "/item/", "/record/"]
                    )
                ],
                extra=extra,
            )
        )
    return out


def observe(key: str, version: int, base: str) -> list[Any]:
    """PageObservations of one site version, as the spider would yield them."""
    from crawler.items import PageObservation
    from rules.extract import extract_all

    out = []
    for path, (ctype, body) in sites.site_pages(key, version, base).items():
        url = base + path
        result = extract_all(body, url, content_type=ctype)
        kind = (
            "iiif"
            if result.kind == "iiif"
            else (
                "object" if any(p in path for p in ("/object/", "/item/", "/record/")) else "page"
            )
        )
        out.append(
            PageObservation(
                url=url,
                site=base,
                final_url=url,
                status=200,
                content_type=ctype,
                content_hash=hashlib.sha256(body).hexdigest(),
                size=len(body),
                kind=kind,
                verdict=result.verdict,
                assertions=result.assertions,
                extraction_errors=result.errors,
            )
        )
    if key == "museum" and version == 2:
        out.append(
            PageObservation(
                url=base + "/object/6",
                site=base,
                kind="object",
                error="twisted.internet.error.TCPTimedOutError: TCP connection timed out",
            )
        )
    return out


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite URL of a database with two complete runs of the four fictional sites."""
    return build_db(f"sqlite:///{tmp_path_factory.mktemp('reports') / 'reports.db'}")


def build_db(url: str) -> str:
    """Write the institutions and the two runs of the fictional sites into `url`."""
    from db.store import Store

    with Store.open(url) as store:
        for entry in institution_entries(BASES):
            store.upsert_institution(entry)
        for version in (1, 2):
            run = store.start_run(list(BASES.values()), label=f"v{version}")
            for key, base in BASES.items():
                store.add_observations(run, observe(key, version, base))
            store.finish_run(run)
    return url


@pytest.fixture(scope="session")
def pg_report_db() -> Iterator[str]:
    """The same database on a real PostgreSQL (tests/db's server helper); fails if it cannot
    start."""
    pg = _load_from(HERE.parent / "db" / "dbtest_pg.py", "reports_tests_pg")
    try:
        server = pg.start_pg()
    except pg.PgServerError as exc:
        pytest.fail(f"PostgreSQL could not be started: {exc}")
    try:
        yield build_db(server.new_database())
    finally:
        server.stop()


@pytest.fixture
def store_of() -> Iterator[Callable[[str], Any]]:
    from db.store import Store

    opened: list[Any] = []

    def open_(url: str) -> Any:
        store = Store.open(url)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def browser() -> Callable[..., dict[str, Any]]:
    reason = chromium.chromium_missing()
    if reason:
        pytest.fail(reason)
    return chromium.open_page
