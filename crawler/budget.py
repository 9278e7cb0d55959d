"""Per-site crawl frontier: what may still be scheduled, at which priority, and why not.

A 200-page budget should sample a collection, not one calendar: every candidate URL is
admitted (or refused with a reason) here, and its priority falls with the number of pages
already queued in its section, so Scrapy's priority scheduler interleaves sections. The
frontier is plain data (sets, dicts, ints) so that it survives in `spider.state` when a crawl
is resumed from its JOBDIR. No I/O; the caller owns the instances.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.discovery import PRIORITY
from crawler.urls import TrapLimits, looks_like_calendar, path_template, section_of, trap_reason

MAX_SECTION_PENALTY = 40


@dataclass(frozen=True)
class BudgetLimits:
    max_pages: int = 200
    schedule_factor: int = 4
    section_share: float = 0.5
    max_sitemaps: int = 20
    iiif_max: int = 50
    traps: TrapLimits = field(default_factory=TrapLimits)

    @property
    def queue_cap(self) -> int:
        return max(1, self.max_pages * self.schedule_factor)


@dataclass
class Admission:
    priority: int | None  # None: refused
    reason: str | None = None  # why refused (trap:…, duplicate, budget:…)


@dataclass
class Frontier:
    """Scheduling state of one site during one run."""

    base: str
    limits: BudgetLimits = field(default_factory=BudgetLimits)
    scheduled: set[str] = field(default_factory=set)
    sections: Counter[str] = field(default_factory=Counter)
    query_variants: dict[str, set[str]] = field(default_factory=dict)
    calendar: Counter[str] = field(default_factory=Counter)
    queued_pages: int = 0
    sitemaps: int = 0
    iiif: int = 0
    fetched_pages: int = 0  # counted by the downloader middleware, after robots.txt
    object_templates: set[str] = field(default_factory=set)  # learned object URL shapes

    def learn_object(self, url: str) -> None:
        """`url` turned out to be an object page: links of the same shape are objects too."""
        self.object_templates.add(path_template(url))

    def is_known_object_shape(self, url: str) -> bool:
        return path_template(url) in self.object_templates

    def admit(self, url: str, kind: str) -> Admission:
        """Decide whether canonical `url` of `kind` is scheduled; record it when it is."""
        if url in self.scheduled:
            return Admission(None, "duplicate")
        if kind in ("sitemap",):
            if self.sitemaps >= self.limits.max_sitemaps:
                return Admission(None, "budget:sitemaps")
            self.sitemaps += 1
            self.scheduled.add(url)
            return Admission(PRIORITY["seed"])
        if kind == "oai":
            self.scheduled.add(url)
            return Admission(PRIORITY["seed"])
        if kind == "iiif":
            if self.iiif >= self.limits.iiif_max:
                return Admission(None, "budget:iiif")
            self.iiif += 1
            self.scheduled.add(url)
            return Admission(PRIORITY["iiif"])
        parts = urlsplit(url)
        variants = self.query_variants.get(parts.path, set())
        template = path_template(url)
        reason = None
        if kind not in ("seed", "revisit"):
            reason = trap_reason(
                url,
                query_variants_seen=len(variants) if parts.query not in variants else 0,
                calendar_pages_seen=self.calendar[template],
                limits=self.limits.traps,
            )
        if reason:
            return Admission(None, reason)
        section = section_of(url)
        if kind not in ("seed", "revisit"):
            if self.queued_pages >= self.limits.queue_cap:
                return Admission(None, "budget:queue")
            if self.sections[section] >= self.limits.queue_cap * self.limits.section_share:
                return Admission(None, "budget:section")
        self.scheduled.add(url)
        if parts.query:
            self.query_variants.setdefault(parts.path, set()).add(parts.query)
        if looks_like_calendar(url):
            self.calendar[template] += 1
        penalty = 0
        if kind not in ("seed", "revisit"):
            penalty = min(self.sections[section], MAX_SECTION_PENALTY)
        self.sections[section] += 1
        self.queued_pages += 1
        return Admission(PRIORITY.get(kind, PRIORITY["page"]) - penalty)

    def take_page(self) -> bool:
        """Spend one page of the budget at download time; False when it is spent."""
        if self.fetched_pages >= self.limits.max_pages:
            return False
        self.fetched_pages += 1
        return True
