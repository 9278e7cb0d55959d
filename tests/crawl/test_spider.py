"""The `site` spider's callbacks on hand-built responses (no network, no reactor run): what each
callback yields, which requests it schedules at which priority, and what errbacks record."""

from __future__ import annotations

from ipaddress import ip_address
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.failures import BudgetSpent, RefusedTarget
from crawler.items import PageObservation
from crawler.middlewares import BudgetMiddleware, ResponseAddressMiddleware
from crawler.registry import InstitutionEntry, SiteEntry
from crawler.settings import GLAMWATCH_SETTINGS
from crawler.sites import SitePlan
from spiders.site import SiteSpider
from tests.crawl.fixture_server import PNG, oai_response

SITE = "https://m.example"


def make_spider(
    *, site_budget: int | None = None, max_pages: int | None = None, **settings: Any
) -> SiteSpider:
    values = {s.name: s.default for s in GLAMWATCH_SETTINGS} | settings
    crawler = get_crawler(SiteSpider, settings_dict=values)
    site = SiteEntry(base_url=SITE, deny=["/search"], oai=[SITE + "/oai"], max_pages=site_budget)
    plan = SitePlan(site, InstitutionEntry(name="M"))
    spider: SiteSpider = crawler._create_spider(plans=[plan], max_pages=max_pages)
    crawler.spider = spider  # what Crawler.crawl() does before the engine starts
    return spider


def html(url: str, body: bytes, **kw: Any) -> HtmlResponse:
    request = Request(url, cb_kwargs={"site": SITE, "kind": "page"})
    headers = {"Content-Type": "text/html; charset=utf-8"}
    return HtmlResponse(url, body=body, headers=headers, request=request, **kw)


def split(out: list[Any]) -> tuple[list[PageObservation], dict[str, Request]]:
    items = [o for o in out if isinstance(o, PageObservation)]
    requests = {r.url: r for r in out if isinstance(r, Request)}
    return items, requests


def test_a_page_yields_one_observation_and_its_admitted_links() -> None:
    spider = make_spider()
    body = (
        b'<a href="/object/1">vase</a> <a href="/copyright">Copyright</a>'
        b'<a href="/search?q=x">search</a> <a href="https://elsewhere.example/">x</a>'
        b'<a href="/object/1#top">same vase</a> <a href="/img/a.tif">tif</a>'
    )
    items, requests = split(list(spider.parse_page(html(SITE + "/", body), SITE, "page")))
    assert [i.url for i in items] == [SITE + "/"]
    assert items[0].institution == "M"
    assert set(requests) == {SITE + "/object/1", SITE + "/copyright"}
    policy, obj = requests[SITE + "/copyright"], requests[SITE + "/object/1"]
    assert policy.priority > obj.priority
    assert policy.cb_kwargs["kind"] == "policy"
    assert obj.meta["glamwatch_budget"] == "page"
    assert obj.dont_filter  # the frontier de-duplicates, so a redirect can never vanish
    stats = spider.crawler.stats
    assert stats is not None
    assert stats.get_value("glamwatch/refused/offsite") == 1
    assert stats.get_value("glamwatch/refused/registry-deny") == 1


def test_binary_served_as_html_is_kept_with_a_note() -> None:
    spider = make_spider()
    items, requests = split(list(spider.parse_page(html(SITE + "/b", PNG), SITE, "page")))
    assert requests == {}
    assert len(items) == 1
    assert items[0].status == 200
    assert [e.method for e in items[0].extraction_errors] == ["fetch"]
    assert "binary content" in items[0].extraction_errors[0].message


def test_sitemap_index_and_urlset() -> None:
    spider = make_spider()
    index = XmlResponse(
        SITE + "/sitemap.xml",
        body=b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://m.example/s1.xml</loc></sitemap>"
        b"<sitemap><loc>https://evil.example/s2.xml</loc></sitemap></sitemapindex>",
    )
    items, requests = split(list(spider.parse_sitemap(index, SITE, "sitemap")))
    assert [i.kind for i in items] == ["sitemap"]
    assert set(requests) == {SITE + "/s1.xml"}
    assert requests[SITE + "/s1.xml"].callback == spider.parse_sitemap
    urlset = XmlResponse(
        SITE + "/s1.xml",
        body=b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://m.example/object/7</loc></url>"
        b"<url><loc>https://m.example/pdf/x.pdf</loc></url></urlset>",
    )
    _, requests = split(list(spider.parse_sitemap(urlset, SITE, "sitemap")))
    assert list(requests) == [SITE + "/object/7"]
    assert requests[SITE + "/object/7"].cb_kwargs["kind"] == "object"


def oai(url: str, query: dict[str, list[str]]) -> Response:
    return TextResponse(url, body=oai_response(query, SITE), encoding="utf-8")


def test_oai_harvest_chain_and_record_budget() -> None:
    spider = make_spider(GLAMWATCH_OAI_MAX_RECORDS=3)
    endpoint = SITE + "/oai"
    steps = [
        ({"verb": ["Identify"]}, SITE + "/oai?verb=ListMetadataFormats"),
        ({"verb": ["ListMetadataFormats"]}, SITE + "/oai?metadataPrefix=edm&verb=ListRecords"),
        (
            {"verb": ["ListRecords"], "metadataPrefix": ["edm"]},
            SITE + "/oai?resumptionToken=page2&verb=ListRecords",
        ),
    ]
    records = 0
    for query, expected in steps:
        out = list(spider.parse_oai(oai(endpoint, query), SITE, "oai", endpoint, records))
        items, requests = split(out)
        assert [i.kind for i in items] == ["oai"]
        assert list(requests) == [expected]
        records = requests[expected].cb_kwargs["records"]
    assert records == 2
    # page 2 brings the count to 4 ≥ 3: the harvest stops although a token remains
    page2 = {"verb": ["ListRecords"], "resumptionToken": ["page2"]}
    items, requests = split(list(spider.parse_oai(oai(endpoint, page2), SITE, "oai", endpoint, 2)))
    assert requests == {}
    assert items[0].error is None
    stats = spider.crawler.stats
    assert stats is not None
    assert stats.get_value("glamwatch/oai/records") == 4
    assert stats.get_value("glamwatch/refused/budget:oai-records") == 1


def test_errback_records_failures_but_not_budget_refusals() -> None:
    spider = make_spider()
    request = Request(
        SITE + "/object/9",
        cb_kwargs={"site": SITE, "kind": "object"},
        meta={"glamwatch_site": SITE},
    )
    response = HtmlResponse(SITE + "/object/9", status=404, body=b"gone", request=request)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request  # type: ignore[attr-defined]
    (obs,) = list(spider.on_error(failure))
    assert (obs.url, obs.status, obs.error, obs.kind) == (
        SITE + "/object/9",
        404,
        "http 404",
        "object",
    )
    assert not obs.failed  # a 404 is an answer: drift reads it as page-gone, not unreachable
    spent = Failure(BudgetSpent("page budget spent"))
    spent.request = request  # type: ignore[attr-defined]
    assert list(spider.on_error(spent)) == []


@pytest.mark.parametrize("kind", ["page", "object"])
def test_pages_describing_an_object_teach_their_url_shape(kind: str) -> None:
    spider = make_spider()
    body = (
        b'<script type="application/ld+json">{"@type":"VisualArtwork"}</script>'
        b'<a href="/c/8/view">next</a><a href="/c/8/edit">edit</a>'
    )
    items, requests = split(list(spider.parse_page(html(SITE + "/c/7/view", body), SITE, kind)))
    assert items[0].kind == "object"
    assert requests[SITE + "/c/8/view"].cb_kwargs["kind"] == "object"
    assert requests[SITE + "/c/8/edit"].cb_kwargs["kind"] == "page"


def test_budget_middleware_counts_pages_once_and_holds_both_budgets() -> None:
    """Pages spend the site budget when they reach the downloader; redirects, retries,
    sitemaps and robots.txt do not; the run-wide budget holds too."""
    spider = make_spider(GLAMWATCH_MAX_PAGES=2, GLAMWATCH_MAX_PAGES_TOTAL=3)
    mw = BudgetMiddleware.from_crawler(spider.crawler)

    def req(path: str, **meta: Any) -> Request:
        return Request(SITE + path, meta={"glamwatch_site": SITE, **meta})

    mw.process_request(req("/a", glamwatch_budget="page"))
    mw.process_request(req("/a", glamwatch_budget="page", redirect_times=1))
    mw.process_request(req("/a", glamwatch_budget="page", retry_times=1))
    mw.process_request(req("/s.xml", glamwatch_budget="sitemap"))
    mw.process_request(req("/robots.txt"))
    mw.process_request(req("/b", glamwatch_budget="page"))
    with pytest.raises(BudgetSpent, match=r"page budget of https://m\.example spent"):
        mw.process_request(req("/c", glamwatch_budget="page"))
    assert spider.frontier(SITE).fetched_pages == 2
    other = "https://n.example"
    mw.process_request(
        Request(other + "/", meta={"glamwatch_site": other, "glamwatch_budget": "page"})
    )
    with pytest.raises(BudgetSpent, match="run page budget spent"):
        mw.process_request(
            Request(other + "/x", meta={"glamwatch_site": other, "glamwatch_budget": "page"})
        )


def test_a_response_from_a_private_address_is_refused() -> None:
    """The address the connection really used is checked again (DNS rebinding)."""
    spider = make_spider(GLAMWATCH_PRIVATE_ALLOWLIST=["127.0.0.1/32"])
    mw = ResponseAddressMiddleware.from_crawler(spider.crawler)
    request = Request(SITE + "/")
    public = HtmlResponse(
        SITE + "/", body=b"", request=request, ip_address=ip_address("93.184.216.34")
    )
    assert mw.process_response(request, public) is public
    allowed = HtmlResponse(
        SITE + "/", body=b"", request=request, ip_address=ip_address("127.0.0.1")
    )
    assert mw.process_response(request, allowed) is allowed
    rebound = HtmlResponse(SITE + "/", body=b"", request=request, ip_address=ip_address("10.0.0.7"))
    with pytest.raises(RefusedTarget, match=r"private address 10\.0\.0\.7"):
        mw.process_response(request, rebound)


def test_budget_precedence_cli_then_registry_then_setting() -> None:
    assert make_spider().frontier(SITE).limits.max_pages == 200
    assert make_spider(GLAMWATCH_MAX_PAGES=9).frontier(SITE).limits.max_pages == 9
    assert make_spider(site_budget=7).frontier(SITE).limits.max_pages == 7
    assert make_spider(site_budget=7, max_pages=3).frontier(SITE).limits.max_pages == 3


def test_a_seed_redirected_to_another_host_makes_it_part_of_the_site() -> None:
    """http://museum → https://www.museum: the links of the new host are followed, stored
    under the registry site; a later page's redirect does not add hosts."""
    spider = make_spider()
    seed = Request(SITE + "/", meta={"redirect_urls": [SITE + "/"], "depth": 0})
    moved = HtmlResponse(
        "https://www.m.example/",
        body=b'<a href="/object/1">o</a><a href="https://m.example/about">a</a>',
        headers={"Content-Type": "text/html"},
        request=seed.replace(url="https://www.m.example/"),
    )
    items, requests = split(list(spider.parse_page(moved, SITE, "page")))
    assert items[0].url == SITE + "/"
    assert items[0].site == SITE
    assert items[0].final_url == "https://www.m.example/"
    assert set(requests) == {"https://www.m.example/object/1", SITE + "/about"}
    deep = Request(SITE + "/x", meta={"redirect_urls": [SITE + "/x"], "depth": 1})
    elsewhere = HtmlResponse(
        "https://evil.example/x",
        body=b'<a href="https://evil.example/y">y</a>',
        headers={"Content-Type": "text/html"},
        request=deep.replace(url="https://evil.example/x"),
    )
    _, requests = split(list(spider.parse_page(elsewhere, SITE, "page")))
    assert requests == {}
    assert spider.on_site("https://www.m.example/z", SITE)
    assert not spider.on_site("https://evil.example/z", SITE)


def test_revisits_come_first_but_leave_room_for_discovery() -> None:
    spider = make_spider(GLAMWATCH_MAX_PAGES=10, GLAMWATCH_REVISIT_SHARE=0.5)
    spider.add_revisits(
        SITE, [(f"{SITE}/object/{n}", "object") for n in range(1, 9)] + [SITE + "/s.xml"]
    )
    requests = list(spider._start_requests())
    revisits = [r for r in requests if r.priority == 100]
    assert [r.url for r in revisits] == [f"{SITE}/object/{n}" for n in range(1, 6)]
    assert {r.cb_kwargs["kind"] for r in revisits} == {"object"}
    assert SITE + "/" in {r.url for r in requests}  # the seed is still scheduled
    stats = spider.crawler.stats
    assert stats is not None
    assert stats.get_value("glamwatch/refused/budget:revisit") == 4
