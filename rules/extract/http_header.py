"""`http-header`: `Link: <https://creativecommons.org/licenses/by/4.0/>; rel="license"` (RFC 8288).

A Link header speaks about the fetched resource itself, so it is page level (see rules.scope).
"""

from __future__ import annotations

import re

from rules.extract._common import absolute, build
from rules.extract.document import Document
from rules.model import Assertion

METHOD = "http-header"
_LINK_RE = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL_RE = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def parse_link_header(value: str) -> list[tuple[str, list[str]]]:
    """(target, rel tokens) for each link-value of one Link header."""
    out: list[tuple[str, list[str]]] = []
    for m in _LINK_RE.finditer(value):
        params = m.group(2) or ""
        rel = _REL_RE.search(params)
        tokens = ((rel.group(1) or rel.group(2) or "") if rel else "").lower().split()
        out.append((m.group(1).strip(), tokens))
    return out


def extract(doc: Document, url: str) -> list[Assertion]:
    out: list[Assertion] = []
    for value in doc.header("link"):
        for target, rels in parse_link_header(value):
            if "license" not in rels and "http://www.w3.org/1999/xhtml/vocab#license" not in rels:
                continue
            a = build(
                doc,
                absolute(doc, target),
                method=METHOD,
                scope="object",
                position="http-header",
                snippet=f"Link: {value}",
                kind="url",
            )
            if a is not None:
                out.append(a)
    return out
