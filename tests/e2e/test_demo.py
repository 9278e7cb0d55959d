"""End to end: `glamwatch demo` serves the bundled sites on loopback, crawls them twice with
Scrapy into SQLite, and the drift between the two runs is exactly the planted changes."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
import yaml

from tests.clirun import glamwatch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("demo")
    done = glamwatch("demo", "--out", str(out / "reports"), cwd=out)
    assert done.returncode == 0, done.stdout + done.stderr
    registry = yaml.safe_load((out / "reports" / "registry.yaml").read_text())
    sites = {i["name"]: i["sites"][0]["base_url"] for i in registry["institutions"]}
    return {"out": out, "reports": out / "reports", "stdout": done.stdout, "sites": sites}


def test_demo_drift_is_exactly_the_planted_changes(demo_run: dict) -> None:
    """Two regressions (CC0 → CC BY-NC), one vanished page, three pages whose markup was
    dropped — and nothing else: unchanged pages and site footers raise no event."""
    db = demo_run["reports"] / "demo.db"
    done = glamwatch("diff", "--db", str(db), "--format", "json", cwd=demo_run["out"])
    assert done.returncode == 0, done.stderr
    diff = json.loads(done.stdout)
    sites = {base: name for name, base in demo_run["sites"].items()}
    got = sorted(
        (
            e["kind"],
            sites[e["site"].rstrip("/")],
            urlsplit(e["url"]).path,
            tuple(e["before"]),
            tuple(e["after"]),
        )
        for e in diff["events"]
    )
    museum, archive = "Harbourside Museum of Art", "Valley Regional Archive"
    assert got == sorted(
        [
            ("regression", museum, "/object/4", ("CC0-1.0",), ("CC-BY-NC-4.0",)),
            ("regression", museum, "/object/5", ("CC0-1.0",), ("CC-BY-NC-4.0",)),
            ("page-gone", museum, "/object/6", ("CC0-1.0",), ()),
            ("markup-lost", archive, "/records/7", ("CC-BY-NC-4.0",), ()),
            ("markup-lost", archive, "/records/8", ("CC-BY-NC-4.0",), ()),
            ("markup-lost", archive, "/records/9", ("CC-BY-NC-4.0",), ()),
        ]
    )
    assert diff["from_run"] < diff["to_run"]


def test_demo_runs_are_complete_and_cover_every_site(demo_run: dict) -> None:
    db = demo_run["reports"] / "demo.db"
    done = glamwatch("runs", "--db", str(db), "--format", "json", cwd=demo_run["out"])
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    runs = runs["runs"] if isinstance(runs, dict) else runs
    assert [r["status"] for r in runs] == ["complete", "complete"]
    # v1: 3 sites × (home, collection, rights) + 6 museum objects + 4 library items + 3 records
    assert all(r["pages"] >= 22 for r in runs), runs


def test_demo_audit_verdicts_per_institution(demo_run: dict) -> None:
    """The audit of the newest run: the museum is mostly open, the library's CC BY footer does
    not make its In Copyright items open, the archive's objects are unknown after the markup
    was dropped."""
    audit = json.loads((demo_run["reports"] / "audit.json").read_text())
    pages = {urlsplit(p["url"]).path + "@" + urlsplit(p["url"]).netloc: p for p in audit["pages"]}
    by_site = {name: urlsplit(base).netloc for name, base in demo_run["sites"].items()}
    lib = by_site["Northbridge Public Library"]
    museum = by_site["Harbourside Museum of Art"]
    archive = by_site["Valley Regional Archive"]
    for item in (101, 102, 103, 104):
        page = pages[f"/items/{item}@{lib}"]
        assert page["verdict"] == "not-open", page
        assert page["licenses"] == ["RS-InC-1.0"], page
    for obj in (1, 2, 3):
        assert pages[f"/object/{obj}@{museum}"]["licenses"] == ["CC0-1.0"]
        assert pages[f"/object/{obj}@{museum}"]["verdict"] == "open"
    for obj in (4, 5):
        assert pages[f"/object/{obj}@{museum}"]["verdict"] == "not-open"
    for rec in (7, 8, 9):
        assert pages[f"/records/{rec}@{archive}"]["verdict"] == "unknown"
    # Rights-policy pages speak for the institution: never counted as object pages.
    objects = {i["name"]: i["objects"] for i in audit["institutions"]}
    assert objects == {
        "Harbourside Museum of Art": 5,  # objects 1-5; object 6 is gone (404)
        "Northbridge Public Library": 4,
        "Valley Regional Archive": 3,
    }


def test_demo_writes_every_report_and_prints_the_summary(demo_run: dict) -> None:
    reports = demo_run["reports"]
    for name in (
        "drift.md",
        "drift.html",
        "drift.json",
        "audit.md",
        "audit.html",
        "audit.json",
        "candidates.csv",
    ):
        assert (reports / name).stat().st_size > 200, name
    drift_md = (reports / "drift.md").read_text()
    assert "regression" in drift_md.lower()
    assert "/object/4" in drift_md
    assert "CC-BY-NC-4.0" in drift_md
    html = (reports / "drift.html").read_text()
    assert "<script src=" not in html
    assert "https://cdn" not in html
    out = demo_run["stdout"]
    assert "regressions" in out
    assert str(reports / "drift.html") in out.replace("\n", "")
