"""Downloader middlewares for safety and budgets (DESIGN.md §6, issue 6).

- `SafetyMiddleware` refuses requests whose host resolves to a private, loopback, link-local
  … address unless `GLAMWATCH_ALLOW_PRIVATE`; redirects pass through it again, so a public
  page redirecting to 169.254.169.254 is refused too.
- `ResponseAddressMiddleware` re-checks the address the connection really used
  (`response.ip_address`), closing the DNS-rebinding gap between our lookup and Twisted's.
- `BudgetMiddleware` spends the per-site page budget when a page request reaches the
  downloader (after robots.txt), so queued-but-unfetched links never count.

Stats: `glamwatch/refused/<reason>` and `glamwatch/budget/spent/<site>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
