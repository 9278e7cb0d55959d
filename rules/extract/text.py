"""`text`: visible license phrases, matched by the rules engine, only where no markup says it.

Visible text (not script/style/template) is cut into segments by structural scope (the same
rules as markup: RDFa subject, landmarks, page level). A segment is read only when no markup
signal (other than a badge image) already speaks for that scope: site chrome text (a footer
"© … All rights reserved") is read when no markup speaks for the site; object and page text
when no markup speaks for the object or the page (a `<head>`-only link does not silence the
main content). On a page that is
itself a license document (a CC deed, a rightsstatements.org statement page) the text describes
the license and applies it to nothing: its matches get scope `unknown`.
"""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml import html as lxml_html

from rules.extract._common import normalize
from rules.extract.document import Document
from rules.model import Assertion
from rules.scope import element_scope, is_page_level

METHOD = "text"
SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "textarea",
    "select",
    "option",
    "head",
    "title",
    "svg",
    "math",
    "iframe",
    "object",
}
_MARKERS = {"about", "typeof", "role", "class", "id"}
_LANDMARK_TAGS = {"main", "article", "footer", "nav", "header", "aside"}
MAX_SEGMENT = 200_000
MAX_TOTAL = 2_000_000
CONTEXT = 120


def _relevant(el: lxml_html.HtmlElement) -> bool:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    return tag in _LANDMARK_TAGS or any(k in el.attrib for k in _MARKERS)


def segments(doc: Document, url: str) -> list[tuple[str, str, str]]:
    """(scope, position, text) runs of visible text in document order."""
    assert doc.tree is not None
    body = doc.tree.find("body")
    root = body if body is not None else doc.tree
    base = doc.base_url or url
    out: list[tuple[str, str, str]] = []
    stack: list[tuple[str, str]] = []
    skip = 0
    total = 0

    def add(key: tuple[str, str], text: str | None) -> None:
        nonlocal total
        if not text or total > MAX_TOTAL:
            return
        total += len(text)
        if out and out[-1][0] == key[0] and out[-1][1] == key[1]:
            if len(out[-1][2]) < MAX_SEGMENT:
                out[-1] = (key[0], key[1], out[-1][2] + " " + text)
        else:
            out.append((key[0], key[1], text))

    start_key = element_scope(root, base)
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            if event == "end" and stack and not skip:
                add(stack[-1], el.tail)
            continue
        tag = el.tag.lower()
        if event == "start":
            if skip or tag in SKIP:
                skip += 1
                stack.append(stack[-1] if stack else start_key)
                continue
            key = element_scope(el, base) if (_relevant(el) or not stack) else stack[-1]
            stack.append(key)
            add(key, el.text)
        else:
            stack.pop()
            if skip:
                skip -= 1
            if el is root:
                break
            if not skip and stack:
                add(stack[-1], el.tail)
    return out


def _snippet(text: str, start: int, end: int) -> str:
    lo = max(0, start - CONTEXT)
    hi = min(len(text), end + CONTEXT)
    return ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def match_text(
    doc: Document, text: str, *, scope: str, position: str, method: str = METHOD
) -> list[Assertion]:
    """Assertions for every phrase the rules engine recognises in `text`."""
    from rules.classify import make_assertion
    from rules.normalize import find_in_text

    text = " ".join(text.split())
    out: list[Assertion] = []
    for m in find_in_text(text):
        out.append(
            make_assertion(
                m.normalized,
                method=method,
                scope=scope,
                snippet=_snippet(text, m.start, m.end),
                source_url=doc.url,
                position=position,
                policy=doc.policy,
            )
        )
    return out


def is_license_document(doc: Document, url: str) -> bool:
    """True when the page is itself a license or rights statement (a deed, a statement page)."""
    if doc.cache.get("license_document"):
        return True
    try:
        n = normalize(url, "url")
    except Exception:  # a failing normaliser must not hide the page's text
        return False
    return n is not None and n.license is not None


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    # A badge alone (an icon in a template) is weaker than the words beside it: only
    # statements in license slots silence the text.
    markup = [a for a in doc.cache.get("markup", []) if a.method != "button-image"]
    explicit_object = any(a.scope == "object" and not is_page_level(a) for a in markup)
    page_body = any(is_page_level(a) and a.position != "head" for a in markup)
    head = any(a.position == "head" for a in markup)
    site = any(a.scope == "site" and not is_page_level(a) for a in markup)
    if explicit_object and site:
        return []  # markup speaks for every scope text could
    license_doc = is_license_document(doc, url)
    out: list[Assertion] = []
    for scope, position, text in segments(doc, url):
        page_level = position in ("body", "page-subject")
        if scope == "site":
            if site:
                continue
        elif page_level:
            if explicit_object or page_body or head:
                continue
        elif explicit_object:
            continue
        if license_doc:
            scope, position = "unknown", "license-document"
        out.extend(match_text(doc, text, scope=scope, position=position))
    return out


def visible_text(doc: Document) -> str:
    """All visible text of an HTML document (used by tools and tests)."""
    return " ".join(t for _s, _p, t in segments(doc, doc.url))


__all__: list[Any] = ["extract", "match_text", "segments", "visible_text"]
