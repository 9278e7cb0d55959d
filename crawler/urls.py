"""URL canonicalisation and crawler-trap guards: pure functions, no I/O (issue 6).

A monitor must fetch the same page under the same URL in every run, or drift sees a vanished
page and a new one. `canonical_url` normalises with w3lib (sorted query, escaped path, no
fragment) and removes session ids and tracking parameters. `trap_reason` names why a URL looks
like an endless space (calendars, query permutations, repeated path segments) given the counts
the caller keeps; None means the URL may be scheduled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Query parameters that identify a visitor or a campaign, never a document.
SESSION_PARAMS = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "sid",
        "sessionid",
        "session_id",
        "session",
        "aspsessionid",
        "cfid",
        "cftoken",
        "fbclid",
        "gclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "ref",
    }
)
_PATH_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
_DATE_IN_PATH = re.compile(r"/(19|20)\d{2}(/|-)(0?[1-9]|1[0-2])((/|-)(0?[1-9]|[12]\d|3[01]))?(/|$)")
_DATE_PARAM_NAMES = frozenset(
    {"date", "day", "month", "year", "week", "from", "to", "start", "end", "cal", "calendar"}
)
_DATE_VALUE = re.compile(r"^(19|20)\d{2}([-/]?(0?[1-9]|1[0-2])([-/]?\d{1,2})?)?$")
_CALENDAR_WORDS = re.compile(r"/(calendar|kalender|agenda|calendrier|events?/archive)(/|$)", re.I)


def canonical_url(url: str) -> str:
    """The URL under which a page is scheduled and stored (same page → same string)."""
    url = _PATH_SESSION.sub("", url.strip())
    parts = urlsplit(url)
    if parts.query:
        keep = [
            k
            for k, _ in parse_qsl(parts.query, keep_blank_values=True)
            if k.lower() not in SESSION_PARAMS and not k.lower().startswith("utm_")
        ]
        url = url_query_cleaner(url, keep, unique=False)
    parts = urlsplit(canonicalize_url(url, keep_fragments=False))
    host = (parts.hostname or "").lower()
    netloc = host if ":" not in host else f"[{host}]"
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port and parts.port != default_port:
        netloc += f":{parts.port}"
    path = parts.path or "/"
    return urlunsplit((parts.scheme, netloc, path, parts.query, ""))


def same_site(url: str, base: str) -> bool:
    """True when `url` is on the site `base` (scheme://host[:port]), as the crawl contract says."""
    u, b = urlsplit(url), urlsplit(base)
    return (u.scheme, u.hostname, u.port or _default_port(u.scheme)) == (
        b.scheme,
        b.hostname,
        b.port or _default_port(b.scheme),
    )


def _default_port(scheme: str) -> int | None:
    return {"http": 80, "https": 443}.get(scheme)


def path_template(url: str) -> str:
    """The path with digit runs replaced by `N`: /events/2024/05 → /events/N/N."""
    return re.sub(r"\d+", "N", urlsplit(url).path)


def section_of(url: str) -> str:
    """The first path segment, the unit a site's budget is spread over (`/` for the home)."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return "/" + segments[0] if segments else "/"


def looks_like_calendar(url: str) -> bool:
    """A page addressed by a date: calendar grids, event archives, day views."""
    parts = urlsplit(url)
    if _DATE_IN_PATH.search(parts.path) or _CALENDAR_WORDS.search(parts.path):
        return True
    return any(
        k.lower() in _DATE_PARAM_NAMES and bool(_DATE_VALUE.match(v))
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )


@dataclass(frozen=True)
class TrapLimits:
    max_url_length: int = 400
    max_path_depth: int = 10
    max_query_variants: int = 8
    max_calendar_pages: int = 3
    max_query_params: int = 6


def trap_reason(
    url: str,
    *,
    query_variants_seen: int = 0,
    calendar_pages_seen: int = 0,
    limits: TrapLimits = TrapLimits(),
) -> str | None:
    """Why `url` should not be scheduled, or None.

    `query_variants_seen`: distinct query strings already scheduled for this URL's path;
    `calendar_pages_seen`: date-shaped pages already scheduled for its path template.
    """
    if len(url) > limits.max_url_length:
        return "trap:url-length"
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) > limits.max_path_depth:
        return "trap:path-depth"
    if _repeats(segments):
        return "trap:repeated-segments"
    if parts.query:
        if len(parse_qsl(parts.query, keep_blank_values=True)) > limits.max_query_params:
            return "trap:query-params"
        if query_variants_seen >= limits.max_query_variants:
            return "trap:query-permutations"
    if looks_like_calendar(url) and calendar_pages_seen >= limits.max_calendar_pages:
        return "trap:calendar"
    return None


def _repeats(segments: list[str]) -> bool:
    """/a/b/a/b/… or the same segment three times: relative-link loops."""
    if len(segments) >= 3 and any(segments.count(s) >= 3 for s in set(segments)):
        return True
    for size in (1, 2, 3):
        if len(segments) >= 2 * size:
            tail = segments[-size:]
            if segments[-2 * size : -size] == tail and not all(s.isdigit() for s in tail):
                return True
    return False
