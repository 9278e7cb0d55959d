"""The item a spider yields for every fetched (or failed) URL.

A plain dataclass (Scrapy accepts dataclass items) so that `db/` can store it without importing
Scrapy. A fetch failure is an observation too, with `error` set and no assertions: drift
detection reads it as `unreachable`, never as a license change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from rules.model import Assertion, ExtractionError


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class PageObservation:
    url: str  # the URL requested (canonicalised)
    site: str  # scheme://host[:port] of the site this page belongs to
    final_url: str | None = None  # after redirects
    status: int | None = None  # HTTP status; None when no response came back
    content_type: str | None = None
    content_hash: str | None = None  # sha256 of the body
    size: int | None = None
    fetched_at: datetime = field(default_factory=utcnow)
    error: str | None = None  # fetch error class + message (timeout, dns, robots, too-large …)
    kind: str = "page"  # page | object | policy | iiif | oai | sitemap
    verdict: str = "unknown"  # page verdict from rules.classify.page_verdict
    assertions: tuple[Assertion, ...] = ()
    extraction_errors: tuple[ExtractionError, ...] = ()
    depth: int = 0
    referer: str | None = None
    institution: str | None = None  # registry name of the institution, if known

    @property
    def failed(self) -> bool:
        """True when the fetch itself failed (no usable response), as opposed to 404/410."""
        return self.error is not None and self.status not in (404, 410)
