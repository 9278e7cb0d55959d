"""The three reports in every format, from a database written through the real rules and store
(tests/reports/sites.py plants the changes), parsed back and checked."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
from typing import Any
from urllib.parse import urlsplit

import html5lib
import lxml.html
import pytest

from reports import FORMATS, ReportError, render_report
from reports.candidates import candidate_columns

sites = sys.modules["reports_tests_sites"]  # loaded by this folder's conftest.py
BASES = sites.BASES

MUSEUM, LIBRARY, ARCHIVE = "Harbour Museum", "Listed Library", "Candidate Archive"
HOSTILE = sites.HOSTILE_NAME


def render(store_of: Any, url: str, kind: str, fmt: str, **options: Any) -> str:
    return render_report(store_of(url), kind, fmt, **options)


def db_counts(url: str, run: int) -> dict[str, tuple[int, int]]:
    """Independent count per site base URL: (pages, open pages) of one run, with sqlite3."""
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        rows = con.execute(
            "SELECT site.base_url, count(*), sum(page.verdict = 'open') FROM page "
            "JOIN site ON site.id = page.site_id WHERE page.run_id = ? GROUP BY site.base_url",
            (run,),
        ).fetchall()
    finally:
        con.close()
    return {base: (n, int(o or 0)) for base, n, o in rows}


def test_drift_json_regressions_outage_and_the_survey_listing(report_db: str, store_of) -> None:
    drift = json.loads(render(store_of, report_db, "drift", "json"))
    assert drift["from_run"] < drift["to_run"]
    kinds = {(e["kind"], urlsplit(e["url"]).path or "/") for e in drift["events"]}
    assert ("regression", "/object/1") in kinds
    assert ("regression", "/object/2") in kinds
    assert ("unreachable", "/") in kinds  # the failed object 6, as an outage of the site
    assert not any(e["kind"] == "regression" and "library" in e["site"] for e in drift["events"])
    regression = next(e for e in drift["events"] if e["url"].endswith("/object/1"))
    assert regression["before"] == ["CC0-1.0"]
    assert regression["after"] == ["CC-BY-NC-4.0"]
    # the Survey loop: the listed library has no open object at all
    [listing] = drift["listing_regressions"]
    assert listing["institution"] == LIBRARY
    assert listing["against"] == "survey-listing"
    assert listing["before"] == ["PDM-1.0"]
    assert listing["after"] == ["RS-InC-1.0"]
    assert (
        listing["evidence"]["object_pages"]
        == db_counts(report_db, drift["to_run"])[BASES["library"]][0] - 1
    )  # every item page (the home page is not an object)
    # grouped per institution, regressions first
    names = [g["name"] for g in drift["institutions"]]
    assert names[0] == MUSEUM
    museum = drift["institutions"][0]
    assert [e["kind"] for e in museum["regressions"]] == ["regression", "regression"]
    assert [e["kind"] for e in museum["outages"]] == ["unreachable"]
    assert all(e["kind"] != "unreachable" for e in museum["changes"])
    assert drift["counts"]["regression"] == 3  # two pages + the listing


def test_drift_html_sections_numbers_and_evidence(report_db: str, store_of) -> None:
    text = render(store_of, report_db, "drift", "html")
    drift = json.loads(render(store_of, report_db, "drift", "json"))
    doc = lxml.html.fromstring(text)
    ids = [s.get("id") for s in doc.xpath("//section")]
    assert ids.index("regressions") < ids.index("changes") < ids.index("outages")
    assert doc.get_element_by_id("n-regressions").text_content() == str(
        drift["counts"]["regression"]
    )
    assert doc.get_element_by_id("n-outages").text_content() == "1"
    regs = doc.get_element_by_id("regressions")
    assert len(regs.xpath(".//div[@class='event']")) == drift["counts"]["regression"]
    body = regs.text_content()
    assert "CC-BY-NC-4.0" in body
    assert "against the Open GLAM Survey listing" in body
    assert "jsonld" in body  # evidence: method ...
    assert 'rel="license"' in body  # ... and the snippet, as text
    outages = doc.get_element_by_id("outages").text_content()
    assert "TCPTimedOutError" in outages
    assert "CC-BY-NC" not in outages
    assert doc.xpath("//svg//polyline")  # open share over time
    assert len(doc.xpath("//script")) == 1  # only ours


def test_drift_markdown_orders_sections(report_db: str, store_of) -> None:
    md = render(store_of, report_db, "drift", "md")
    assert (
        md.index("## Regressions") < md.index("## Other license changes") < md.index("## Outages")
    )
    assert md.index("/object/1") < md.index("## Outages")
    assert "regression against the Open GLAM Survey listing" in md
    assert "CC0-1.0 → CC-BY-NC-4.0" in md


def test_audit_json_contract_and_numbers(report_db: str, store_of) -> None:
    audit = json.loads(render(store_of, report_db, "audit", "json"))
    counts = db_counts(report_db, audit["run"]["id"])
    by_name = {i["name"]: i for i in audit["institutions"]}
    assert set(by_name) == {MUSEUM, LIBRARY, ARCHIVE, HOSTILE}
    for inst in audit["institutions"]:
        assert {"name", "site", "pages", "open_pages", "verdict", "licenses"} <= set(inst)
        assert (inst["pages"], inst["open_pages"]) == counts[inst["site"]]
    assert by_name[MUSEUM]["verdict"] == "mixed"
    assert by_name[LIBRARY]["verdict"] == "not-open"
    assert by_name[ARCHIVE]["verdict"] == "open"
    assert by_name[MUSEUM]["licenses"]["CC-BY-NC-4.0"] == 2
    history = by_name[MUSEUM]["history"]  # db/series.py through the store
    assert [h["run"] for h in history] == [r["id"] for r in audit["runs"]]
    assert history[-1]["open_pages"] == by_name[MUSEUM]["open_pages"]
    assert history[0]["share"] == 1.0
    assert history[-1]["share"] < 1.0
    spans = {sp["license"]: sp for sp in by_name[MUSEUM]["license_spans"]}
    assert spans["CC-BY-NC-4.0"]["first_seen_run"] == audit["run"]["id"]
    assert spans["CC0-1.0"]["runs"] == 2
    for page in audit["pages"]:
        assert {"url", "verdict", "licenses", "error"} <= set(page)
    assert len(audit["pages"]) == sum(n for n, _ in counts.values())
    codes = {name: {f["code"] for f in i["findings"]} for name, i in by_name.items()}
    assert "footer-conflict" in codes[LIBRARY]
    assert "record-no-rights" in codes[ARCHIVE]
    assert "fetch-errors" in codes[MUSEUM]
    assert "unrecognised" in codes[HOSTILE]
    assert by_name[ARCHIVE]["channels"] == {"object pages": {"CC0-1.0": 3}, "IIIF": {"none": 1}}
    assert by_name[LIBRARY]["tier"] == 2  # machine-readable, but the footer contradicts
    assert by_name[ARCHIVE]["tier"] == 2  # the IIIF manifest carries no rights


def test_audit_html_and_markdown_show_the_same_numbers(report_db: str, store_of) -> None:
    audit = json.loads(render(store_of, report_db, "audit", "json"))
    doc = lxml.html.fromstring(render(store_of, report_db, "audit", "html"))
    rows = doc.xpath("//table[@id='institutions']/tbody/tr")
    assert len(rows) == len(audit["institutions"])
    for row, inst in zip(rows, audit["institutions"], strict=True):
        cells = [c.text_content().strip() for c in row.xpath("./td")]
        assert cells[0] == inst["name"]
        assert cells[2:5] == [str(inst["pages"]), str(inst["objects"]), str(inst["open_pages"])]
        assert cells[5] == inst["verdict"]
    rubric = doc.get_element_by_id("rubric").text_content()
    assert "Machine-readable" in rubric
    recs = " ".join(li.text_content() for li in doc.xpath("//ol[@class='recommendations']/li"))
    assert "IIIF manifests carry no rights" in recs
    assert "conflicts with" in recs
    md = render(store_of, report_db, "audit", "md")
    assert "## Rubric" in md
    for inst in audit["institutions"]:
        assert f"| {inst['pages']} | {inst['objects']} | {inst['open_pages']} |" in md


def test_candidates_csv_uses_the_survey_columns(report_db: str, store_of) -> None:
    text = render(store_of, report_db, "candidates", "csv")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert reader.fieldnames == candidate_columns()
    assert reader.fieldnames[:4] == [
        "institution_name",
        "institution_name_english",
        "pretty_url",
        "country",
    ]
    names = {r["institution_name"] for r in rows}
    assert ARCHIVE in names
    assert not names & {MUSEUM, LIBRARY}  # listed already
    archive = next(r for r in rows if r["institution_name"] == ARCHIVE)
    assert archive["open_access_scope"] == "All eligible data"
    assert archive["rights_statement_compliance"] == "Public domain"
    assert archive["open_data_volume_name0"] == "Own website"
    assert archive["open_data_volume_rs0"] == "['CC0']"
    assert archive["evidence_url0"].startswith(BASES["archive"] + "/record/")
    assert archive["evidence_method"] == "jsonld"
    assert int(archive["open_object_pages"]) == 3


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", ["drift", "audit", "candidates"])
def test_hostile_text_is_escaped_in_every_format(
    report_db: str, store_of, kind: str, fmt: str
) -> None:
    text = render(store_of, report_db, kind, fmt)
    if fmt == "html":
        html5lib.HTMLParser(strict=True).parse(text)  # well-formed HTML5, or it raises
        doc = lxml.html.fromstring(text)
        assert len(doc.xpath("//script")) == 1
        assert not doc.xpath("//img")
        assert not doc.xpath("//@*[starts-with(name(), 'on')]")
        assert not [h for h in doc.xpath("//a/@href") if not h.startswith(("http", "#"))]
        assert "alert(" in doc.text_content()  # shown as text, not dropped
    elif fmt == "md":
        assert "<script" not in text
        assert "<img" not in text
        assert "&lt;script&gt;" in text or "&lt;img" in text
    elif fmt == "json":
        assert "<" not in text
        assert ">" not in text
        data = json.dumps(json.loads(text))
        assert "<script>" in data or "<img" in data  # intact once decoded
    else:
        rows = list(csv.reader(io.StringIO(text)))
        width = len(rows[0])
        assert all(len(r) == width for r in rows)  # quoting held, no row broken
        cells = [c for r in rows[1:] for c in r]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
        assert any("<script>" in c or "<img" in c for c in cells)


def test_institution_filter_and_clear_errors(report_db: str, store_of, tmp_path) -> None:
    audit = json.loads(render(store_of, report_db, "audit", "json", institution=ARCHIVE))
    assert [i["name"] for i in audit["institutions"]] == [ARCHIVE]
    assert all(p["institution"] == ARCHIVE for p in audit["pages"])
    drift = json.loads(render(store_of, report_db, "drift", "json", institution=MUSEUM))
    assert {e["site"] for e in drift["events"]} == {BASES["museum"]}
    with pytest.raises(ReportError, match="no institution named"):
        render(store_of, report_db, "audit", "json", institution="Nobody")
    with pytest.raises(ReportError, match="unknown format"):
        render(store_of, report_db, "audit", "pdf")
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(ReportError, match="no complete crawl run"):
        render(store_of, empty, "audit", "html")


def test_institutions_on_one_host_but_different_ports_stay_apart(store_of, tmp_path) -> None:
    from crawler.registry import InstitutionEntry, SiteEntry

    store = store_of(f"sqlite:///{tmp_path / 'ports.db'}")
    for name, port in (("First Museum", 8001), ("Second Library", 8002)):
        base = f"http://127.0.0.1:{port}"
        store.upsert_institution(InstitutionEntry(name=name, sites=[SiteEntry(base_url=base)]))
    run = store.start_run(["http://127.0.0.1:8001", "http://127.0.0.1:8002"])
    store.add_observations(
        run,
        [obs for port in (8001, 8002) for obs in observe_at(f"http://127.0.0.1:{port}")],
    )
    store.finish_run(run)
    audit = json.loads(render_report(store, "audit", "json"))
    assert {i["name"] for i in audit["institutions"]} == {"First Museum", "Second Library"}


def observe_at(base: str) -> list[Any]:
    from crawler.items import PageObservation
    from rules.extract import extract_all

    out = []
    for path, (ctype, body) in sites.site_pages("archive", 1, base).items():
        result = extract_all(body, base + path, content_type=ctype)
        out.append(
            PageObservation(
                url=base + path,
                site=base,
                status=200,
                content_type=ctype,
                verdict=result.verdict,
                assertions=result.assertions,
            )
        )
    return out


def test_candidates_leave_out_institutions_a_survey_export_lists(
    report_db: str, store_of, tmp_path
) -> None:
    from crawler.registry import InstitutionEntry
    from crawler.registry_io import to_survey_csv

    survey = tmp_path / "survey.csv"
    listed = InstitutionEntry(name="Archive (as the Survey spells it)", website=BASES["archive"])
    survey.write_text(to_survey_csv([listed], ours=False), encoding="utf-8")
    before = json.loads(render(store_of, report_db, "candidates", "json"))
    after = json.loads(render(store_of, report_db, "candidates", "json", survey=str(survey)))
    names = {r["institution_name"] for r in after["candidates"]}
    assert ARCHIVE in {r["institution_name"] for r in before["candidates"]}
    assert ARCHIVE not in names
    assert after["already_listed"] == 1
    assert len(after["candidates"]) == len(before["candidates"]) - 1


def _without_times(value: Any) -> Any:
    """Drop timestamps (they differ between two databases written a moment apart)."""
    if isinstance(value, dict):
        return {
            k: _without_times(v)
            for k, v in value.items()
            if not (k.endswith(("_at", "_started")) or k == "run_started")
        }
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    return value


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["audit", "drift", "candidates"])
def test_postgresql_gives_the_same_reports(
    report_db: str, pg_report_db: str, store_of, kind
) -> None:
    lite = json.loads(render(store_of, report_db, kind, "json"))
    pg = json.loads(render(store_of, pg_report_db, kind, "json"))
    assert _without_times(pg) == _without_times(lite)
    assert lite.get("institutions") or lite.get("candidates")
    html = render(store_of, pg_report_db, kind, "html")
    assert len(lxml.html.fromstring(html).xpath("//script")) == 1


def test_long_page_lists_are_cut_in_markdown_and_html(
    report_db: str, store_of, monkeypatch
) -> None:
    import reports.render

    audit = json.loads(render(store_of, report_db, "audit", "json"))
    monkeypatch.setattr(reports.render, "PAGE_LIMIT", {"md": 2, "html": 3})
    md = render(store_of, report_db, "audit", "md")
    pages_part = md[md.index("## Pages") :]
    assert pages_part.count("\n| [http") == 2
    assert f"{len(audit['pages']) - 2} more pages are in the JSON format" in md
    doc = lxml.html.fromstring(render(store_of, report_db, "audit", "html"))
    assert len(doc.xpath("//section[@id='pages']//tbody/tr")) == 3


def test_new_pages_are_listed_compactly_and_long_sections_cut(
    report_db: str, store_of, monkeypatch
) -> None:
    import reports.render

    drift = json.loads(render(store_of, report_db, "drift", "json"))
    new = [e for e in drift["events"] if e["kind"] == "new-page"]
    assert new  # museum object 5 appeared in run 2
    doc = lxml.html.fromstring(render(store_of, report_db, "drift", "html"))
    listed = doc.xpath("//section[@id='new']//li[@class='event']")
    assert len(listed) == len(new)
    assert not doc.xpath("//section[@id='new']//table")  # no evidence tables for new pages
    monkeypatch.setattr(reports.render, "EVENT_LIMIT", {"md": 1, "html": 1})
    md = render(store_of, report_db, "drift", "md")
    regressions = md[md.index("## Regressions") : md.index("## Other license changes")]
    assert regressions.count("- **regression** ") == 1
    assert "1 more events are in the JSON format" in regressions
