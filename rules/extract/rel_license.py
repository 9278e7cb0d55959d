"""`rel-license`: `<a|link|area rel~="license" href>` (rel is a token list, any case).

The ccREL guide: "You can add rel="license" to any tag with a valid href attribute", so any
element with an `href` counts. Only the exact `license` token is read here; prefixed forms
(`cc:license`, `dct:license`) are RDFa and belong to `rdfa`. Atom feeds carry the same
relation (RFC 4946: `<link rel="license">` on a feed or an entry): an entry's license is the
object's, the feed's is the site's.
"""

from __future__ import annotations

from rules.extract._common import absolute, build, candidates, element_snippet, scope_of
from rules.extract.document import Document
from rules.extract.feed import atom_links
from rules.model import Assertion

METHOD = "rel-license"


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.xml is not None:
        return atom_links(doc, METHOD)
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for el in candidates(doc):
        rel = el.get("rel")
        if not rel or "licen" not in rel.lower() or el.get("href") is None:
            continue
        if "license" not in rel.lower().split():
            continue
        href = absolute(doc, el.get("href") or "")
        if not href:
            continue
        scope, position = scope_of(doc, el)
        a = build(
            doc,
            href,
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            kind="url",
        )
        if a is not None:
            out.append(a)
    return out
