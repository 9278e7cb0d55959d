"""Walking IIIF Presentation collections (v2 and v3): which manifests and sub-collections a
collection document names. Pure: JSON bytes in, URLs out (issue 6).

v2: `{"@type": "sc:Collection", "manifests": [{"@id"}], "collections": [...], "members": [...]}`
with paging via `first`/`next`; v3: `{"type": "Collection", "items": [{"id", "type"}]}`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IiifDoc:
    kind: str  # collection | manifest | other
    version: int | None  # 2 or 3
    manifests: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()  # sub-collections and next pages
    error: str | None = None


def _id(node: Any) -> str | None:
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        value = node.get("id") or node.get("@id")
        return value if isinstance(value, str) else None
    return None


def _type(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    value = node.get("type") or node.get("@type") or ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).split(":")[-1].lower()


def _version(doc: dict[str, Any]) -> int | None:
    ctx = doc.get("@context")
    text = json.dumps(ctx) if ctx is not None else ""
    if "presentation/3" in text:
        return 3
    if "presentation/2" in text or "@type" in doc:
        return 2
    return 3 if "type" in doc else None


def parse_iiif(body: bytes) -> IiifDoc:
    """What a IIIF Presentation document is and which documents it points to."""
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return IiifDoc("other", None, error=f"not JSON: {exc}")
    if not isinstance(doc, dict):
        return IiifDoc("other", None, error="JSON document is not an object")
    kind = _type(doc)
    version = _version(doc)
    if kind == "manifest":
        return IiifDoc("manifest", version)
    if kind != "collection":
        return IiifDoc("other", version)
    manifests: list[str] = []
    collections: list[str] = []
    children: list[Any] = []
    for key in ("items", "members", "manifests", "collections"):
        value = doc.get(key)
        if isinstance(value, list):
            children.extend((key, c) for c in value)
    for key, child in children:
        url = _id(child)
        if not url:
            continue
        ctype = _type(child) or ("manifest" if key == "manifests" else "")
        if ctype == "manifest":
            manifests.append(url)
        elif ctype == "collection" or key == "collections":
            collections.append(url)
    for key in ("first", "next"):
        url = _id(doc.get(key))
        if url and url != _id(doc):
            collections.append(url)
    return IiifDoc(
        "collection", version, tuple(dict.fromkeys(manifests)), tuple(dict.fromkeys(collections))
    )
