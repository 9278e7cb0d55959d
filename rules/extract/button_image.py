"""`button-image`: license badges (`i.creativecommons.org/l/by/4.0/88x31.png`, licensebuttons.net,
CC press-kit icons, rightsstatements.org icons), also inside a rel=license anchor.

A badge is not a license slot: an `<img>` the rules engine does not recognise is just an image.
The license URL of an anchor wins over the icon it wraps (a US-port icon next to an Unported
href is common), but both are recorded; the badge keeps its own method.
"""

from __future__ import annotations

import re
from typing import Any

from rules.extract._common import absolute, build, element_snippet, images, normalize, scope_of
from rules.extract.document import Document
from rules.model import Assertion

METHOD = "button-image"
#: A broad, cheap gate before asking the rules engine: badge URLs name a license host or a
#: license-ish word. Anything else is an ordinary picture and is not normalised at all.
_BADGE_HINT = re.compile(
    r"creativecommons|licen|rightsstatement|88x31|80x15|cc[-_.0]|public|pd[-_.]|copyright|"
    r"/[lp]/|/by|/zero|/mark"
)


def _sources(doc: Document) -> list[tuple[Any, str]]:
    """(img, src) for every `src` and `data-src` (any namespace prefix) of every image."""
    out: list[tuple[Any, str]] = []
    for el in images(doc):
        src, lazy = el.get("src"), el.get("data-src")
        if src is None and lazy is None:  # rare: a prefixed attribute (`xlink:src`, `v:src`)
            for key, value in el.attrib.items():
                if key.rsplit("}", 1)[-1].rsplit(":", 1)[-1] in ("src", "data-src"):
                    out.append((el, value))
            continue
        if src is not None:
            out.append((el, src))
        if lazy is not None:
            out.append((el, lazy))
    return out


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for el, src in _sources(doc):
        low = src.lower()
        if low.startswith("data:") or not _BADGE_HINT.search(low):
            continue
        src_abs = absolute(doc, src)
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
