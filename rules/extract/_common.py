"""Helpers every extractor shares: normalise a raw value and build an Assertion with evidence.

A value found in a license *slot* (rel=license href, schema:license, dc:rights, IIIF
license/rights, edm:rights, an API license field) always becomes an Assertion: when the rules
engine cannot map it, the Assertion has `license=None` and keeps the raw value (unrecognised,
never guessed). A value found elsewhere only counts when the rules engine recognises it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from rules.classify import make_assertion
from rules.extract.document import Document
from rules.model import SNIPPET_MAX, Assertion, Normalized
from rules.normalize import normalize_button, normalize_url, normalize_value
from rules.scope import element_scope

_URLISH = re.compile(r"^\s*(?:https?:)?//|^\s*www\.", re.IGNORECASE)
_TAG_RE = re.compile(r"<[^>]{0,2000}>")
MAX_RAW = 2000


def is_urlish(raw: str) -> bool:
    return bool(_URLISH.match(raw))


@lru_cache(maxsize=8192)
def _normalize_cached(raw: str, kind: str) -> Normalized | None:
    if kind == "button":
        return normalize_button(raw)
    if kind == "url":
        return normalize_url(raw)
    result = normalize_value(raw)
    if result is None and is_urlish(raw):
        result = normalize_url(raw)
    return result


def normalize(raw: str, kind: str = "value") -> Normalized | None:
    """Ask the rules engine what `raw` means: kind `url`, `value` (URL or name) or `button`.

    Memoised: the rules are pure and a page repeats its license in several places.
    """
    raw = raw.strip()
    if not raw:
        return None
    if len(raw) > 500:
        return _normalize_cached.__wrapped__(raw, kind)
    return _normalize_cached(raw, kind)


def unrecognised(raw: str) -> Normalized:
    return Normalized(license=None, jurisdiction=None, match="none", raw=raw)


def build(
    doc: Document,
    raw: str,
    *,
    method: str,
    scope: str,
    position: str | None,
    snippet: str,
    kind: str = "value",
    slot: bool = True,
) -> Assertion | None:
    """One Assertion for `raw`, or None when `raw` is empty or (outside a slot) means nothing."""
    raw = " ".join(raw.split())[:MAX_RAW]
    if not raw:
        return None
    normalized = normalize(raw, kind)
    if normalized is None:
        if not slot:
            return None
        normalized = unrecognised(raw)
    return make_assertion(
        normalized,
        method=method,
        scope=scope,
        snippet=snippet or raw,
        source_url=doc.url,
        position=position,
        policy=doc.policy,
    )


def absolute(doc: Document, href: str) -> str:
    """Resolve a (possibly relative or protocol-relative) href against the document base."""
    href = href.strip()
    if not href or (href.startswith(("http://", "https://")) and " " not in href):
        return href  # already absolute (most license URLs): skip the costly urljoin
    try:
        return urljoin(doc.base_url or doc.url, href)
    except ValueError:
        return href


def element_snippet(el: etree._Element, limit: int = SNIPPET_MAX) -> str:
    """A short, cheap rendering of one element: its start tag and the start of its text."""
    tag = el.tag if isinstance(el.tag, str) else "node"
    attrs = " ".join(f'{k}="{v}"' for k, v in el.attrib.items())[:limit]
    parts: list[str] = []
    size = 0
    for piece in el.itertext():  # stops early: a wrapper element may hold a whole page
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    text = " ".join("".join(parts).split())
    return f"<{tag}{' ' if attrs else ''}{attrs}>{text}"[:limit]


def strip_tags(value: str) -> str:
    """Plain text of a value that may hold HTML (IIIF attribution, API rights fields)."""
    return " ".join(_TAG_RE.sub(" ", value).split())


def href_in(value: str) -> list[str]:
    """Absolute URLs written inside a text value (an `<a href>` in a rights field, a bare URL)."""
    found = re.findall(r"""href\s*=\s*["']([^"']+)["']""", value)
    found += re.findall(r"(?<![\"'=])\bhttps?://[^\s<>\"')\]]+", value)
    seen: list[str] = []
    for f in found:
        f = f.rstrip(".,;")
        if f not in seen:
            seen.append(f)
    return seen


#: One traversal finds both the elements that can carry a license relation and the images that
#: can be badges (two separate passes cost about 1.7× this one on museum-shaped pages).
_CANDIDATES_XPATH = etree.XPath("//@rel/.. | //@property/.. | //@itemprop/.. | //img")


def _scan(doc: Document) -> None:
    assert doc.tree is not None
    related: list[Any] = []
    images: list[Any] = []
    for el in _CANDIDATES_XPATH(doc.tree):
        if el.tag == "img":
            images.append(el)
            if el.get("rel") is None and el.get("property") is None and el.get("itemprop") is None:
                continue
        related.append(el)
    doc.cache["candidates"] = related
    doc.cache["images"] = images


def candidates(doc: Document) -> list[Any]:
    """Every element with `rel`, `property` or `itemprop`, found in one XPath pass and shared
    by rel-license, rdfa, microdata and meta (one traversal instead of four)."""
    if "candidates" not in doc.cache:
        _scan(doc)
    return list(doc.cache["candidates"])


def images(doc: Document) -> list[Any]:
    """Every `<img>` of the document (found in the same pass as `candidates`)."""
    if "images" not in doc.cache:
        _scan(doc)
    return list(doc.cache["images"])


def scope_of(doc: Document, el: Any) -> tuple[str, str]:
    """`rules.scope.element_scope`, memoised per document (ancestors are entered once)."""
    memo: dict[Any, Any] = doc.cache.setdefault("scope_states", {})
    return element_scope(el, doc.base_url or doc.url, memo)


def dedupe(assertions: list[Assertion]) -> list[Assertion]:
    """Drop repeats of the same statement (same method, scope, position, raw and license)."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Assertion] = []
    for a in assertions:
        key = (a.method, a.scope, a.position, a.raw, a.license, a.jurisdiction)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out
