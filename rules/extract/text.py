"""`text`: visible license phrases, matched by the rules engine, only where no markup says it.

Visible text (not script/style/template) is cut into segments by structural scope (the same
rules as markup: RDFa subject, landmarks, page level). A segment is read only when no markup
signal (other than a badge image) already speaks for that scope: site chrome text (a footer
"© … All rights reserved") is read when no markup speaks for the site; object and page text
when no markup in the body speaks for the object or the page (a `<head>` link may be the
site's setting, so it silences no body text). On a page that is
itself a license document (a CC deed, a rightsstatements.org statement page) the text describes
the license and applies it to nothing: its matches get scope `unknown`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from rules.extract._common import absolute, build, element_snippet, normalize, scope_of
from rules.extract.document import Document
from rules.model import Assertion
from rules.scope import DOCUMENT_LEVEL, ScopeState, is_page_level

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
MAX_SEGMENT = 200_000
MAX_TOTAL = 2_000_000
CONTEXT = 120
_HREF_XPATH = etree.XPath("//a/@href")


def segments(doc: Document, url: str, root: Any = None) -> list[tuple[str, str, str]]:
    """(scope, position, text) runs of visible text in document order (under `root`).

    Scopes are computed top-down (`ScopeState`), one step per element, so the walk stays
    linear in the size of the page.
    """
    assert doc.tree is not None
    if root is None:
        body = doc.tree.find("body")
        root = body if body is not None else doc.tree
    base = doc.base_url or url
    runs: list[tuple[tuple[str, str], list[str]]] = []
    sizes: list[int] = []
    total = 0

    def add(state: ScopeState, text: str | None) -> None:
        nonlocal total
        if not text or total > MAX_TOTAL or text.isspace():
            return
        total += len(text)
        key = state.resolved
        if runs and runs[-1][0] == key:
            if sizes[-1] < MAX_SEGMENT:
                runs[-1][1].append(text)
                sizes[-1] += len(text)
        else:
            runs.append((key, [text]))
            sizes.append(len(text))

    start = ScopeState()
    for anc in reversed(list(root.iterancestors())):
        start = start.enter(anc, base)
    stack: list[ScopeState] = []
    skip = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(el.tag, str):
            if event == "end" and stack and not skip:
                add(stack[-1], el.tail)
            continue
        if event == "start":
            parent = stack[-1] if stack else start
            if skip or el.tag.lower() in SKIP:
                skip += 1
                stack.append(parent)
                continue
            state = parent.enter(el, base)
            stack.append(state)
            add(state, el.text)
        else:
            stack.pop()
            if skip:
                skip -= 1
            if el is root:
                break
            if not skip and stack:
                add(stack[-1], el.tail)
    return [(scope, position, " ".join(parts)) for (scope, position), parts in runs]


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
        where, pos = scope, position
        if scope == "object" and _about_compilation(text, m.start):
            where, pos = "metadata", "text-compilation"
        out.append(
            make_assertion(
                m.normalized,
                method=method,
                scope=where,
                snippet=_snippet(text, m.start, m.end),
                source_url=doc.url,
                position=pos,
                policy=doc.policy,
            )
        )
    return out


#: The subject of a sentence that licenses a compilation or a database, not the work shown:
#: "The compilation copyright is held by … and licensed under the GFDL" (Commons PD-Art
#: templates), "Die Datenbank steht unter …", "la base de données est sous licence …".
_COMPILATION = re.compile(
    r"\b(?:compilation|database|datenbank|sammelwerk|base de donn[ée]es|databank|databas|"
    r"tietokanta|baza danych)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;:](?=\s+[A-ZÄÖÜÀ-Ý])")


def _about_compilation(text: str, start: int) -> bool:
    """Does the sentence that holds the match (up to it) speak of a compilation/database?"""
    window = text[max(0, start - 200) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends:
        window = window[ends[-1] :]
    return bool(_COMPILATION.search(window))


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
    # document-level statements (head, WebPage JSON-LD, Link header) may be the site's
    # setting, so they silence no body text
    page_body = any(is_page_level(a) and a.position not in DOCUMENT_LEVEL for a in markup)
    site = any(a.scope == "site" and not is_page_level(a) for a in markup)
    if explicit_object and site:
        return []  # markup speaks for every scope text could

    def wanted(scope: str, position: str) -> bool:
        if scope == "site":
            return not site
        if position in ("body", "page-subject"):
            return not (explicit_object or page_body)
        return not explicit_object

    license_doc = is_license_document(doc, url)
    out: list[Assertion] = []
    for scope, position, text in segments(doc, url):
        if not wanted(scope, position):
            continue
        if license_doc:
            scope, position = "unknown", "license-document"
        out.extend(match_text(doc, text, scope=scope, position=position))
    if not license_doc:
        out.extend(_plain_links(doc, wanted))
    return out


def _plain_links(doc: Document, wanted: Callable[[str, str], bool]) -> list[Assertion]:
    """Plain links to a license or rights statement (`<a href=".../InC/1.0/">In Copyright</a>`
    without rel=license) read like the words they are: only where text is read."""
    assert doc.tree is not None
    out: list[Assertion] = []
    for href in _HREF_XPATH(doc.tree):
        low = href.lower()
        if "creativecommons.org" not in low and "rightsstatements.org" not in low:
            continue  # the license hosts whose URLs name a tool
        el = href.getparent()
        rel = (el.get("rel") or "").lower().split()
        if "license" in rel:
            continue  # already a rel-license statement
        scope, position = scope_of(doc, el)
        if not wanted(scope, position):
            continue
        a = build(
            doc,
            absolute(doc, str(href)),
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            kind="url",
            slot=False,
        )
        if a is not None and a.license is not None:
            out.append(a)
    return out


def visible_text(doc: Document) -> str:
    """All visible text of an HTML document (used by tools and tests)."""
    return " ".join(t for _s, _p, t in segments(doc, doc.url))


__all__: list[Any] = ["extract", "match_text", "segments", "visible_text"]
