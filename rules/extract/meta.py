"""`meta`: Dublin Core and other license properties in `<meta>` and `<link>` (DC-HTML, RFC 2731).

`<meta name="DC.rights" content>`, `dcterms.license`, `DCTERMS.rights`, `<link rel="DCTERMS.license"
href>`, prefixes declared with `<link rel="schema.X" href="http://purl.org/dc/terms/">`, plain
`<meta name="license|rights">` and OpenGraph-style `og:license`/`og:rights`. Names match case-
insensitively. `dcterms.accessRights` is about access, not reuse: read only when recognised.
`<meta name="copyright">` usually names the site's publisher: it is scoped `site`.
"""

from __future__ import annotations

from typing import Any

from rules.extract._common import absolute, build, element_snippet, scope_of
from rules.extract.document import Document
from rules.model import Assertion

METHOD = "meta"
DC_NAMESPACES = {
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "https://purl.org/dc/elements/1.1/": "dc",
    "https://purl.org/dc/terms/": "dcterms",
}
#: local property name → is it a license slot (True) or only read when recognised (False)?
_PROPS = {"rights": True, "license": True, "licence": True, "accessrights": False}
_PLAIN = {
    "license": True,
    "licence": True,
    "rights": True,
    "og:license": True,
    "og:rights": True,
    "og:licence": True,
    "citation_license": True,
    "prism.copyright": False,
    "rights-standard": True,
    "copyright": False,
}


def _prefixes(links: list[Any]) -> dict[str, str]:
    """`schema.X` link declarations: prefix (lower case) → dc | dcterms."""
    out = {"dc": "dc", "dcterms": "dcterms", "dct": "dcterms"}
    for link in links:
        rel = (link.get("rel") or "").strip()
        if rel.lower().startswith("schema."):
            ns = DC_NAMESPACES.get((link.get("href") or "").strip())
            if ns:
                out[rel[7:].lower()] = ns
    return out


def _classify_name(name: str, prefixes: dict[str, str]) -> tuple[bool, bool] | None:
    """(is slot, is copyright-ish) for a meta/link name, or None when it is not a rights name."""
    name = name.strip().lower()
    if name in _PLAIN:
        return (_PLAIN[name], name in {"copyright", "prism.copyright"})
    for sep in (".", ":"):
        if sep in name:
            prefix, _, local = name.partition(sep)
            if prefix in prefixes and local in _PROPS:
                return (_PROPS[local], False)
    return None


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    metas: list[Any] = []
    links: list[Any] = []
    for el in doc.tree.iter("meta", "link"):  # one pass over the tree for both
        (metas if el.tag == "meta" else links).append(el)
    prefixes = _prefixes(links)
    out: list[Assertion] = []
    for el in metas:
        if el.get("content") is None or el.get("itemprop"):
            continue  # microdata
        name = el.get("name") or el.get("property") or ""
        kind = _classify_name(name, prefixes)
        if kind is None:
            continue
        slot, copyright_like = kind
        scope, position = scope_of(doc, el)
        if copyright_like:
            scope, position = "site", "meta-copyright"
        a = build(
            doc,
            el.get("content") or "",
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            slot=slot,
        )
        if a is not None:
            out.append(a)
    for el in links:
        if el.get("href") is None:
            continue
        rels = (el.get("rel") or "").split()
        named = [_classify_name(r, prefixes) for r in rels if "." in r or ":" in r]
        hit = [h for h in named if h is not None]
        if not hit:
            continue
        scope, position = scope_of(doc, el)
        a = build(
            doc,
            absolute(doc, el.get("href") or ""),
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            kind="value",
            slot=hit[0][0],
        )
        if a is not None:
            out.append(a)
    return out
