"""Downloader middlewares for safety and budgets (DESIGN.md §6, issue 6).

- `SafetyMiddleware` refuses requests whose host resolves to a private, loopback, link-local
  … address unless `GLAMWATCH_ALLOW_PRIVATE`; redirects pass through it again, so a public
  page redirecting to 169.254.169.254 is refused too.
- `ResponseAddressMiddleware` re-checks the address the connection really used
  (`response.ip_address`), closing the DNS-rebinding gap between our lookup and Twisted's.
- `BudgetMiddleware` spends the per-site page budget when a page request reaches the
  downloader (after robots.txt), so queued-but-unfetched links never count.
- `CrawlDelayMiddleware` honours robots.txt `Crawl-delay` (Scrapy reads robots.txt but not
  that line), capped by `GLAMWATCH_MAX_CRAWL_DELAY`; AutoThrottle may slow it, never speed it.

Stats: `glamwatch/refused/<reason>` and `glamwatch/budget/spent/<site>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

from crawler.failures import BudgetSpent, RefusedTarget
from crawler.safety import Network, UnsafeTarget, check_host, parse_allowlist, refusal_reason

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class SafetyMiddleware:
    """Refuse targets that resolve to non-public addresses (checked per request)."""

    def __init__(self, crawler: Crawler, allowlist: tuple[Network, ...]) -> None:
        self.crawler = crawler
        self.allowlist = allowlist
        # hosts already found public: not resolved again (ResponseAddressMiddleware still
        # checks every connection's real address)
        self.public: set[tuple[str, int | None]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if crawler.settings.getbool("GLAMWATCH_ALLOW_PRIVATE"):
            raise NotConfigured("GLAMWATCH_ALLOW_PRIVATE is on")
        allow = parse_allowlist(crawler.settings.getlist("GLAMWATCH_PRIVATE_ALLOWLIST"))
        return cls(crawler, allow)

    async def process_request(self, request: Request) -> None:
        parts = urlparse_cached(request)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return
        key = (parts.hostname, parts.port)
        if key in self.public:
            return
        try:
            await maybe_deferred_to_future(
                deferToThread(check_host, parts.hostname, parts.port, self.allowlist)
            )
            self.public.add(key)
        except UnsafeTarget as exc:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("glamwatch/refused/private-address")
            raise RefusedTarget(str(exc)) from exc


class ResponseAddressMiddleware:
    """Refuse a response that came from a non-public address after all."""

    def __init__(self, crawler: Crawler, allowlist: tuple[Network, ...]) -> None:
        self.crawler = crawler
        self.allowlist = allowlist

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if crawler.settings.getbool("GLAMWATCH_ALLOW_PRIVATE"):
            raise NotConfigured("GLAMWATCH_ALLOW_PRIVATE is on")
        allow = parse_allowlist(crawler.settings.getlist("GLAMWATCH_PRIVATE_ALLOWLIST"))
        return cls(crawler, allow)

    def process_response(self, request: Request, response: Response) -> Response:
        ip = response.ip_address
        reason = refusal_reason(str(ip), self.allowlist) if ip is not None else None
        if reason:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("glamwatch/refused/private-address")
            raise RefusedTarget(f"refused: connected to a {reason}")
        return response


class BudgetMiddleware:
    """Spend the site's page budget when a page request is really about to be downloaded."""

    def __init__(self, crawler: Crawler, total: int) -> None:
        self.crawler = crawler
        self.total = total

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("GLAMWATCH_MAX_PAGES_TOTAL"))

    def process_request(self, request: Request) -> None:
        meta = request.meta
        if meta.get("glamwatch_budget") != "page":
            return
        if meta.get("redirect_times") or meta.get("retry_times"):
            return  # the original request already paid
        spider: Any = self.crawler.spider
        site = meta.get("glamwatch_site")
        frontier = spider.frontier(site) if site and hasattr(spider, "frontier") else None
        if frontier is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        state = spider.state
        if self.total and state.get("fetched_total", 0) >= self.total:
            stats.inc_value("glamwatch/refused/budget-total")
            raise BudgetSpent("run page budget spent")
        if not frontier.take_page():
            stats.inc_value("glamwatch/refused/budget")
            raise BudgetSpent(f"page budget of {site} spent")
        state["fetched_total"] = state.get("fetched_total", 0) + 1
        stats.inc_value("glamwatch/budget/pages")


class CrawlDelayMiddleware:
    """Space requests to a host by its robots.txt `Crawl-delay` (at least DOWNLOAD_DELAY)."""

    def __init__(self, crawler: Crawler, cap: float) -> None:
        self.crawler = crawler
        self.cap = cap
        self.delays: dict[str, float] = {}  # netloc → seconds

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured("ROBOTSTXT_OBEY is off")
        mw = cls(crawler, crawler.settings.getfloat("GLAMWATCH_MAX_CRAWL_DELAY"))
        crawler.signals.connect(mw.robots_parsed, signal=signals.robots_parsed)
        return mw

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        protego = getattr(robotparser, "rp", None)
        agent = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or self.crawler.settings.get(
            "USER_AGENT"
        )
        delay = protego.crawl_delay(agent) if protego is not None else None
        if delay:
            self.delays[urlparse_cached(request).netloc] = min(float(delay), self.cap)
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("glamwatch/robots/crawl-delay")

    def process_request(self, request: Request) -> None:
        delay = self.delays.get(urlparse_cached(request).netloc)
        if not delay:
            return
        request.meta["autothrottle_dont_adjust_delay"] = True
        assert self.crawler.engine is not None
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        downloader.per_slot_settings.setdefault(key, {}).update(delay=delay, jitter=0)
        slot = downloader.slots.get(key)
        if slot is not None and (slot.delay < delay or slot.jitter):
            slot.delay = max(slot.delay, delay)
            slot.jitter = 0  # a random ±50 % would break the minimum the site asked for
