"""The sites of one crawl run: registry entries and ad-hoc seeds, grouped by site.

A site is scheme://host[:port] (`crawler.registry.site_base`); everything per-site that the
spider needs (seeds, allow/deny patterns, object patterns, IIIF and OAI endpoints, budget,
pace, the pages to re-visit) is data on a `SitePlan`, never a new spider class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from crawler.registry import InstitutionEntry, SiteEntry, site_base


@dataclass
class SitePlan:
    """One site of this run: its registry entry and the institution it belongs to."""

    site: SiteEntry
    institution: InstitutionEntry | None = None
    revisits: list[tuple[str, str]] = field(default_factory=list)  # (url, kind last time)

    @property
    def base(self) -> str:
        return self.site.base_url

    @property
    def institution_name(self) -> str | None:
        return self.institution.name if self.institution else None


def plans_from_args(
    urls: Sequence[str] = (),
    registry: Iterable[tuple[InstitutionEntry, SiteEntry]] = (),
    institution: str | None = None,
) -> list[SitePlan]:
    """Sites of a run: registry entries, then ad-hoc seed URLs grouped by site."""
    plans: dict[str, SitePlan] = {}
    for inst, site in registry:
        plans.setdefault(site.base_url, SitePlan(site, inst))
    named = InstitutionEntry(name=institution) if institution else None
    for url in urls:
        base = site_base(url)
        if base not in plans:
            plans[base] = SitePlan(SiteEntry(base_url=base, seeds=[]), named)
        plans[base].site.seeds.append(url)
    return list(plans.values())


def url_allowed(url: str, site: SiteEntry) -> bool:
    """The registry's allow/deny regexes, matched on the URL path + query."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    if site.deny and any(re.search(p, target) for p in site.deny):
        return False
    return not site.allow or any(re.search(p, target) for p in site.allow)
