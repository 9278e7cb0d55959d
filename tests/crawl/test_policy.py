"""Crawl policy as pure functions: URLs, traps, link kinds, sitemaps, budgets, SSRF, failures."""

from __future__ import annotations

import gzip

import pytest
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest

from crawler import discovery, sitemaps
from crawler.budget import BudgetLimits, Frontier
from crawler.failures import BudgetSpent, RefusedTarget, describe, error_class
from crawler.safety import parse_allowlist, refusal_reason
from crawler.urls import (
    TrapLimits,
    canonical_url,
    looks_like_calendar,
    same_site,
    section_of,
    trap_reason,
)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://Museum.Example:80/a/b?y=2&x=1#top", "http://museum.example/a/b?x=1&y=2"),
        ("https://m.example/object/2;jsessionid=ABC123", "https://m.example/object/2"),
        ("https://m.example/o?id=4&utm_source=home&PHPSESSID=z", "https://m.example/o?id=4"),
        ("https://m.example", "https://m.example/"),
        ("https://m.example:8443/x y", "https://m.example:8443/x%20y"),
    ],
)
def test_canonical_url_drops_sessions_tracking_and_fragments(raw: str, canonical: str) -> None:
    """The same page gets the same URL in every run, whatever ids a visit adds."""
    assert canonical_url(raw) == canonical


def test_same_site_compares_scheme_host_and_port() -> None:
    assert same_site("http://a.example/x", "http://a.example:80")
    assert not same_site("https://a.example/x", "http://a.example")
    assert not same_site("http://a.example:8080/", "http://a.example")
    assert not same_site("http://b.a.example/", "http://a.example")


def test_sections_and_calendars() -> None:
    assert section_of("https://m.example/collection/object/1") == "/collection"
    assert section_of("https://m.example/") == "/"
    assert looks_like_calendar("https://m.example/events/calendar?month=2024-01")
    assert looks_like_calendar("https://m.example/agenda/2024/05/17/")
    assert looks_like_calendar("https://m.example/news/2023/12")
    assert not looks_like_calendar("https://m.example/object/2024")
    assert not looks_like_calendar("https://m.example/search?q=1999")


def test_trap_reasons() -> None:
    """Each guard names itself; an ordinary object URL passes."""
    limits = TrapLimits(max_query_variants=2, max_calendar_pages=1, max_path_depth=4)
    assert trap_reason("https://m.example/object/17", limits=limits) is None
    assert trap_reason("https://m.example/" + "a" * 500) == "trap:url-length"
    assert trap_reason("https://m.example/a/b/c/d/e", limits=limits) == "trap:path-depth"
    assert trap_reason("https://m.example/x/y/x/y") == "trap:repeated-segments"
    assert trap_reason("https://m.example/s?a=1&b=2&c=3&d=4&e=5&f=6&g=7") == "trap:query-params"
    assert (
        trap_reason("https://m.example/s?q=3", query_variants_seen=2, limits=limits)
        == "trap:query-permutations"
    )
    cal = "https://m.example/events/calendar?month=2024-02"
    assert trap_reason(cal, calendar_pages_seen=0, limits=limits) is None
    assert trap_reason(cal, calendar_pages_seen=1, limits=limits) == "trap:calendar"


HOME = b"""<html><head>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type='application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'
      href="/iiif/7/manifest.json">
</head><body>
<a href="/collection/">Collection</a>
<a href="/over-ons/auteursrecht">Auteursrecht</a>
<a href="/terms">Terms of use</a>
<a href="/object/12">Vase</a>
<a href="/viewer?manifest=https%3A%2F%2Fiiif.m.example%2F12%2Fmanifest">Mirador</a>
<a href="/poster.JPG">Poster</a>
<a href="mailto:x@m.example">mail</a>
<a href="#top">top</a>
<a href="/news">News</a>
</body></html>"""


def test_page_links_and_kinds() -> None:
    """Object pages, policy pages (in several languages), IIIF links and assets are told apart."""
    links = discovery.page_links(HOME, "https://m.example/")
    kinds = {link.url: discovery.link_kind(link) for link in links}
    assert kinds == {
        "https://m.example/style.css": "asset",
        "https://m.example/iiif/7/manifest.json": "iiif",
        "https://m.example/collection/": "page",
        "https://m.example/over-ons/auteursrecht": "policy",
        "https://m.example/terms": "policy",
        "https://m.example/object/12": "object",
        "https://m.example/viewer?manifest=https%3A%2F%2Fiiif.m.example%2F12%2Fmanifest": "page",
        "https://iiif.m.example/12/manifest": "iiif",
        "https://m.example/poster.JPG": "asset",
        "https://m.example/news": "page",
    }


def test_registry_object_patterns_replace_the_url_heuristic() -> None:
    link = discovery.FoundLink("https://m.example/browse/vases")
    assert discovery.link_kind(link) == "page"
    assert discovery.link_kind(link, [r"/browse/"]) == "object"
    assert discovery.link_kind(discovery.FoundLink("https://m.example/object/1"), ["/x/"]) == "page"


def test_page_links_of_garbage_is_empty() -> None:
    assert discovery.page_links(b"", "https://m.example/") == []
    assert discovery.page_links(b"   ", "https://m.example/") == []


URLSET = (
    b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://m.example/object/1</loc></url><url><loc> /object/2 </loc></url></urlset>"
)


def test_sitemaps_index_urlset_gzip_text_and_invalid() -> None:
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        b"<loc>https://m.example/s1.xml.gz</loc></sitemap></sitemapindex>"
    )
    base = "https://m.example/sitemap.xml"
    assert sitemaps.parse_sitemap(index, base).kind == "index"
    assert sitemaps.parse_sitemap(index, base).urls == ("https://m.example/s1.xml.gz",)
    plain = sitemaps.parse_sitemap(URLSET, base)
    assert plain.kind == "urlset"
    assert plain.urls == ("https://m.example/object/1", "https://m.example/object/2")
    assert sitemaps.parse_sitemap(gzip.compress(URLSET), base) == plain
    text = sitemaps.parse_sitemap(b"https://m.example/a\n\nhttps://m.example/b\n", base)
    assert (text.kind, text.urls) == ("text", ("https://m.example/a", "https://m.example/b"))
    html = sitemaps.parse_sitemap(b"<html><body>hi</body></html>", base)
    assert html.kind == "invalid"
    assert "not a sitemap" in (html.error or "")


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>")
    result = sitemaps.parse_sitemap(bomb, "https://m.example/s.xml.gz", max_size=100_000)
    assert result.kind == "invalid"
    assert "exceeds" in (result.error or "")


def test_entities_are_not_expanded_in_sitemaps() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&x;</loc></url>'
        b"</urlset>"
    )
    result = sitemaps.parse_sitemap(evil, "https://m.example/s.xml")
    assert all("root:" not in u for u in result.urls)


def test_robots_sitemap_lines() -> None:
    robots = (
        b"User-agent: *\nDisallow: /private/\nSitemap: /sm.xml\nSitemap: https://x.example/b.xml\n"
    )
    assert sitemaps.robots_sitemaps(robots, "https://m.example/robots.txt") == [
        "https://m.example/sm.xml",
        "https://x.example/b.xml",
    ]


def test_frontier_spreads_a_budget_across_sections() -> None:
    """A section with many links gets falling priorities; a fresh section jumps ahead."""
    f = Frontier("https://m.example", BudgetLimits(max_pages=10, schedule_factor=2))
    prios = [f.admit(f"https://m.example/calendar-like/{i}", "page").priority for i in range(10)]
    assert prios == sorted(prios, reverse=True)
    assert prios[0] is not None
    fresh = f.admit("https://m.example/objects/1", "object").priority
    assert fresh is not None
    assert prios[-1] is not None
    assert fresh > prios[-1]
    # the section cap: half of the queue cap (2 × 10 × 0.5 = 10) is already taken
    assert f.admit("https://m.example/calendar-like/99", "page").reason == "budget:section"
    assert f.admit("https://m.example/objects/1", "object").reason == "duplicate"


def test_frontier_queue_cap_trap_and_fetch_budget() -> None:
    f = Frontier("https://m.example", BudgetLimits(max_pages=2, schedule_factor=2))
    reasons = [f.admit(f"https://m.example/s{i}/p", "page").reason for i in range(5)]
    assert reasons == [None, None, None, None, "budget:queue"]
    assert f.admit("https://m.example/", "seed").priority is not None  # seeds always queue
    assert [f.take_page() for _ in range(3)] == [True, True, False]
    cal = Frontier("https://m.example", BudgetLimits(traps=TrapLimits(max_calendar_pages=2)))
    got = [cal.admit(f"https://m.example/cal?month=2024-0{m}", "page").reason for m in (1, 2, 3)]
    assert got == [None, None, "trap:calendar"]


def test_frontier_sitemap_and_iiif_caps() -> None:
    f = Frontier("https://m.example", BudgetLimits(max_sitemaps=1, iiif_max=1))
    assert f.admit("https://m.example/a.xml", "sitemap").priority is not None
    assert f.admit("https://m.example/b.xml", "sitemap").reason == "budget:sitemaps"
    assert f.admit("https://m.example/1/manifest", "iiif").priority is not None
    assert f.admit("https://m.example/2/manifest", "iiif").reason == "budget:iiif"


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "private address 10.1.2.3"),
        ("127.0.0.2", "loopback address 127.0.0.2"),
        ("169.254.169.254", "link-local address 169.254.169.254"),
        ("::1", "loopback address ::1"),
        ("::ffff:192.168.1.1", "private address 192.168.1.1"),
        ("0.0.0.0", "private address 0.0.0.0"),  # noqa: S104
        ("224.0.0.1", "multicast address 224.0.0.1"),
        ("93.184.216.34", None),
        ("2606:2800:220:1:248:1893:25c8:1946", None),
    ],
)
def test_refusal_reasons(address: str, reason: str | None) -> None:
    assert refusal_reason(address) == reason


def test_allowlist_lets_one_address_through() -> None:
    allow = parse_allowlist(["127.0.0.1/32"])
    assert refusal_reason("127.0.0.1", allow) is None
    assert refusal_reason("127.0.0.2", allow) == "loopback address 127.0.0.2"


def test_failures_have_stable_classes() -> None:
    assert describe(IgnoreRequest("Forbidden by robots.txt")).startswith("robots-denied:")
    assert describe(IgnoreRequest("max redirections reached")).startswith("redirect-loop:")
    assert describe(RefusedTarget("refused: x is a private address")).startswith("refused:")
    assert describe(DownloadTimeoutError("took longer than 1.0 seconds")).startswith("timeout:")
    assert error_class(describe(DownloadTimeoutError("x"))) == "timeout"
    assert error_class("http 500") == "http-500"
    assert isinstance(BudgetSpent("x"), IgnoreRequest)


def test_object_pages_are_learned_from_their_markup() -> None:
    """A page with a schema.org creative-work type or a IIIF link describes an object; links
    of the same URL shape are then scheduled as objects."""
    assert discovery.describes_object(
        b'<script type="application/ld+json">{"@type": "Painting"}</script>'
    )
    assert discovery.describes_object(b'<div itemtype="https://schema.org/VisualArtwork">')
    assert not discovery.describes_object(b'<div itemtype="https://schema.org/Organization">')
    assert not discovery.looks_like_object("https://m.example/c/1/view")
    f = Frontier("https://m.example")
    assert not f.is_known_object_shape("https://m.example/c/2/view")
    f.learn_object("https://m.example/c/1/view")
    assert f.is_known_object_shape("https://m.example/c/2/view")
    assert not f.is_known_object_shape("https://m.example/c/2/edit")
