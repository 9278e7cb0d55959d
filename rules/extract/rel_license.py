"""`rel-license`: `<a|link|area rel~="license" href>` (rel is a token list, any case).

The ccREL guide: "You can add rel="license" to any tag with a valid href attribute", so any
element with an `href` counts. Only the exact `license` token is read here; prefixed forms
(`cc:license`, `dct:license`) are RDFa and belong to `rdfa`.
"""

from __future__ import annotations

from rules.extract._common import absolute, build, element_snippet
from rules.extract.document import Document
from rules.model import Assertion
from rules.scope import element_scope

METHOD = "rel-license"
_XPATH = "//*[@rel and @href][contains(translate(@rel, 'LICENSE', 'license'), 'license')]"


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for el in doc.tree.xpath(_XPATH):
        tokens = (el.get("rel") or "").lower().split()
        if "license" not in tokens:
            continue
        href = absolute(doc, el.get("href") or "")
        if not href:
            continue
        scope, position = element_scope(el, doc.base_url or url)
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
