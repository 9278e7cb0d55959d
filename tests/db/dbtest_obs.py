"""Builders for PageObservations: the tests feed the Store what a crawl would, without a crawl."""

from __future__ import annotations

from datetime import UTC, datetime

from crawler.items import PageObservation
from rules.model import Assertion, clip_snippet

OPEN = {"CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "PDM-1.0"}


def assertion(
    license: str | None, url: str, *, scope: str = "object", method: str = "rel-license"
) -> Assertion:
    verdict = "open" if license in OPEN else ("unknown" if license is None else "not-open")
    raw = f"https://licenses.test/{license or 'mystery'}"
    return Assertion(
        license=license,
        jurisdiction=None,
        method=method,
        scope=scope,
        raw=raw,
        snippet=clip_snippet(f'<a rel="license" href="{raw}">{license}</a>'),
        verdict=verdict,
        source_url=url,
        position="main" if scope == "object" else "footer",
    )


def page(
    url: str,
    *licenses: str,
    site_license: str | None = None,
    status: int | None = 200,
    error: str | None = None,
    when: datetime | None = None,
) -> PageObservation:
    """A page with object-scope `licenses` (and optionally a site-footer license)."""
    site = url.split("/", 3)
    base = "/".join(site[:3])
    asserts = [assertion(lic, url) for lic in licenses]
    if site_license:
        asserts.append(assertion(site_license, url, scope="site"))
    verdicts = {a.verdict for a in asserts if a.scope == "object"}
    if "open" in verdicts and "not-open" in verdicts:
        verdict = "conflict"
    elif "open" in verdicts:
        verdict = "open"
    elif "not-open" in verdicts:
        verdict = "not-open"
    else:
        verdict = "unknown"
    return PageObservation(
        url=url,
        site=base,
        final_url=url,
        status=status,
        content_type="text/html",
        error=error,
        kind="object",
        verdict=verdict if status == 200 and error is None else "unknown",
        assertions=tuple(asserts) if status == 200 and error is None else (),
        fetched_at=when or datetime.now(UTC),
    )


def failed(
    url: str, *, status: int | None = None, error: str = "TimeoutError: took too long"
) -> PageObservation:
    return page(url, status=status, error=error)
