"""`button-image`: license badges (`i.creativecommons.org/l/by/4.0/88x31.png`, licensebuttons.net,
CC press-kit icons, rightsstatements.org icons), also inside a rel=license anchor.

A badge is not a license slot: an `<img>` the rules engine does not recognise is just an image.
The license URL of an anchor wins over the icon it wraps (a US-port icon next to an Unported
href is common), but both are recorded; the badge keeps its own method.
"""

from __future__ import annotations

import re

from lxml import etree

from rules.extract._common import absolute, build, element_snippet, normalize, scope_of
from rules.extract.document import Document
from rules.model import Assertion

METHOD = "button-image"
#: A broad, cheap gate before asking the rules engine: badge URLs name a license host or a
#: license-ish word. Anything else is an ordinary picture and is not normalised at all.
_BADGE_HINT = re.compile(
    r"creativecommons|licen|rightsstatement|88x31|80x15|cc[-_.0]|public|pd[-_.]|copyright|"
    r"/[lp]/|/by|/zero|/mark"
)
_SRC_XPATH = etree.XPath("//img/@*[local-name() = 'src' or local-name() = 'data-src']")


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for src in _SRC_XPATH(doc.tree):
        low = src.lower()
        if low.startswith("data:") or not _BADGE_HINT.search(low):
            continue
        el = src.getparent()
        # a plain str: an lxml "smart string" would keep the whole tree alive in caches
        src_abs = absolute(doc, str(src))
        normalized = normalize(src_abs, "button")
        if normalized is None:
            continue
        scope, position = scope_of(doc, el)
        a = build(
            doc,
            src_abs,
            method=METHOD,
            scope=scope,
            position=position,
            snippet=element_snippet(el),
            kind="button",
            slot=False,
        )
        if a is not None:
            out.append(a)
    return out
