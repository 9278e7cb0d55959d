"""License statements in syndication feeds, for the extractors whose method they belong to.

Atom's `<link rel="license">` (RFC 4946) is the rel-license relation; RSS license elements
(creativeCommons module, Media RSS) are fields of a machine-readable listing (api-field).
An entry's or item's license is the object's; the feed's or channel's is the site's.
"""

from __future__ import annotations

from lxml import etree

from rules.extract._common import absolute, build, element_snippet
from rules.extract.document import Document
from rules.extract.oai import _split
from rules.model import Assertion

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_links(doc: Document, method: str) -> list[Assertion]:
    """Atom `<link rel="license">` (RFC 4946) on entries (object) and the feed (site)."""
    assert doc.xml is not None
    out: list[Assertion] = []
    for el in doc.xml.iter(f"{ATOM}link"):
        if "license" not in (el.get("rel") or "").lower().split() or not el.get("href"):
            continue
        parent = el.getparent()
        entry = parent is not None and parent.tag == f"{ATOM}entry"
        a = build(
            doc,
            absolute(doc, el.get("href") or ""),
            method=method,
            scope="object" if entry else "site",
            position="feed-entry" if entry else "feed",
            snippet=element_snippet(el),
            kind="url",
        )
        if a is not None:
            out.append(a)
    return out


#: RSS 2.0 creativeCommons module and Media RSS: `<creativeCommons:license>URL</…>`,
#: `<media:license href="URL">` — an item's license is the object's, a channel's the site's.
FEED_NS = ("http://backend.userland.com/creativeCommonsRssModule", "http://search.yahoo.com/mrss/")


def feed_license(doc: Document, el: etree._Element, method: str) -> list[Assertion]:
    """One RSS license element; scope from the enclosing item or channel."""
    node = el.getparent()
    scope, position = "site", "feed"
    while node is not None:
        if isinstance(node.tag, str) and _split(node.tag)[1].lower() in ("item", "entry"):
            scope, position = "object", "feed-item"
            break
        node = node.getparent()
    raw = el.get("href") or (el.text or "")
    a = build(
        doc,
        raw,
        method=method,
        scope=scope,
        position=position,
        snippet=etree.tostring(el, encoding="unicode", with_tail=False)[:300],
        kind="url",
    )
    return [a] if a is not None else []
