"""`rdfa`: ccREL / RDFa 1.0, 1.1 and Lite license properties, read with XPath (not a full RDFa
graph: pyRdfa costs ~47× an lxml parse, DESIGN.md §5a).

Predicates: `cc:license`, `xhtml:license` (the built-in `rel="license"` of an RDFa document),
`dc:rights`, `dcterms:license|rights|accessRights`, `schema:license` (`vocab` + `license`),
`edm:rights`, and the pre-2008 ccREL RDF/XML block kept in an HTML comment
(`web.resource.org/cc`). Prefixes come from `prefix=` and `xmlns:` on ancestors, then the RDFa
1.1 initial context. The subject (`@about`, `@typeof`) decides the scope (rules.scope).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import html as lxml_html

from rules.extract._common import absolute, build, candidates, element_snippet, scope_of
from rules.extract.document import Document, text_content
from rules.model import Assertion
from rules.scope import element_scope

METHOD = "rdfa"
XHTML_VOCAB = "http://www.w3.org/1999/xhtml/vocab#"
#: predicate IRI → license slot?
PREDICATES = {
    "http://creativecommons.org/ns#license": True,
    XHTML_VOCAB + "license": True,
    "http://purl.org/dc/terms/license": True,
    "http://purl.org/dc/terms/rights": True,
    "http://purl.org/dc/elements/1.1/rights": True,
    "http://purl.org/dc/terms/accessRights": False,
    "http://schema.org/license": True,
    "https://schema.org/license": True,
    "http://schema.org/copyrightNotice": True,
    "https://schema.org/copyrightNotice": True,
    "http://schema.org/sdLicense": True,
    "https://schema.org/sdLicense": True,
    "http://www.europeana.eu/schemas/edm/rights": True,
    "http://web.resource.org/cc/license": True,
}
INITIAL_CONTEXT = {
    "cc": "http://creativecommons.org/ns#",
    "dc": "http://purl.org/dc/terms/",
    "dcterms": "http://purl.org/dc/terms/",
    "dct": "http://purl.org/dc/terms/",
    "dc11": "http://purl.org/dc/elements/1.1/",
    "schema": "http://schema.org/",
    "xhtml": XHTML_VOCAB,
    "edm": "http://www.europeana.eu/schemas/edm/",
}
_PREFIX_RE = re.compile(r"([A-Za-z_][\w.-]*):\s+(\S+)")
_RDFA_ATTRS = ("about", "typeof", "property", "vocab", "prefix", "resource", "datatype")
_OLD_CCREL = re.compile(r"<license\s+rdf:resource\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


def _mappings(
    el: lxml_html.HtmlElement, memo: dict[Any, tuple[dict[str, str], str | None]] | None = None
) -> tuple[dict[str, str], str | None]:
    """Prefix mappings and default vocabulary in force at `el` (nearest declaration wins);
    `memo` (one per document) keeps each ancestor's mappings so shared ancestors are read once.
    The returned dict is shared: read it, never change it."""
    chain = []
    node: lxml_html.HtmlElement | None = el
    prefixes: dict[str, str] = INITIAL_CONTEXT
    vocab: str | None = None
    while node is not None and isinstance(node.tag, str):
        if memo is not None and node in memo:
            prefixes, vocab = memo[node]
            break
        chain.append(node)
        node = node.getparent()
    for n in reversed(chain):
        declared = {
            key[6:].lower(): value.strip()
            for key, value in n.attrib.items()
            if key.startswith("xmlns:")
        }
        prefix_attr = n.get("prefix")
        if prefix_attr:
            for p, iri in _PREFIX_RE.findall(prefix_attr):
                declared[p.lower()] = iri
        if declared:
            prefixes = {**prefixes, **declared}
        if n.get("vocab") is not None:
            vocab = (n.get("vocab") or "").strip() or None
        if memo is not None:
            memo[n] = (prefixes, vocab)
    return prefixes, vocab


def expand(term: str, prefixes: dict[str, str], vocab: str | None, rel_context: bool) -> str:
    """Expand one CURIE / term / IRI to an IRI ('' when it cannot be expanded)."""
    term = term.strip().strip("[]")
    if term.startswith(("http://", "https://")):
        return term
    if ":" in term:
        prefix, _, local = term.partition(":")
        base = prefixes.get(prefix.lower())
        return base + local if base else ""
    if vocab:
        return vocab + term
    if rel_context and term.lower() == "license":
        return XHTML_VOCAB + "license"
    return ""


_RDFA_ATTR_RE = re.compile(r"\s(?:about|typeof|property|vocab|prefix|xmlns:[\w-]+)\s*=", re.I)
_CANDIDATE = re.compile(r"licen[cs]|rights|copyright", re.IGNORECASE)


def _uses_rdfa(doc: Document) -> bool:
    """Does the document use RDFa at all (then a plain rel=license is an RDFa triple too)?"""
    if "rdfa" not in doc.cache:
        doc.cache["rdfa"] = "rdfa" in doc.text[:400].lower() or bool(_RDFA_ATTR_RE.search(doc.text))
    return bool(doc.cache["rdfa"])


def _object_value(el: lxml_html.HtmlElement, doc: Document, use_literal: bool) -> str:
    for attr in ("resource", "href", "src"):
        if el.get(attr) is not None and not use_literal:
            return absolute(doc, el.get(attr) or "")
    if el.get("content") is not None:
        return el.get("content") or ""
    if use_literal:
        for attr in ("resource", "href", "src"):
            if el.get(attr) is not None:
                return absolute(doc, el.get(attr) or "")
    return text_content(el)


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for el in candidates(doc):
        rel, prop = el.get("rel"), el.get("property")
        if rel is None and prop is None:
            continue  # an itemprop-only element (microdata)
        if not _CANDIDATE.search(f"{rel or ''} {prop or ''}"):
            continue
        rel_tokens = (rel or "").split()
        prop_tokens = (prop or "").split()
        prefixes, vocab = _mappings(el, doc.cache.setdefault("rdfa_mappings", {}))
        rdfa_doc = _uses_rdfa(doc)
        hits: list[tuple[str, bool]] = []
        for tok in rel_tokens:
            if tok.lower() == "license" and not (rdfa_doc and el.get("href") is not None):
                continue  # a plain rel=license outside RDFa is `rel-license` only
            iri = expand(tok, prefixes, None, rel_context=True)
            if iri in PREDICATES:
                hits.append((iri, False))
        for tok in prop_tokens:
            iri = expand(tok, prefixes, vocab, rel_context=False)
            if iri in PREDICATES:
                hits.append((iri, True))
        if not hits:
            continue
        iri, is_property = hits[0]
        value = _object_value(el, doc, use_literal=is_property and el.get("content") is not None)
        if (
            is_property
            and el.get("content") is None
            and el.get("href") is None
            and el.get("resource") is None
            and el.get("src") is None
        ):
            value = text_content(el)
        scope, position = scope_of(doc, el)
        if iri.endswith("sdLicense"):
            scope, position = "metadata", "rdfa-sdlicense"
        a = build(
            doc,
            value,
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            slot=PREDICATES[iri],
        )
        if a is not None:
            out.append(a)
    out.extend(_old_ccrel(doc, url))
    return out


def _old_ccrel(doc: Document, url: str) -> list[Assertion]:
    """Pre-2008 ccREL: RDF/XML inside an HTML comment using `web.resource.org/cc/`."""
    assert doc.tree is not None
    out: list[Assertion] = []
    if "web.resource.org/cc" not in doc.text:
        return out
    for comment in doc.tree.xpath("//comment()[contains(., 'web.resource.org/cc')]"):
        text = comment.text or ""
        parent = comment.getparent()
        scope, position = (
            element_scope(parent, doc.base_url or url) if parent is not None else ("object", "body")
        )
        for href in _OLD_CCREL.findall(text):
            a = build(
                doc,
                absolute(doc, href),
                method=METHOD,
                scope=scope,
                position=position,
                snippet=" ".join(text.split())[:300],
                kind="url",
            )
            if a is not None:
                out.append(a)
    return out
