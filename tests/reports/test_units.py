"""Unit tests on strings and plain rows: escaping helpers, chart geometry, the audit rubric."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.audit import institution_audit, tier
from reports.charts import bar_chart, line_chart
from reports.queries import AssertionRow, InstitutionRow, PageRow
from reports.render import csv_cell, href, md_escape, md_link, to_csv, to_json
from reports.survey_labels import label_ids, survey_label

HOSTILE = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def test_markdown_escape_leaves_no_markup_or_html() -> None:
    out = md_escape("# Title *bold* [link](javascript:x) | cell\n" + HOSTILE)
    assert "<" not in out
    assert ">" not in out.replace("&gt;", "")
    assert out.startswith("\\#")
    assert "\\*bold\\*" in out
    assert "\\[link\\]" in out
    assert "\\|" in out
    assert "\n" not in out


def test_markdown_links_only_for_http_and_percent_encoded() -> None:
    assert md_link("javascript:alert(1)") == "javascript:alert(1)"
    link = md_link('http://127.0.0.1/a"><img src=x onerror=alert(1)>(x)')
    target = link[link.index("](") + 2 : -1]
    assert not set(target) & set('"<> ()')
    assert "&lt;img" in link[: link.index("](")]


def test_href_allows_only_http_urls() -> None:
    assert href("https://example.org/x") == "https://example.org/x"
    for bad in ("javascript:alert(1)", "data:text/html,<script>", "//evil", "", None):
        assert href(bad) == "#"


def test_csv_cells_cannot_become_formulas() -> None:
    text = to_csv(["a", "b"], [{"a": '=HYPERLINK("http://x")', "b": HOSTILE}])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0].startswith("'=")
    assert rows[1][1] == HOSTILE  # quoted by the csv module, read back unchanged
    assert csv_cell(["x", "y"]) == "x y"
    assert csv_cell("-1+2") == "'-1+2"


def test_json_escapes_angle_brackets_and_round_trips() -> None:
    text = to_json({"title": HOSTILE})
    assert "<" not in text
    assert ">" not in text
    assert json.loads(text)["title"] == HOSTILE


def test_bar_chart_scales_to_the_largest_and_folds_the_tail() -> None:
    chart = bar_chart({f"L{n}": n for n in range(1, 16)}, limit=5)
    widths = [b["w"] for b in chart["bars"]]
    assert [b["label"] for b in chart["bars"]] == ["L15", "L14", "L13", "L12", "other"]
    assert chart["bars"][-1]["value"] == sum(range(1, 12))
    assert max(widths) == chart["bars"][-1]["w"]  # "other" is the largest here
    assert bar_chart({})["bars"] == []


def test_line_chart_places_shares_between_top_and_bottom() -> None:
    series = {
        "A": [{"run": 1, "share": 1.0}, {"run": 2, "share": 0.5}],
        "B": [{"run": 1, "share": None}, {"run": 2, "share": 0.0}],
    }
    chart = line_chart(series, [1, 2])
    a, b = chart["lines"]
    assert a["dots"][0]["y"] == chart["top"]
    assert b["dots"][0]["y"] == chart["bottom"]
    assert len(b["dots"]) == 1  # a run without a decided page draws no point
    assert a["dots"][1]["share"] == 50


def test_survey_labels_both_ways() -> None:
    assert survey_label("CC-BY-SA-4.0") == "CC BY-SA"
    assert survey_label("CC-BY-4.0") == "CC BY"
    assert survey_label("CC-BY-NC-4.0") == "Other"
    assert survey_label("PDM-1.0") == "Public Domain Mark"
    assert label_ids(["CC0", "No Copyright - United States", "Other"]) == [
        "CC0-1.0",
        "RS-NoC-US-1.0",
        "Other",
    ]


def a(lic: str | None, method: str, scope: str, verdict: str, raw: str = "") -> AssertionRow:
    if not raw and lic and lic.startswith("RS-"):
        raw = f"http://rightsstatements.org/vocab/{lic[3:-4]}/1.0/"
    raw = raw or f"https://licenses.example/{lic}"
    return AssertionRow(lic, None, method, scope, raw, "<a>", verdict, None, None, "http://s")


def page(n: int, *assertions: AssertionRow, kind: str = "object", verdict: str = "open") -> PageRow:
    return PageRow(f"http://s/o/{n}", "http://s", "S", kind, 200, "ok", verdict, None, assertions)


CC0 = ("CC0-1.0", "open")
FOOTER = a("CC-BY-4.0", "rel-license", "site", "open")


@pytest.mark.parametrize(
    ("pages", "want_tier", "codes"),
    [
        ([page(n, a(*CC0[:1], "rel-license", "object", "open")) for n in range(10)], 4, set()),
        (
            [
                page(n, a("CC0-1.0", "jsonld", "object", "open"), a("ARR", "text", "site", "n"))
                for n in range(10)
            ],
            4,
            {"footer-notice"},
        ),
        (
            [
                page(
                    n,
                    a("CC0-1.0", "jsonld", "object", "open"),
                    a("ARR", "rel-license", "site", "not-open"),
                )
                for n in range(10)
            ],
            2,
            {"footer-conflict"},
        ),
        (
            [page(n, a("CC0-1.0", "text", "object", "open")) for n in range(10)],
            1,
            {"text-only"},
        ),
        (
            [
                page(
                    n,
                    a("RS-InC-1.0", "rel-license", "object", "not-open"),
                    FOOTER,
                    verdict="not-open",
                )
                for n in range(10)
            ],
            2,
            {"footer-conflict", "not-open"},
        ),
        (
            [
                page(n, a("RS-InC-1.0", "jsonld", "object", "not-open"), verdict="not-open")
                for n in range(10)
            ],
            3,
            {"not-open"},
        ),
        (
            [page(0, a("CC0-1.0", "rel-license", "object", "open"))]
            + [page(n, kind="object", verdict="unknown") for n in range(1, 10)],
            0,
            {"no-object-license"},
        ),
    ],
)
def test_rubric_tiers_and_findings(pages: list[PageRow], want_tier: int, codes: set[str]) -> None:
    audit = institution_audit(InstitutionRow("S", sites=["http://s"]), pages)
    assert audit["tier"] == want_tier
    assert {f["code"] for f in audit["findings"]} == codes
    assert audit["objects"] == len(pages)
    assert audit["open_pages"] == sum(p.verdict == "open" for p in pages)


def test_iiif_without_rights_and_label_only_statements_are_found() -> None:
    pages = [page(n, a("CC0-1.0", "rel-license", "object", "open")) for n in range(9)] + [
        page(9, a("RS-NoC-US-1.0", "text", "object", "open", raw="No Copyright - United States")),
        page(10, kind="iiif", verdict="unknown"),
    ]
    audit = institution_audit(InstitutionRow("S", sites=["http://s"]), pages)
    codes = {f["code"] for f in audit["findings"]}
    assert {"record-no-rights", "rs-label", "text-only"} <= codes
    assert audit["records"] == 1
    assert audit["tier"] == 2  # machine-readable on 9 of 10 object pages, but not consistent
    recs = " ".join(audit["recommendations"])
    assert "IIIF manifests carry no rights" in recs
    assert "rightsstatements.org URI" in recs


def test_tier_thresholds() -> None:
    base = {"stated": 1.0, "machine_readable": 1.0, "consistent": True, "open": True}
    assert tier(base) == 4
    assert tier(base | {"open": False}) == 3
    assert tier(base | {"machine_readable": 0.89}) == 1
    assert tier(base | {"stated": 0.5}) == 0


@given(st.text())
def test_markdown_escape_property(text: str) -> None:
    out = md_escape(text)
    assert "<" not in out
    assert ">" not in out
    assert "\n" not in out
    for ch in "*_`[]|~":  # every markup character is preceded by a backslash
        for i, c in enumerate(out):
            if c == ch:
                assert out[i - 1] == "\\"


@given(st.text())
def test_json_output_never_contains_raw_angle_brackets(text: str) -> None:
    out = to_json({"v": text, "key:" + text[:20]: [text]})
    assert "<" not in out
    assert ">" not in out
    assert json.loads(out)["v"] == text
