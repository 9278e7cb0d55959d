"""`jsonld`: schema.org license properties in `<script type="application/ld+json">` blocks.

Reads `license`, `copyrightNotice`, `usageInfo`, `acquireLicensePage`, `conditionsOfAccess`,
`sdLicense` (and `dcterms:license`/`rights`, `cc:license`, `edm:rights` written as prefixed or
full-IRI keys) in nested `@graph`s, arrays, `mainEntity`, `associatedMedia` and `image` objects.
Scope comes from the node's `@type`: a CreativeWork/Thing is the object, `WebSite`/`Organization`
the site, `WebPage` the page (resolved like `<head>`), `sdLicense` the metadata. A node typed as
a rights statement or license document defines a license and is not an application of one.
A block that does not parse is re-read tolerantly (comments, CDATA, trailing commas) and
otherwise recorded as an error; the other blocks and extractors still run.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from rules.extract._common import absolute, build
from rules.extract.document import Document, load_json
from rules.model import Assertion
from rules.scope import type_scope

METHOD = "jsonld"
#: local property name (lower case) → license slot?
PROPS = {
    "license": True,
    "licence": True,
    "copyrightnotice": True,
    "sdlicense": True,
    "rights": True,
    "usageinfo": False,
    "acquirelicensepage": False,
    "conditionsofaccess": False,
}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_MAX_NODES = 20000


@lru_cache(maxsize=4096)
def _local(key: str) -> str:
    return re.split(r"[/#:]", key)[-1].lower()


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("@type", node.get("type"))
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [x for x in t if isinstance(x, str)]
    return []


def tolerant_loads(text: str) -> Any:
    """json.loads, then once more without HTML comments, CDATA wrappers and trailing commas."""
    try:
        return load_json(text)
    except ValueError:
        pass
    cleaned = text.strip()
    for junk in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        cleaned = cleaned.replace(junk, "")
    cleaned = _TRAILING_COMMA.sub(r"\1", cleaned)
    cleaned = "".join(ch for ch in cleaned if ch >= " " or ch in "\t\r\n")
    return load_json(cleaned)


def values_of(value: Any) -> list[tuple[str, bool]]:
    """(raw value, is URL) for a property value: string, `@id`/`url` object, `@value`, list."""
    out: list[tuple[str, bool]] = []
    items = value if isinstance(value, list) else [value]
    for v in items[:50]:
        if isinstance(v, str):
            out.append((v, False))
        elif isinstance(v, dict):
            for key in ("@id", "url", "id", "sameAs"):
                if isinstance(v.get(key), str):
                    out.append((v[key], True))
                    break
            else:
                for key in ("@value", "name", "text"):
                    if isinstance(v.get(key), str):
                        out.append((v[key], False))
                        break
    return out


class _Walker:
    def __init__(self, doc: Document, url: str, block: str) -> None:
        self.doc = doc
        self.url = url
        self.block = block
        self.out: list[Assertion] = []
        self.seen = 0

    def node(self, node: Any, inherited: str, via: str | None, depth: int = 0) -> None:
        if depth > 60 or self.seen > _MAX_NODES:
            return
        if isinstance(node, list):
            for n in node:
                self.node(n, inherited, via, depth + 1)
            return
        if not isinstance(node, dict):
            return
        self.seen += 1
        decided = type_scope(_types(node))
        if decided == "license-document":
            self.doc.cache["license_document"] = True
            scope, position = None, None
        elif decided == "site":
            scope, position = "site", "jsonld-site"
        elif decided == "page":
            scope, position = "object", "jsonld-webpage"
        elif decided == "object":
            scope, position = "object", "jsonld-" + ("main-entity" if via else "item")
        else:  # untyped: inherit, or a top-level node that is an object description
            scope, position = ("object", "jsonld-item") if inherited == "top" else _split(inherited)
        for key, value in node.items():
            if key in ("@context",):
                continue
            local = _local(key)
            if local in PROPS and scope is not None:
                self.emit(local, value, scope, position or "jsonld")
            if key == "@graph":
                self.node(value, "top", None, depth + 1)
            elif isinstance(value, dict | list) and local not in PROPS:
                child_via = (
                    key
                    if local
                    in {
                        "mainentity",
                        "associatedmedia",
                        "image",
                        "haspart",
                        "workexample",
                        "encoding",
                    }
                    else None
                )
                if child_via:
                    inherit = "object|jsonld-main-entity"
                else:
                    inherit = f"{scope}|{position}" if scope else "top"
                self.node(value, inherit, child_via, depth + 1)

    def emit(self, prop: str, value: Any, scope: str, position: str) -> None:
        if prop == "sdlicense":
            scope, position = "metadata", "jsonld-sdlicense"
        for raw, is_url in values_of(value):
            if is_url:
                raw = absolute(self.doc, raw)
            a = build(
                self.doc,
                raw,
                method=METHOD,
                scope=scope,
                position=position,
                snippet=f'"{prop}": {json.dumps(value, ensure_ascii=False)[:250]}',
                slot=PROPS[prop],
            )
            if a is not None:
                self.out.append(a)


def _split(inherited: str) -> tuple[str, str]:
    scope, _, position = inherited.partition("|")
    return (scope or "object", position or "jsonld-item")


def extract_data(doc: Document, url: str, data: Any, block: str = "json-ld") -> list[Assertion]:
    walker = _Walker(doc, url, block)
    walker.node(data, "top", None)
    return walker.out


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    for i, script in enumerate(doc.tree.iter("script")):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        text = script.text or ""
        if not text.strip():
            continue
        try:
            data = tolerant_loads(text)
        except ValueError as exc:
            doc.error(METHOD, f"JSON-LD block {i + 1} is not valid JSON: {exc}")
            continue
        out.extend(extract_data(doc, url, data, f"block {i + 1}"))
    return out


def is_schema_jsonld(data: Any) -> bool:
    """A JSON document that is schema.org JSON-LD (read by this module, not as an API)."""
    items = data if isinstance(data, list) else [data]
    for item in items[:5]:
        if (
            isinstance(item, dict)
            and "@context" in item
            and "schema.org" in json.dumps(item["@context"])[:2000]
        ):
            return True
    return False


class _DocumentModule:
    """`jsonld` for whole JSON-LD documents (an API answering with schema.org JSON-LD)."""

    METHOD = METHOD

    @staticmethod
    def extract(doc: Document, url: str) -> list[Assertion]:
        if doc.kind != "json" or not is_schema_jsonld(doc.data):
            return []
        return extract_data(doc, url, doc.data, "document")


document = _DocumentModule()
