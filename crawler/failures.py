"""Fetch failures as data: one short, stable error string per failure class (STYLE.md §9).

The errback of every request turns its exception into one of these strings and a
`PageObservation` with `error` set; drift reads them as `unreachable`, never as a license
change. The prefix before the colon is the failure class, counted in stats as
`glamwatch/errors/<class>`.
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as txerror
from twisted.internet.defer import CancelledError, TimeoutError
from twisted.web._newclient import ResponseNeverReceived


class RefusedTarget(IgnoreRequest):
    """The SSRF guard refused the request (private, loopback, link-local … address)."""


class BudgetSpent(IgnoreRequest):
    """The site's page budget was spent before this request reached the downloader.

    Not a fetch failure: nothing was attempted, so no observation is stored (only a stat).
    """


def describe(exc: BaseException) -> str:
    """`class: detail` for a request that produced no usable response."""
    msg = str(exc).strip()
    if isinstance(exc, HttpError):
        return f"http {exc.response.status}"
    if isinstance(exc, RefusedTarget):
        return msg if msg.startswith("refused:") else f"refused: {msg}"
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in msg:
            return "robots-denied: forbidden by robots.txt"
        if "max size" in msg.lower() or "DOWNLOAD_MAXSIZE" in msg:
            return f"too-large: {msg}"
        if "max redirections" in msg.lower() or "redirect" in msg.lower():
            return f"redirect-loop: {msg}"
        return f"ignored: {msg}"
    if isinstance(exc, (CannotResolveHostError, txerror.DNSLookupError)):
        return f"dns: {msg}"
    if isinstance(exc, (DownloadTimeoutError, TimeoutError, txerror.TimeoutError)):
        return f"timeout: {msg}"
    if isinstance(exc, (DownloadConnectionRefusedError, txerror.ConnectionRefusedError)):
        return f"connection-refused: {msg}"
    if isinstance(exc, DownloadCancelledError) or (
        isinstance(exc, CancelledError) and "max size" in msg
    ):
        return f"too-large: {msg}"
    if isinstance(exc, ResponseDataLossError):
        return f"data-loss: {msg}"
    if isinstance(exc, (DownloadFailedError, ResponseNeverReceived, txerror.ConnectError)):
        return f"connection: {msg or type(exc).__name__}"
    return f"{type(exc).__name__}: {msg}"[:500]


def error_class(error: str) -> str:
    """The failure class of an error string ("timeout", "http 500" → "http-500")."""
    head = error.split(":", 1)[0].strip()
    return head.replace(" ", "-")
