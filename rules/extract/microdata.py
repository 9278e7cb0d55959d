"""`microdata`: `itemprop="license"` and friends inside `itemscope` items (WHATWG microdata).

The item's `itemtype` decides the scope: a CreativeWork (artwork, photograph, book, dataset …)
is the object; `WebSite`/`Organization` is the site; `WebPage` is the page itself, resolved like
`<head>`. `sdLicense` licenses the structured data: scope `metadata`.
"""

from __future__ import annotations

from lxml import html as lxml_html

from rules.extract._common import absolute, build, candidates, element_snippet, scope_of
from rules.extract.document import Document, text_content
from rules.model import Assertion
from rules.scope import type_scope

METHOD = "microdata"
#: itemprop (lower case) → is it a license slot?
PROPS = {
    "license": True,
    "licence": True,
    "copyrightnotice": True,
    "sdlicense": True,
    "usageinfo": False,
    "acquirelicensepage": False,
    "conditionsofaccess": False,
    "rights": True,
}
_URL_ATTRS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "img": "src",
    "audio": "src",
    "video": "src",
    "source": "src",
    "embed": "src",
    "iframe": "src",
    "object": "data",
}


def item_value(el: lxml_html.HtmlElement) -> tuple[str, bool]:
    """The microdata property value of `el` and whether it is a URL."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if tag == "meta":
        return (el.get("content") or "", False)
    attr = _URL_ATTRS.get(tag)
    if attr and el.get(attr):
        return (el.get(attr) or "", True)
    if tag in ("data", "meter") and el.get("value") is not None:
        return (el.get("value") or "", False)
    if tag == "time" and el.get("datetime"):
        return (el.get("datetime") or "", False)
    return (text_content(el), False)


def _item_scope(el: lxml_html.HtmlElement) -> str | None:
    node = el.getparent() if el.get("itemscope") is None else el
    while node is not None and isinstance(node.tag, str):
        if node.get("itemscope") is not None:
            decided = type_scope((node.get("itemtype") or "").split())
            return decided or "object"
        node = node.getparent()
    return None


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for el in candidates(doc):
        if el.get("itemprop") is None:
            continue
        props = [p.split("/")[-1].lower() for p in (el.get("itemprop") or "").split()]
        hits = [p for p in props if p in PROPS]
        if not hits:
            continue
        value, is_url = item_value(el)
        if is_url:
            value = absolute(doc, value)
        scope, position = scope_of(doc, el)
        item = _item_scope(el)
        if item == "site":
            scope, position = "site", "microdata-site"
        elif item == "object" and scope != "site":
            scope, position = "object", "microdata-item"
        elif item == "license-document":
            continue
        if "sdlicense" in hits:
            scope, position = "metadata", "microdata-sdlicense"
        a = build(
            doc,
            value,
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            slot=PROPS[hits[0]],
        )
        if a is not None:
            out.append(a)
    return out
