"""Building PageObservations from Scrapy responses and failures (the spider's item factory).

One response → one observation (status, type, hash, size, kind); one failed request → one
observation with `error` set (crawler/failures.py names the failure class). Extraction is not
done here: the spider hands the bytes to `rules.extract.extract_all` afterwards.
"""

from __future__ import annotations

import hashlib

from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.failures import describe
from crawler.items import PageObservation
from crawler.urls import canonical_url

_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"%PDF", b"\x1f\x8b")


def looks_binary(body: bytes) -> bool:
    """NUL bytes or an image/archive magic number at the start of a 'text' body."""
    head = body[:2048]
    return b"\x00" in head or head.startswith(_MAGIC)


def is_textual(content_type: str | None) -> bool:
    ct = (content_type or "").lower()
    return any(t in ct for t in ("html", "xml", "json", "text/"))


def response_headers(response: Response) -> dict[str, list[str]]:
    """Headers as str → [str] (lower-cased names), the shape `extract_all` takes."""
    return {
        k.decode("latin-1").lower(): [v.decode("latin-1") for v in vs]
        for k, vs in response.headers.items()
    }


def requested_url(request: Request) -> str:
    """The canonical URL that was scheduled (before any redirect)."""
    redirects = request.meta.get("redirect_urls")
    return canonical_url(redirects[0] if redirects else request.url)


def from_response(
    response: Response, site: str, kind: str, institution: str | None = None
) -> PageObservation:
    request = response.request
    ctype = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
    referer = (request.headers.get("Referer") or b"").decode("latin-1") if request else ""
    return PageObservation(
        url=requested_url(request) if request else canonical_url(response.url),
        site=site,
        final_url=response.url,
        status=response.status,
        content_type=ctype,
        content_hash=hashlib.sha256(response.body).hexdigest(),
        size=len(response.body),
        kind=kind,
        depth=int(request.meta.get("depth", 0)) if request else 0,
        referer=referer or None,
        institution=institution,
    )


def from_failure(
    request: Request, exc: BaseException, site: str, kind: str, institution: str | None = None
) -> PageObservation:
    redirected = bool(request.meta.get("redirect_urls"))
    return PageObservation(
        url=requested_url(request),
        site=site,
        final_url=request.url if redirected else None,
        status=exc.response.status if isinstance(exc, HttpError) else None,
        error=describe(exc),
        kind=kind,
        depth=int(request.meta.get("depth", 0)),
        institution=institution,
    )
