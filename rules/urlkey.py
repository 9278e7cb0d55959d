"""URL canonicalisation for license identifiers: one lookup key per legal tool.

Every form a tool's URL takes in the wild (http/https, `www.`, trailing slash, `deed.xx`,
`legalcode(.xx)`, `/rdf`, query strings, fragments, case, surrounding punctuation, the
rightsstatements.org `/page/` and `/data/` views …) folds to one key such as
`creativecommons.org/licenses/by-sa/2.5/nl` or `rightsstatements.org/vocab/inc/1.0`.
The index from keys to catalog ids is built once from the catalog's own URLs, so the rules
live in data and the same function canonicalises both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from rules.catalog import get_catalog

# Characters that surround URLs in prose and markup but are never part of the identifier.
_WRAP = " \t\r\n\"'<>()[]{}«»“”‘’,;.:!?|*"
_SCHEMELESS = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/|$)", re.IGNORECASE)
_CC_TRAILER = re.compile(r"^(?:deed|legalcode)(?:[._&-].*)?$|^rdf$|^index\.(?:html?|php)$")
_RS_VERSION = re.compile(r"^(\d+\.\d+)(?:\.(?:json|jsonld|ttl|rdf|html?|xml))?$")
_GENERIC_TRAILER = re.compile(r"^(?:index\.(?:html?|php)|summary)$")
_VERSION_DASH = re.compile(r"^(\d+)-(\d+)$")

CC_HOSTS = frozenset({"creativecommons.org", "creativecommons.net"})
RS_HOSTS = {
    "rightsstatements.org": "rightsstatements.org",
    "rightsstaments.org": "rightsstatements.org",
}
# Hosts that only publish licenses: any unknown URL there is "a license host, unknown tool".
WHOLE_LICENSE_HOSTS = frozenset(
    {
        "creativecommons.org",
        "creativecommons.net",
        "rightsstatements.org",
        "opendatacommons.org",
        "opendefinition.org",
        "artlibre.org",
        "licensebuttons.net",
        "i.creativecommons.org",
        "mirrors.creativecommons.org",
        "spdx.org",
    }
)
_SAMPLING = {"samplingplus": "sampling+", "nc-samplingplus": "nc-sampling+"}


@dataclass(frozen=True, slots=True)
class Parsed:
    host: str
    segments: tuple[str, ...]


def clean(raw: str) -> str:
    """Trim whitespace and the punctuation that wraps URLs in text (`<…>`, quotes, a final `;`)."""
    return raw.strip().strip(_WRAP)


def parse(raw: str) -> Parsed | None:
    """Host (lower-case, no `www.`, no port) and lower-case path segments, or None if not a URL."""
    s = clean(raw)
    if not s or len(s) > 2000:
        return None
    if s.startswith("//"):
        s = "http:" + s
    elif "://" not in s:
        if not _SCHEMELESS.match(s):
            return None
        s = "http://" + s
    try:
        parts = urlsplit(s)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    path = unquote(parts.path).lower()
    segments = tuple(seg for seg in path.split("/") if seg)
    return Parsed(host, segments)


def key_of(parsed: Parsed) -> str:
    """The lookup key of a parsed URL, after the host-specific folding rules."""
    host, segs = parsed.host, list(parsed.segments)
    if host in CC_HOSTS:
        host = "creativecommons.org"
        while segs and _CC_TRAILER.match(segs[-1]):
            segs.pop()
        if len(segs) >= 2:
            segs[1] = _SAMPLING.get(segs[1], segs[1])
    elif host in RS_HOSTS:
        host = RS_HOSTS[host]
        if len(segs) >= 3 and segs[0] in ("vocab", "page", "data"):
            segs[0] = "vocab"
            m = _RS_VERSION.match(segs[2])
            if m:
                segs[2] = m.group(1)
            segs = segs[:3]
    else:
        while segs and _GENERIC_TRAILER.match(segs[-1]):
            segs.pop()
        segs = [_VERSION_DASH.sub(r"\1.\2", s) for s in segs]
        if segs and segs[-1].endswith((".html", ".htm")) and host == "spdx.org":
            segs[-1] = segs[-1].rsplit(".", 1)[0]
    return host + ("/" + "/".join(segs) if segs else "")


def key(raw: str) -> str | None:
    parsed = parse(raw)
    return key_of(parsed) if parsed else None


class UrlIndex:
    """Key -> (id, jurisdiction), the exact canonical URL strings, and the license host prefixes."""

    def __init__(self) -> None:
        catalog = get_catalog()
        self.by_key: dict[str, tuple[str, str | None]] = {}
        self.exact: set[str] = set()
        prefixes: set[str] = set()
        for entry in catalog:
            for url, jur in entry.urls:
                k = key(url)
                if k is None:
                    raise ValueError(f"catalog URL {url!r} of {entry.id} does not parse")
                self.by_key.setdefault(k, (entry.id, jur))
                rest = url.split("://", 1)[1]
                for scheme in ("http://", "https://"):
                    self.exact.add(scheme + rest)
                host, _, path = k.partition("/")
                parent = path.rsplit("/", 1)[0] if "/" in path else path
                prefixes.add(
                    host + "/" + parent if host not in WHOLE_LICENSE_HOSTS and parent else host
                )
        for path, target in catalog.cc_aliases:
            self.by_key.setdefault("creativecommons.org/" + path, (target, None))
        self.prefixes = tuple(sorted(prefixes))
        self.whole_hosts = WHOLE_LICENSE_HOSTS | set(RS_HOSTS)
        self.spdx = {i.lower(): i for i in catalog.ids()}

    def on_license_host(self, k: str) -> bool:
        host = k.split("/", 1)[0]
        if host in self.whole_hosts:
            return True
        return any(k == p or k.startswith(p + "/") for p in self.prefixes)

    def lookup(self, k: str) -> tuple[str, str | None] | None:
        hit = self.by_key.get(k)
        if hit is None and k.startswith("spdx.org/licenses/"):
            sid = self.spdx.get(k.rsplit("/", 1)[1].removesuffix(".json"))
            return (sid, None) if sid else None
        return hit


@lru_cache(maxsize=1)
def get_index() -> UrlIndex:
    return UrlIndex()
