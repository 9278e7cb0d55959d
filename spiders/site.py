"""The generic `site` spider: schedule, fetch, hand bytes to rules/, yield PageObservations.

Institution: any (per-site differences are registry data, crawler/registry.py)
Signals: whatever `rules.extract.extract_all` finds (HTML, IIIF, OAI-PMH, JSON, XML)
Endpoints: robots.txt `Sitemap:` lines, sitemaps, seeds, IIIF collections, OAI-PMH
Notes: discovery policy lives in crawler/discovery.py, budget.py, iiif_walk.py,
oai_harvest.py (pure, tested alone); this module only wires it to Scrapy (issue 6).

    scrapy crawl site -a url=https://museum.example/ [-a url=…,…] [-a registry=sites.yaml]
      [-a institution=NAME] [-a max_pages=200]

Every response becomes exactly one PageObservation; every failed request too (errback), except
requests refused because the page budget was spent, which were never attempted (a stat).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import discovery, iiif_walk, oai_harvest, observe, sitemaps
from crawler.budget import BudgetLimits, Frontier
from crawler.failures import BudgetSpent, error_class
from crawler.items import PageObservation
from crawler.registry import load_registry, site_base
from crawler.sites import SitePlan, plans_from_args, url_allowed
from crawler.urls import TrapLimits, canonical_url, same_site
from rules.model import ExtractionError

__all__ = ["SitePlan", "SiteSpider", "plans_from_args"]  # SitePlan re-exported for callers

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


# Kinds a re-visit keeps; sitemaps and OAI pages (resumption tokens expire) are re-discovered.
REVISIT_KINDS = frozenset({"page", "object", "policy", "iiif"})


class SiteSpider(Spider):
    name = "site"

    def __init__(
        self,
        url: str | Sequence[str] | None = None,
        registry: str | None = None,
        institution: str | None = None,
        max_pages: str | int | None = None,
        plans: Sequence[SitePlan] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        urls = url.split(",") if isinstance(url, str) else list(url or [])
        pairs = load_registry(registry).sites() if registry else []
        if institution and pairs:
            pairs = [(i, s) for i, s in pairs if i.name == institution]
        self.plans: dict[str, SitePlan] = {
            p.base: p for p in (plans or plans_from_args(urls, pairs, institution))
        }
        self.max_pages_arg = int(max_pages) if max_pages else None
        self.state: dict[str, Any] = {}  # replaced by SpiderState when a JOBDIR is used

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._robots_parsed, signal=signals.robots_parsed)
        return spider

    # -- state ------------------------------------------------------------------------------
    def site_bases(self) -> list[str]:
        return list(self.plans)

    def add_revisits(self, base: str, pages: Sequence[str | tuple[str, str]]) -> None:
        """Pages of the site's last complete run (URL, or URL and kind), fetched first, so a
        page that vanished from the site's links is still seen (drift: page-gone)."""
        if base in self.plans:
            self.plans[base].revisits = [
                (p, "page") if isinstance(p, str) else (p[0], p[1]) for p in pages
            ]

    def frontier(self, base: str) -> Frontier:
        frontiers: dict[str, Frontier] = self.state.setdefault("frontiers", {})
        if base not in frontiers:
            s = self.settings
            plan = self.plans.get(base)
            # --max-pages (or -a max_pages) wins over the registry's per-site budget
            budget = self.max_pages_arg or (plan.site.max_pages if plan else None)
            frontiers[base] = Frontier(
                base,
                BudgetLimits(
                    max_pages=budget or s.getint("GLAMWATCH_MAX_PAGES"),
                    schedule_factor=s.getint("GLAMWATCH_SCHEDULE_FACTOR"),
                    section_share=s.getfloat("GLAMWATCH_SECTION_SHARE"),
                    max_sitemaps=s.getint("GLAMWATCH_MAX_SITEMAPS"),
                    iiif_max=s.getint("GLAMWATCH_IIIF_MAX"),
                    traps=TrapLimits(
                        max_url_length=s.getint("GLAMWATCH_MAX_URL_LENGTH"),
                        max_path_depth=s.getint("GLAMWATCH_MAX_PATH_DEPTH"),
                        max_query_variants=s.getint("GLAMWATCH_MAX_QUERY_VARIANTS"),
                        max_calendar_pages=s.getint("GLAMWATCH_MAX_CALENDAR_PAGES"),
                    ),
                ),
            )
        return frontiers[base]

    def on_site(self, url: str, site: str) -> bool:
        """`url` is on `site` or on a host its seeds redirected to (http→https, apex→www)."""
        aliases: dict[str, list[str]] = self.state.setdefault("aliases", {})
        return any(same_site(url, b) for b in (site, *aliases.get(site, ())))

    def _learn_alias(self, response: Response, site: str) -> None:
        """A seed or re-visit that lands on another host makes that host part of the site."""
        request = response.request
        if request is None or not request.meta.get("redirect_urls"):
            return
        if int(request.meta.get("depth", 0)) != 0 or self.on_site(response.url, site):
            return
        aliases: dict[str, list[str]] = self.state.setdefault("aliases", {})
        aliases.setdefault(site, []).append(site_base(response.url))
        self._stat("sites/aliases")

    def _stat(self, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"glamwatch/{key}", n)

    # -- scheduling -------------------------------------------------------------------------
    def _request(
        self, url: str, site: str, kind: str, *, depth_kind: str | None = None, **kw: Any
    ) -> Request | None:
        """A request for `url` if the site's frontier admits it (else a stat, and None)."""
        url = canonical_url(url)
        admission = self.frontier(site).admit(url, depth_kind or kind)
        if admission.priority is None:
            if admission.reason != "duplicate":
                self._stat(f"refused/{admission.reason}")
                self.logger.debug("not scheduled (%s): %s", admission.reason, url)
            return None
        callbacks: dict[str, Any] = {
            "sitemap": self.parse_sitemap,
            "oai": self.parse_oai,
            "iiif": self.parse_iiif,
        }
        callback = callbacks.get(kind, self.parse_page)
        budget = "page" if kind in ("page", "object", "policy", "seed", "revisit") else kind
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=admission.priority,
            dont_filter=True,  # the frontier de-duplicates; redirects must never vanish
            meta={"glamwatch_budget": budget, "glamwatch_site": site},
            cb_kwargs={"site": site, "kind": "page" if kind in ("seed", "revisit") else kind, **kw},
        )

    async def start(self) -> AsyncIterator[Any]:
        for request in self._start_requests():
            yield request

    def _start_requests(self) -> Iterator[Request]:
        revisit = self.settings.getbool("GLAMWATCH_REVISIT")
        share = self.settings.getfloat("GLAMWATCH_REVISIT_SHARE")
        obey = self.settings.getbool("ROBOTSTXT_OBEY")
        for base, plan in self.plans.items():
            # revisits keep the kind they had, so per-kind counts stay comparable across runs;
            # they may take GLAMWATCH_REVISIT_SHARE of the budget, the rest finds new pages
            cap = int(self.frontier(base).limits.max_pages * share)
            revisits = plan.revisits[:cap] if revisit else []
            if revisit and len(plan.revisits) > cap:
                self._stat("refused/budget:revisit", len(plan.revisits) - cap)
            urls = [(u, k if k in REVISIT_KINDS else "page", "revisit") for u, k in revisits]
            urls += [(u, "page", "seed") for u in plan.site.start_urls()]
            for url, kind, why in urls:
                if (req := self._request(url, base, kind, depth_kind=why)) is not None:
                    yield req
            if not obey:  # the robots middleware is off: read Sitemap: lines ourselves
                req = Request(
                    base + "/robots.txt",
                    callback=self.parse_robots,
                    errback=self.on_error,
                    dont_filter=True,
                    cb_kwargs={"site": base},
                )
                yield req
            for iiif in plan.site.iiif:
                if (req := self._request(iiif, base, "iiif")) is not None:
                    yield req
            for endpoint in plan.site.oai:
                url = oai_harvest.oai_url(endpoint, "Identify")
                req = self._request(url, base, "oai", endpoint=endpoint, records=0)
                if req:
                    yield req

    def _robots_parsed(self, robotparser: Any, request: Request) -> None:
        """Schedule the `Sitemap:` lines of robots.txt (read by Scrapy's robots middleware)."""
        site = request.meta.get("glamwatch_site")
        if not site or site not in self.plans:
            return
        protego = getattr(robotparser, "rp", None)
        listed = list(getattr(protego, "sitemaps", []) or [])
        for req in self._sitemap_requests(site, listed):
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(req)

    def parse_robots(self, response: Response, site: str) -> Iterator[Any]:
        yield from self._sitemap_requests(
            site, sitemaps.robots_sitemaps(response.body, response.url)
        )

    def _sitemap_requests(self, site: str, listed: Sequence[str]) -> Iterator[Request]:
        if not listed and self.settings.getbool("GLAMWATCH_SITEMAP_GUESS"):
            listed = [site + "/sitemap.xml"]
        for url in listed:
            if self.on_site(url, site) and (req := self._request(url, site, "sitemap")):
                yield req

    # -- callbacks --------------------------------------------------------------------------
    def _observation(self, response: Response, site: str, kind: str) -> PageObservation:
        plan = self.plans.get(site)
        self._stat("pages")
        self._stat(f"kind/{kind}")
        return observe.from_response(response, site, kind, plan.institution_name if plan else None)

    def _extract(self, obs: PageObservation, response: Response) -> PageObservation:
        """Hand the bytes to rules/ and copy the PageResult into the observation."""
        if not isinstance(response, TextResponse) and not observe.is_textual(obs.content_type):
            return obs  # images, PDFs …: status recorded, nothing to read
        if observe.looks_binary(response.body):
            obs.extraction_errors = (
                ExtractionError("fetch", f"binary content served as {obs.content_type}"),
            )
            self._stat("errors/binary-body")
            return obs
        try:
            from rules.extract import extract_all  # the rules engine, imported lazily

            result = extract_all(
                response.body,
                response.url,
                content_type=obs.content_type,
                headers=observe.response_headers(response),
            )
        except Exception as exc:  # a rules bug must not lose the observation
            self.logger.exception("extraction failed on %s", response.url)
            obs.extraction_errors = (ExtractionError("extract", f"{type(exc).__name__}: {exc}"),)
            self._stat("errors/extraction")
            return obs
        obs.verdict = result.verdict
        obs.assertions = tuple(result.assertions)
        obs.extraction_errors = tuple(result.errors)
        self._stat(f"verdict/{result.verdict}")
        for a in result.assertions:
            self._stat(f"assertions/{a.method}")
        return obs

    def parse_page(self, response: Response, site: str, kind: str) -> Iterator[Any]:
        self._learn_alias(response, site)
        obs = self._observation(response, site, kind)
        textual = isinstance(response, TextResponse) and not observe.looks_binary(response.body)
        ctype = (obs.content_type or "").lower()
        html = textual and ("html" in ctype or response.body.lstrip()[:1] == b"<")
        frontier = self.frontier(site)
        if html and kind in ("page", "object") and discovery.describes_object(response.body):
            # the page says it is an item (schema.org type or IIIF link): so are its siblings
            if kind == "page":
                obs.kind = "object"
                self._stat("objects/learned")
            frontier.learn_object(obs.url)
        yield self._extract(obs, response)
        if not html:
            return
        plan = self.plans.get(site)
        patterns = plan.site.object_patterns if plan else []
        for link in discovery.page_links(response.body, response.url):
            lkind = discovery.link_kind(link, patterns)
            if lkind == "page" and frontier.is_known_object_shape(canonical_url(link.url)):
                lkind = "object"
            if lkind == "asset":
                continue
            if lkind != "iiif" and not self.on_site(link.url, site):
                self._stat("refused/offsite")
                continue
            if plan and not url_allowed(link.url, plan.site):
                self._stat("refused/registry-deny")
                continue
            if (req := self._request(link.url, site, lkind)) is not None:
                yield req

    def parse_sitemap(self, response: Response, site: str, kind: str) -> Iterator[Any]:
        obs = self._observation(response, site, "sitemap")
        result = sitemaps.parse_sitemap(
            response.body, response.url, self.settings.getint("GLAMWATCH_MAX_SITEMAP_BYTES")
        )
        if result.error:
            obs.extraction_errors = (ExtractionError("sitemap", result.error),)
        yield obs
        plan = self.plans.get(site)
        patterns = plan.site.object_patterns if plan else []
        for url in result.urls:
            if not self.on_site(url, site):
                self._stat("refused/offsite")
                continue
            if result.kind == "index":
                req = self._request(url, site, "sitemap")
            else:
                lkind = discovery.link_kind(discovery.FoundLink(url), patterns)
                if lkind == "asset" or (plan and not url_allowed(url, plan.site)):
                    continue
                req = self._request(url, site, lkind)
            if req is not None:
                yield req

    def parse_iiif(self, response: Response, site: str, kind: str) -> Iterator[Any]:
        yield self._extract(self._observation(response, site, "iiif"), response)
        doc = iiif_walk.parse_iiif(response.body)
        for url in (*doc.collections, *doc.manifests):
            if (req := self._request(url, site, "iiif")) is not None:
                yield req

    def parse_oai(
        self, response: Response, site: str, kind: str, endpoint: str, records: int
    ) -> Iterator[Any]:
        obs = self._observation(response, site, "oai")
        oai = oai_harvest.parse_oai(response.body)
        if oai.verb == "ListRecords" and not oai.error_code:
            obs = self._extract(obs, response)
        if oai.invalid:
            obs.error = f"oai-invalid: {oai.invalid}"
        elif oai.error_code == "noRecordsMatch":
            obs.extraction_errors = (
                ExtractionError("oai", f"noRecordsMatch: {oai.error_message}"),
            )
        elif oai.error_code:
            obs.error = f"oai-{oai.error_code}: {oai.error_message}"
        if oai.error_code:
            self._stat(f"oai/error/{oai.error_code}")
        yield obs
        if oai.error_code or oai.invalid:
            return
        plan = self.plans.get(site)
        set_spec = plan.site.oai_set if plan else None
        nxt: str | None = None
        if oai.verb == "Identify":
            nxt = oai_harvest.oai_url(endpoint, "ListMetadataFormats")
        elif oai.verb == "ListMetadataFormats":
            prefs = self.settings.getlist("GLAMWATCH_OAI_PREFIXES")
            prefix = oai_harvest.choose_prefix(oai.prefixes, prefs)
            if prefix is None:
                self._stat("oai/error/no-usable-prefix")
                return
            self.state.setdefault("oai_prefix", {})[endpoint] = prefix
            nxt = oai_harvest.list_records_url(endpoint, prefix, set_spec)
        elif oai.verb == "ListRecords":
            records += oai.records
            self._stat("oai/records", oai.records)
            if oai.token and records < self.settings.getint("GLAMWATCH_OAI_MAX_RECORDS"):
                nxt = oai_harvest.list_records_url(endpoint, "", token=oai.token)
            elif oai.token:
                self._stat("refused/budget:oai-records")
        if nxt and (req := self._request(nxt, site, "oai", endpoint=endpoint, records=records)):
            yield req

    def on_error(self, failure: Failure) -> Iterator[Any]:
        """Every failed request becomes an observation with `error` set (never a silent drop)."""
        request: Request = failure.request  # type: ignore[attr-defined]
        exc = failure.value
        if exc is None or isinstance(exc, BudgetSpent):
            return
        site = request.cb_kwargs.get("site") or request.meta.get("glamwatch_site") or ""
        if not site:
            return
        kind = request.cb_kwargs.get("kind", "page")
        plan = self.plans.get(site)
        obs = observe.from_failure(
            request, exc, site, kind, plan.institution_name if plan else None
        )
        self._stat("pages")
        self._stat(f"errors/{error_class(obs.error or '')}")
        yield obs
