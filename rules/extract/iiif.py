"""`iiif`: IIIF Presentation 2 `license` (string or list) and `attribution`, Presentation 3
`rights` and `requiredStatement`, and `metadata` entries labelled as rights/licence, at the
manifest, collection, range, canvas and annotation levels (the position says which).

Everything a manifest says is about the described object (or its images): scope `object`.
`license`/`rights` are license slots (an empty string is nothing, not a license). Attribution
and required statements are credits; only license URLs or names written inside them count
(a bare "© Holder" names a holder, but "All rights reserved" spelled out is terms). A metadata
entry whose label names rights/licence is a slot: the whole value is normalised, then its
phrases, and an unrecognised value is kept raw.

A Collection that embeds several manifests is one document: each manifest's rights stay at
scope `object` with the level in the position, like the records of an OAI list (see `oai`):
agreeing items give their verdict, open and not-open items together give `conflict`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rules.extract._common import absolute, build, href_in, strip_tags
from rules.extract.document import Document
from rules.extract.text import match_text
from rules.model import Assertion

METHOD = "iiif"
_LEVELS = {
    "manifest": "manifest",
    "collection": "collection",
    "canvas": "canvas",
    "range": "range",
    "annotation": "annotation",
    "annotationpage": "annotation",
    "image": "image",
    "imageservice2": "image-service",
    "imageservice3": "image-service",
    "layer": "layer",
    "sequence": "sequence",
}
_RIGHTS_LABEL = re.compile(
    r"\b(rights?|licen[cs]e[sd]?|copyright|usage|terms|permissions?|reuse|trwydded|hawlfraint|"
    r"rechte|lizenz|droits?|licencia|licenza|derechos|diritti|licentie|rechten|auteursrecht|"
    r"oikeudet|lisenssi|käyttöoikeus|rättigheter|licens|upphovsrätt|prawa|licencja|rettigheder|"
    r"rettigheter|lisens|opphavsrett|ophavsret|tekijänoikeus|"
    r"conditions d.utilisation|use and reproduction|gebruiksvoorwaarden|auteursrechten)\b"
    # German and Dutch compounds: Rechtehinweis, Nutzungsrechte, Lizenzangabe, Rechtenstatus …
    r"|(rechte|lizenz|nutzungs|urheberrecht|rechten|licentie)\w*|\w*(rechte|lizenz)\b",
    re.IGNORECASE,
)
_MAX_NODES = 50_000
_RESERVED = re.compile(
    r"\brights? reserved\b|\brechte vorbehalten\b|\bdroits réservés\b|\bderechos reservados\b|"
    r"\btutti i diritti riservati\b|\balle rechten voorbehouden\b",
    re.IGNORECASE,
)


def texts(value: Any) -> list[str]:
    """Strings of a IIIF language value: str, list, {"@value"}, or {"en": [..]} (v3)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value[:100] for t in texts(v)]
    if isinstance(value, dict):
        if "@value" in value:
            return texts(value["@value"])
        if "@id" in value and isinstance(value["@id"], str):
            return [value["@id"]]
        return [t for v in list(value.values())[:50] for t in texts(v)]
    return []


def _level(node: dict[str, Any], default: str) -> str:
    t = node.get("@type") or node.get("type") or ""
    t = t[0] if isinstance(t, list) and t else t
    local = re.split(r"[:/#]", str(t))[-1].lower()
    return _LEVELS.get(local, default)


class _Walker:
    def __init__(self, doc: Document, url: str) -> None:
        self.doc = doc
        self.url = url
        self.out: list[Assertion] = []
        self.count = 0

    def slot(self, raw: str, position: str, snippet: str) -> None:
        raw = raw.strip()
        if not raw:
            return
        a = build(
            self.doc,
            absolute(self.doc, raw) if raw.startswith(("http", "//")) else raw,
            method=METHOD,
            scope="object",
            position=position,
            snippet=snippet,
        )
        if a is not None:
            self.out.append(a)

    def credit(self, value: Any, key: str, position: str) -> None:
        """A credit line is not a license slot: license URLs inside it count, and a credit
        that *is* a license name ("Public Domain", "CC BY 4.0"); a bare "©" credit names a
        holder, not terms, and is left alone."""
        for t in texts(value):
            found = False
            for href in href_in(t):
                a = build(
                    self.doc,
                    href,
                    method=METHOD,
                    scope="object",
                    position=position,
                    snippet=f'"{key}": {t[:250]}',
                    kind="url",
                    slot=False,
                )
                if a is not None and a.license is not None:
                    self.out.append(a)
                    found = True
            if found:
                continue
            plain = strip_tags(t)
            b = build(
                self.doc,
                plain,
                method=METHOD,
                scope="object",
                position=position,
                snippet=f'"{key}": {t[:250]}',
                slot=False,
            )
            if b is None or b.license is None:
                continue
            if b.license != "ARR" or _RESERVED.search(plain):
                self.out.append(b)  # "All rights reserved" spelled out is terms, not a credit

    def metadata(self, entries: Any, position: str) -> None:
        if not isinstance(entries, list):
            return
        for entry in entries[:500]:
            if not isinstance(entry, dict):
                continue
            labels = " ".join(texts(entry.get("label")))
            if not _RIGHTS_LABEL.search(labels):
                continue
            values = texts(entry.get("value"))
            snippet = json.dumps(entry, ensure_ascii=False)[:300]
            found: list[Assertion] = []
            for v in values:
                plain = strip_tags(v)
                a = build(
                    self.doc,
                    plain,
                    method=METHOD,
                    scope="object",
                    position=position,
                    snippet=snippet,
                    slot=False,
                )
                if a is not None:
                    found.append(a)
                    continue
                for href in href_in(v):
                    b = build(
                        self.doc,
                        href,
                        method=METHOD,
                        scope="object",
                        position=position,
                        snippet=snippet,
                        kind="url",
                        slot=False,
                    )
                    if b is not None:
                        found.append(b)
                found.extend(match_text(self.doc, plain, scope="object", position=position))
            if not found and values:
                a = build(
                    self.doc,
                    strip_tags(values[0]),
                    method=METHOD,
                    scope="object",
                    position=position,
                    snippet=snippet,
                )
                if a is not None:
                    found.append(a)
            self.out.extend(found)

    def node(self, node: Any, position: str, depth: int = 0) -> None:
        if depth > 40 or self.count > _MAX_NODES:
            return
        if isinstance(node, list):
            for n in node:
                self.node(n, position, depth + 1)
            return
        if not isinstance(node, dict):
            return
        self.count += 1
        position = _level(node, position)
        for key in ("license", "rights"):
            for raw in texts(node.get(key)) if key in node else []:
                self.slot(raw, position, f'"{key}": {json.dumps(node.get(key))[:280]}')
        for key in ("attribution", "requiredStatement"):
            if key in node:
                self.credit(node[key], key, position)
        if "metadata" in node:
            self.metadata(node["metadata"], position)
        for key, value in node.items():
            if key in (
                "license",
                "rights",
                "attribution",
                "requiredStatement",
                "metadata",
                "@context",
                "label",
                "summary",
                "description",
            ):
                continue
            if isinstance(value, dict | list):
                self.node(value, position, depth + 1)


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.kind != "iiif" or doc.data is None:
        return []
    walker = _Walker(doc, url)
    walker.node(doc.data, "manifest")
    return walker.out
