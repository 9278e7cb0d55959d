"""`button-image`: license badges (`i.creativecommons.org/l/by/4.0/88x31.png`, licensebuttons.net,
CC press-kit icons, rightsstatements.org icons), also inside a rel=license anchor.

A badge is not a license slot: an `<img>` the rules engine does not recognise is just an image.
The license URL of an anchor wins over the icon it wraps (a US-port icon next to an Unported
href is common), but both are recorded; the badge keeps its own method.
"""

from __future__ import annotations

from rules.extract._common import absolute, build, element_snippet
from rules.extract.document import Document
from rules.model import Assertion
from rules.scope import element_scope

METHOD = "button-image"


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for el in doc.tree.iter("img", "input"):
        src = el.get("src") or el.get("data-src") or ""
        if not src.strip() or src.startswith("data:"):
            continue
        a = None
        scope_pos = None
        src_abs = absolute(doc, src)
        scope_pos = element_scope(el, doc.base_url or url)
        a = build(
            doc,
            src_abs,
            method=METHOD,
            scope=scope_pos[0],
            position=scope_pos[1],
            snippet=element_snippet(el),
            kind="button",
            slot=False,
        )
        if a is not None:
            out.append(a)
    return out
