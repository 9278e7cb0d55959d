"""License tables that a document carries itself: numeric license codes → licenses.

Some APIs give licenses as numbers and ship the number → license table in the same response
(Flickr's `license="7"` beside `flickr.photos.licenses.getInfo`). Any such table found anywhere
in the document — elements or objects called `license` with an `id` and a `name` or `url` —
resolves the numbers, whatever the service; nothing is keyed to a site or a file name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lxml import etree

from rules.extract._common import normalize
from rules.extract.document import Document
from rules.model import Normalized


def _key(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _table_from_json(data: Any, table: dict[str, str], depth: int = 0) -> None:
    if depth > 30:
        return
    if isinstance(data, dict):
        for k, v in data.items():
            if _key(k) in ("license", "licenses") and isinstance(v, list):
                for item in v:
                    if (
                        isinstance(item, dict)
                        and "id" in item
                        and (item.get("url") or item.get("name"))
                    ):
                        table[str(item["id"])] = (
                            str(item.get("url") or "") + "\n" + str(item.get("name") or "")
                        )
            _table_from_json(v, table, depth + 1)
    elif isinstance(data, list):
        for v in data[:1000]:
            _table_from_json(v, table, depth + 1)


def license_table(doc: Document) -> dict[str, str]:
    """id → "url\\nname" from every license table the document carries."""
    if "license_table" in doc.cache:
        return dict(doc.cache["license_table"])
    table: dict[str, str] = {}
    xml_roots = ([doc.xml] if doc.xml is not None else []) + [
        p for p in doc.parts if isinstance(p, etree._Element)
    ]
    for root in xml_roots:
        for el in root.iter("license", "{*}license"):
            if el.get("id") is not None and (el.get("url") or el.get("name")):
                table[el.get("id") or ""] = (el.get("url") or "") + "\n" + (el.get("name") or "")
    json_values = [doc.data] if doc.kind == "json" else []
    json_values += [p for p in doc.parts if not isinstance(p, etree._Element)]
    for data in json_values:
        _table_from_json(data, table)
    doc.cache["license_table"] = table
    return table


def resolve_code(doc: Document, code: str) -> tuple[Normalized | None, str]:
    entry = license_table(doc).get(code)
    if entry is None:
        return None, f"license={code}"
    url, _, name = entry.partition("\n")
    for raw, kind in ((url, "url"), (name, "value")):
        if raw:
            n = normalize(raw, kind)
            if n is not None and n.license is not None:
                # The value seen is the number; the table entry that resolved it is evidence.
                return replace(n, raw=f"license={code}"), f"license={code} ({name or url})"
    return None, f"license={code} ({name or url})"
