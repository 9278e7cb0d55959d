"""Who a license signal speaks about: the object, the site, the metadata, or unknown.

The classic error this module exists to prevent: a site footer "CC BY 4.0" next to an object
marked In Copyright does not make the object open. Scope is decided from document structure,
in this order (the first rule that applies wins, and its name is kept as `position`):

1. **An explicit RDFa subject.** Inside `@about` naming another resource (an image, a file, a
   `#fragment`; also RDFa 1.1 `@resource` alone, or a typed `@typeof` node) the statement is
   about that object (`rdfa-about`; a `WebSite`/`Organization` node is the site).
   `@about=""` (the page) with `@typeof` declares the page itself to be the work
   (`rdfa-work`). The author said exactly what the statement is about, so this beats
   landmarks.
2. **Landmarks.** `main`/`article` (and ARIA `main`/`article`) → object. `footer`, `nav`,
   `header` (ARIA `contentinfo`, `navigation`, `banner`) and class/id tokens such as `footer`,
   `site-info`, `copyright`, `navbar`, `masthead` → site, unless they sit inside `main`/`article`
   (an article's own footer speaks about the article).
3. **Page level.** `<head>` links and meta, and body markup outside any landmark, speak about
   the page. Whether the page *is* the object is decided per document by `resolve_page_level`:
   page-level signals are the object's when nothing more specific speaks about an object, and
   the site's (the page text, the site-wide head link) when something does — unless they state
   the very license the object statement states (they agree with it). One rule covers the
   MediaWiki-style `<head>` rel=license (site, beside file licenses in the content), the museum
   object page whose only statement is a head link or meta (object), and the ccREL page whose
   image has its own `@about` license (the page's own license is then the page text's).
   A document-level statement (`<head>`, `WebPage` JSON-LD, HTTP Link header) that repeats the
   license the site chrome states is the CMS-wide setting: `site`.

Structured records are scoped by their level instead (see the extractors): IIIF manifest/canvas
and OAI/EDM records → object; metadata licenses (`sdLicense`, Smithsonian `metadata_usage`,
LIDO `recordRights`, OAI `about`) → metadata; JSON-LD `WebSite`/`Organization` → site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import urldefrag, urljoin

from lxml import html as lxml_html

from rules.model import Assertion

#: Positions that mean "the page itself" and are resolved by `resolve_page_level`.
PAGE_LEVEL = frozenset({"head", "body", "page-subject", "jsonld-webpage", "http-header"})

_OBJECT_TAGS = {"main": "main", "article": "article"}
_OBJECT_ROLES = {"main": "main", "article": "article"}
_CHROME_TAGS = {"footer": "footer", "nav": "nav", "header": "header"}
_CHROME_ROLES = {"contentinfo": "footer", "navigation": "nav", "banner": "header"}
_CHROME_TOKEN = re.compile(
    r"^(?:[a-z0-9]+[-_])*(footer|foot|site-?info|siteinfo|colophon|navbar|nav|navigation|"
    r"menu|masthead|topbar|breadcrumbs?|cookie[a-z-]*)(?:[-_][a-z0-9]+)*$"
    # Words that also name parts of an object page ("object-header", "page-header" titles,
    # "object-copyright" credits) count only in their site-wide forms.
    r"|^(?:(?:site|global|footer)[-_]?)(copyright|header)(?:[-_][a-z0-9]+)*$|^(copyright)$"
)
_CHROME_NAME = {
    "foot": "footer",
    "siteinfo": "footer",
    "site-info": "footer",
    "colophon": "footer",
    "navbar": "nav",
    "navigation": "nav",
    "menu": "nav",
    "breadcrumb": "nav",
    "breadcrumbs": "nav",
    "masthead": "header",
    "topbar": "header",
}


def _chrome_token(cls: str | None, ident: str | None) -> str | None:
    tokens = (cls or "").lower().split() + (ident or "").lower().split()
    for token in tokens:
        m = _CHROME_TOKEN.match(token)
        if m:
            word = m.group(1) or m.group(2) or m.group(3)
            if word.startswith("cookie"):
                return "nav"
            if "header" in word:
                return "header"
            return _CHROME_NAME.get(word, word)
    return None


def _same_page(a: str, b: str) -> bool:
    return urldefrag(a)[0].rstrip("/") == urldefrag(b)[0].rstrip("/") and "#" not in a


_NO_DECISION = ("", "")  # an RDFa subject that is the page itself: landmarks decide


def _rdfa_decision(node: lxml_html.HtmlElement, base_url: str) -> tuple[str, str] | None:
    """This element's own RDFa subject decision: None when it declares no subject,
    `_NO_DECISION` when it declares the page itself, else (scope, position)."""
    about = node.get("about")
    if (
        about is None
        and node.get("resource") is not None
        and not (node.get("rel") or node.get("rev") or node.get("property"))
    ):
        about = node.get("resource")  # RDFa 1.1: `resource` alone opens a new subject
    if about is not None:
        target = urljoin(base_url, about.strip().strip("[]"))
        if about.strip() in ("", "#") or _same_page(target, base_url):
            return ("object", "rdfa-work") if node.get("typeof") else _NO_DECISION
        return ("object", "rdfa-about")
    typeof = node.get("typeof")
    if typeof and node.get("property") is None:
        # A typed node without `@about` (RDFa 1.1 / Lite) is a new subject on the page.
        decided = type_scope(typeof.split())
        if decided == "site":
            return ("site", "rdfa-site")
        if decided == "object":
            return ("object", "rdfa-about")
        return _NO_DECISION
    return None


@lru_cache(maxsize=4096)
def _local(type_name: str) -> str:
    return re.split(r"[/#:]", type_name.strip())[-1].lower()


#: schema.org / ccREL types that describe the site or its publisher, not an object.
SITE_TYPES = frozenset(
    {
        "website",
        "organization",
        "museum",
        "library",
        "archiveorganization",
        "corporation",
        "governmentorganization",
        "educationalorganization",
        "ngo",
        "localbusiness",
        "collegeoruniversity",
        "performinggroup",
        "wpfooter",
        "wpheader",
        "sitenavigationelement",
        "brand",
    }
)
#: Types that are the page itself (resolved per document like `<head>` statements).
PAGE_TYPES = frozenset(
    {"webpage", "itempage", "collectionpage", "aboutpage", "searchresultspage", "profilepage"}
)
#: Types whose nodes define a license rather than apply one (a deed, a rights statement page).
LICENSE_DOC_TYPES = frozenset({"rightsstatement", "licensedocument", "license", "concept"})


def type_scope(types: Iterable[str]) -> str | None:
    """`site`, `page`, `license-document` or `object` for a node's types; None when untyped."""
    local = {_local(t) for t in types if t and t.strip()}
    if not local:
        return None
    if local & LICENSE_DOC_TYPES:
        return "license-document"
    if local & SITE_TYPES:
        return "site"
    if local <= PAGE_TYPES:
        return "page"
    return "object"


def _landmark(node: lxml_html.HtmlElement) -> tuple[str, str] | None:
    """("head"|"object"|"chrome", position) when `node` itself is a landmark, else None."""
    tag = node.tag if isinstance(node.tag, str) else ""
    return _landmark_of(tag, node.get("role"), node.get("class"), node.get("id"))


@lru_cache(maxsize=4096)
def _landmark_of(
    tag: str, role_attr: str | None, cls: str | None, ident: str | None
) -> tuple[str, str] | None:
    """`_landmark` from the four attributes that decide it (pages repeat the same few
    combinations thousands of times, so the answer is memoised)."""
    tag = tag.lower()
    role = (role_attr or "").lower().strip()
    if tag == "head":
        return ("head", "head")
    if tag in _OBJECT_TAGS or role in _OBJECT_ROLES:
        return ("object", _OBJECT_TAGS.get(tag) or _OBJECT_ROLES[role])
    if tag in ("body", "html"):
        return None
    chrome = _CHROME_TAGS.get(tag) or _CHROME_ROLES.get(role) or _chrome_token(cls, ident)
    return ("chrome", chrome) if chrome else None


@dataclass(frozen=True)
class ScopeState:
    """`element_scope` computed top-down while walking a tree (one step per element)."""

    rdfa: tuple[str, str] | None = None
    head: bool = False
    obj: str | None = None
    chrome: str | None = None

    def enter(self, el: lxml_html.HtmlElement, base_url: str) -> ScopeState:
        attrs = el.attrib
        if "about" in attrs or "resource" in attrs or "typeof" in attrs:
            decided = _rdfa_decision(el, base_url)
        else:
            decided = None  # no RDFa subject here (the common case: skip the full test)
        rdfa = self.rdfa if decided is None else decided
        mark = _landmark(el)
        if mark is None:
            if rdfa is self.rdfa:
                return self
            return ScopeState(rdfa, self.head, self.obj, self.chrome)
        kind, where = mark
        if kind == "head":
            return ScopeState(rdfa, True, self.obj, self.chrome)
        if kind == "object":
            return ScopeState(rdfa, self.head, where, None)
        return ScopeState(rdfa, self.head, self.obj, where)

    @cached_property
    def resolved(self) -> tuple[str, str]:
        """`scope()`, computed once per state (a text walk asks for it at every text node)."""
        return self.scope()

    def scope(self) -> tuple[str, str]:
        if self.rdfa is not None and self.rdfa != _NO_DECISION:
            return self.rdfa
        if self.head:
            return ("object", "head")
        if self.obj:
            return ("object", f"{self.obj}>{self.chrome}" if self.chrome else self.obj)
        if self.chrome:
            return ("site", self.chrome)
        return ("object", "body")


def scope_state(
    el: lxml_html.HtmlElement, base_url: str, memo: dict[Any, ScopeState] | None = None
) -> ScopeState:
    """The `ScopeState` at `el`, entered top-down from the root; `memo` (one dict per
    document) makes every ancestor's state computed once."""
    chain: list[lxml_html.HtmlElement] = []
    state = ScopeState()
    node: lxml_html.HtmlElement | None = el
    while node is not None and isinstance(node.tag, str):
        if memo is not None and node in memo:
            state = memo[node]
            break
        chain.append(node)
        node = node.getparent()
    for n in reversed(chain):
        state = state.enter(n, base_url)
        if memo is not None:
            memo[n] = state
    return state


def element_scope(
    el: lxml_html.HtmlElement, base_url: str, memo: dict[Any, ScopeState] | None = None
) -> tuple[str, str]:
    """(scope, position) of a signal carried by `el`: RDFa subject first, then landmarks;
    page-level signals come out as provisional `object` (see `resolve_page_level`)."""
    return scope_state(el, base_url, memo).scope()


def is_page_level(a: Assertion) -> bool:
    return a.scope == "object" and (a.position or "") in PAGE_LEVEL


def has_explicit_object(assertions: Iterable[Assertion]) -> bool:
    return any(a.scope == "object" and not is_page_level(a) for a in assertions)


def same_license(a: str | None, b: str | None) -> bool:
    """The same license, or the same family where one side names no version ("CC BY" in a
    footer and `CC-BY-4.0` in the head are one statement)."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    from rules.catalog import get_catalog

    catalog = get_catalog()
    ea, eb = catalog.get(a), catalog.get(b)
    if ea is None or eb is None or ea.family != eb.family:
        return False
    return ea.version is None or eb.version is None


#: Page-level positions that describe the document as a whole (not text on the page).
DOCUMENT_LEVEL = frozenset({"head", "jsonld-webpage", "http-header"})


def resolve_page_level(assertions: list[Assertion]) -> list[Assertion]:
    """Page-level signals are the object's unless a more specific object signal exists.

    When something in the document speaks about an object explicitly (main content, an
    `@about` resource, a JSON-LD main entity, a record), the page-level statements describe
    the page or the site (a site-wide `<head>` license, the page text's own license) and
    become `site` (unless they state the very license the object statement states: then
    they agree with it and stay `object`); otherwise the page is the object and they stay
    `object`.

    A document-level statement (`<head>` link or meta, `WebPage` JSON-LD, HTTP Link header)
    that repeats a license the site chrome states (footer, navigation) is the site-wide
    setting of the CMS, and is `site` too.
    """
    site_ids = {a.license for a in assertions if a.scope == "site" and a.license}
    object_ids = {
        a.license for a in assertions if a.scope == "object" and a.license and not is_page_level(a)
    }
    explicit = has_explicit_object(assertions)
    out = []
    for a in assertions:
        if is_page_level(a) and (
            (explicit and a.license not in object_ids)
            or (
                (a.position or "") in DOCUMENT_LEVEL
                and any(same_license(a.license, s) for s in site_ids)
            )
        ):
            a = replace(a, scope="site")
        out.append(a)
    return out
