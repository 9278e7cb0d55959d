"""The HTML reports in a real headless Chromium: no console errors, no CSP violation, hostile
text stays text, tables sort, and the screenshot is not blank."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from reports import render_report

chromium = sys.modules["reports_tests_chromium"]  # loaded by this folder's conftest.py

SORT_JS = """(() => {
  const t = document.querySelector('#pages table.sortable') ||
            document.querySelector('table.sortable');
  const th = t.tHead.rows[0].cells[%d];
  const col = () => [...t.tBodies[0].rows].map(r => r.cells[%d].textContent.trim());
  th.click(); const up = col();
  th.click(); const down = col();
  return JSON.stringify([th.getAttribute('aria-sort'), up, down]);
})()"""

CHECKS = (
    "document.title",
    "document.querySelectorAll('img').length",
    "document.querySelectorAll('svg').length",
    "document.querySelectorAll('section').length",
)


@pytest.mark.parametrize(("kind", "sort_col"), [("audit", 3), ("drift", 0), ("candidates", 7)])
def test_report_renders_in_chromium(
    report_db: str, store_of, browser, tmp_path: Path, kind: str, sort_col: int
) -> None:
    path = tmp_path / f"{kind}.html"
    path.write_text(render_report(store_of(report_db), kind, "html"), encoding="utf-8")
    out = browser(path, tmp_path / "profile", (*CHECKS, SORT_JS % (sort_col, sort_col)))
    assert out["errors"] == []
    title, imgs, svgs, sections, sort = out["results"]
    assert "PWNED" not in title
    assert title.endswith("OpenGLAM Watch")
    assert imgs == 0  # the hostile <img onerror> never became an element
    assert sections >= 1
    if kind != "candidates":
        assert svgs >= 1
    state, up, down = json.loads(sort)
    assert state == "descending"
    assert down == list(reversed(up)) or up == down  # equal keys keep a stable order
    stats = chromium.png_stats(out["png"])
    assert stats["width"] >= 1000
    assert stats["colours"] > 50  # text, charts, header: not a blank page
    assert 0.01 < stats["ink"] < 0.9


def test_audit_sort_is_numeric(report_db: str, store_of, browser, tmp_path: Path) -> None:
    path = tmp_path / "audit.html"
    path.write_text(render_report(store_of(report_db), "audit", "html"), encoding="utf-8")
    js = """(() => {
      const t = document.getElementById('institutions');
      t.tHead.rows[0].cells[2].click();
      return [...t.tBodies[0].rows].map(r => Number(r.cells[2].textContent));
    })()"""
    out = browser(path, tmp_path / "profile", (js,))
    assert out["errors"] == []
    [pages] = out["results"]
    assert pages == sorted(pages)
    assert len(set(pages)) > 1  # the sort had something to do


def test_a_broken_page_is_caught(browser, tmp_path: Path) -> None:
    """The harness itself: a script error and a console.error are reported, a blank page is
    recognised as blank (so the checks above can fail)."""
    page = tmp_path / "bad.html"
    page.write_text("<script>console.error('boom'); nosuch();</script>", encoding="utf-8")
    out = browser(page, tmp_path / "profile", ())
    assert any("boom" in e for e in out["errors"])
    assert any(e.startswith("exception") for e in out["errors"])
    assert chromium.png_stats(out["png"])["ink"] < 0.01
