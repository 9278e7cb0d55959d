"""`api-field`: license fields of GLAM API records that are not JSON-LD (JSON, plain XML, and
API bodies wrapped in YAML cassettes).

Field names are matched generically (`license`, `licence`, `licenseUrl`, `rights`, `edmRights`,
`imageRights`, `share_license_status`, `usage.access`, `copyright`, Commons `extmetadata`
`License`/`LicenseUrl`/`LicenseShortName`/`UsageTerms`, `isPublicDomain` …), never by site.
Fields about the catalogue record (`metadata_usage`, `metadataLicense`, `recordRights`), and
licence prose that says it covers "the data in this response", are scope `metadata`; everything
else is the object's. Other field names count when their words name rights (`rights_type`,
`dc_right_display`, `image_license_url`) but not a holder, flag or contact (`rights_holder`,
`copyright_restricted`). A search response listing several records is one document; each
record's fields keep their JSON path in the position (`api:items[].rights`).

A boolean public-domain flag (or a no-known-copyright flag) counts only when no recognised
license value sits in the same record (a flag beside a CC0 URL repeats it).

Some APIs give licenses as numbers and ship the number → license table in the response
(Flickr's `license="7"` with `flickr.photos.licenses.getInfo`). Any such table found anywhere in
the document (elements or objects called `license` with `id` and `name`/`url`) resolves the
numbers; without a table the number is kept raw, unrecognised.
"""

from __future__ import annotations

import json
import re
from typing import Any, cast

from lxml import etree

from rules.extract._common import build, href_in, strip_tags, unrecognised
from rules.extract.document import Document
from rules.extract.feed import FEED_NS, feed_license
from rules.extract.jsonld import is_schema_jsonld
from rules.extract.license_table import resolve_code
from rules.extract.oai import _split
from rules.extract.text import match_text
from rules.model import Assertion

METHOD = "api-field"
#: normalised key → license slot?
KEYS = {
    "license": True,
    "licence": True,
    "licenses": True,
    "licenseurl": True,
    "licenceurl": True,
    "licenseuri": True,
    "licenseshortname": True,
    "licensename": True,
    "rights": True,
    "rightsuri": True,
    "rightsurl": True,
    "rightsstatement": True,
    "rightsstatements": True,
    "edmrights": True,
    "imagerights": True,
    "mediarights": True,
    "sharelicensestatus": True,
    "usageterms": True,
    "copyright": True,
    "copyrightstatus": True,
    "rightsandreproduction": True,
    "usagerights": True,
    "rightsinfo": True,
    "rightsinformation": True,
    "licenseinfo": True,
    "licenceinfo": True,
    "licensetype": True,
    "licencetype": True,
    "imagelicense": True,
    "imagelicence": True,
    "medialicense": True,
    "reuserights": True,
    "copyrightlicense": True,
    "edmrightsuri": True,
    "accessrights": False,
    "rightsadvisory": False,
    "creditline": False,
}
PD_FLAGS = {"ispublicdomain", "publicdomain", "ispd", "publicdomainflag"}
#: Flags that say "no known copyright" (Cooper Hewitt's `has_no_known_copyright: 1`): NKC.
NKC_FLAGS = {"hasnoknowncopyright", "noknowncopyright", "noknowncopyrightrestrictions"}
_FLAG_MEANS = {
    **dict.fromkeys(PD_FLAGS, "Public Domain"),
    **dict.fromkeys(NKC_FLAGS, "No known copyright restrictions"),
}
#: Field-name words that make any other field a rights slot (`rights_type`, `dc_right_display`,
#: `image_license_url` …); a field that also names a holder, a restriction flag or a contact is
#: about who or whether, not which terms.
_RIGHTS_WORDS = {"rights", "right", "license", "licence", "licenses", "licences", "copyright"}
_NOT_TERMS_WORDS = {
    "holder",
    "holders",
    "owner",
    "restricted",
    "restriction",
    "restrictions",
    "contact",
    "email",
    "id",
    "date",
}
_VERSIONED = re.compile(r"^(?P<family>.+?)-\d+(?:\.\d+)*$")
_METADATA_KEY = re.compile(r"^(metadata|record|data|api)(usage|license|licence|rights)")
#: Licence prose that says it covers the response or its data ("The data in this response is
#: licensed under CC0 …"): about the catalogue record, not the objects it describes.
_METADATA_PROSE = re.compile(
    r"\b(?:this|the) (?:api )?response\b|\b(?:meta)?data\b[^.]{0,60}\blicen[cs]ed\b|"
    r"\blicen[cs]ed?\b[^.]{0,60}\b(?:the )?(?:meta)?data\b",
    re.IGNORECASE,
)
_MAX_NODES = 100_000
_NUMERIC = re.compile(r"^\d{1,3}$")


def _key(key: str) -> str:
    return re.sub(r"[^a-z0-9]", "", key.lower())


def _words(key: str) -> set[str]:
    """Words of a field name in snake, kebab, dotted or camel case."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", key)
    return {w for w in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if w}


def is_rights_field(key: str) -> bool:
    """A field whose name says it holds rights terms (not a holder, flag or contact)."""
    words = _words(key)
    return bool(words & _RIGHTS_WORDS) and not words & _NOT_TERMS_WORDS


def _is_language_map(value: dict[str, Any]) -> bool:
    return bool(value) and all(
        isinstance(k, str) and (len(k) <= 3 or k.startswith("@") or "-" in k[:6]) and len(k) < 9
        for k in value
    )


def _strings_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings_of(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_of(v)]
    return []


class _JsonWalker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.out: list[Assertion] = []
        self.count = 0

    def emit(
        self,
        raw: str,
        key: str,
        path: str,
        scope: str,
        slot: bool,
        snippet: str,
        out: list[Assertion],
    ) -> None:
        from rules.classify import make_assertion

        raw = raw.strip()
        if not raw:
            return
        if _NUMERIC.match(raw) and _key(key) in ("license", "licence"):
            n, shown = resolve_code(self.doc, raw)
            if n is not None:
                out.append(
                    make_assertion(
                        n,
                        method=METHOD,
                        scope=scope,
                        snippet=f"{snippet} → {shown}",
                        source_url=self.doc.url,
                        position=f"api:{path}",
                        policy=self.doc.policy,
                    )
                )
                return
        plain = strip_tags(raw) if "<" in raw else raw
        a = build(
            self.doc,
            plain,
            method=METHOD,
            scope=scope,
            position=f"api:{path}",
            snippet=snippet,
            slot=False,
        )
        if a is None and "<" in raw:
            for href in href_in(raw):
                a = build(
                    self.doc,
                    href,
                    method=METHOD,
                    scope=scope,
                    position=f"api:{path}",
                    snippet=snippet,
                    kind="url",
                    slot=False,
                )
                if a is not None:
                    break
        if a is None and slot:
            # Prose in a license field ("This image is in the public domain"): its phrases.
            phrases = match_text(self.doc, plain, scope=scope, position=f"api:{path}")
            if phrases:
                out.extend(phrases)
                return
            a = build(
                self.doc, plain, method=METHOD, scope=scope, position=f"api:{path}", snippet=snippet
            )
        if a is not None:
            out.append(a)

    def walk(
        self, data: Any, path: str, scope: str, depth: int = 0, in_rights: bool = False
    ) -> None:
        """Read license fields; inside a rights object (`imageRights: {…}`) any field whose
        value the rules engine recognises counts too (`link`, `url`, `uri` …)."""
        if depth > 60 or self.count > _MAX_NODES:
            return
        if isinstance(data, list):
            self.count += 1
            for item in data[:5000]:
                self.walk(item, path + "[]", scope, depth + 1, in_rights)
            return
        if not isinstance(data, dict):
            return
        self.count += 1
        found: list[Assertion] = []
        flags: list[tuple[str, Any]] = []
        # A licence block that says it covers the data/response makes its sibling licence
        # fields (`license_links` beside `license_text`) metadata too.
        about_data = any(
            isinstance(v, str) and _METADATA_PROSE.search(v) and is_rights_field(str(k))
            for k, v in data.items()
        )
        for key, value in data.items():
            k = _key(key)
            sub_scope = "metadata" if _METADATA_KEY.match(k) or about_data else scope
            child = f"{path}.{key}" if path else key
            parent = _key(path.split(".")[-1].rstrip("[]")) if path else ""
            named = k not in KEYS and is_rights_field(key)
            is_slot = k in KEYS or named or (k == "access" and parent.endswith("usage"))
            if k in _FLAG_MEANS:
                flags.append((child, value))
                continue
            if named and isinstance(value, int | float | bool):
                continue  # `copyright_status: 0` style codes need a table the record lacks
            if (
                (is_slot or in_rights)
                and isinstance(value, str | int)
                and not isinstance(value, bool)
            ):
                snippet = f'"{key}": {json.dumps(value, ensure_ascii=False)[:280]}'
                slot = KEYS.get(k, True) if is_slot else False
                self.emit(str(value), key, child, sub_scope, slot, snippet, found)
                continue
            if is_slot and isinstance(value, list) and all(isinstance(v, str) for v in value):
                for v in value[:50]:
                    snippet = f'"{key}": {json.dumps(v, ensure_ascii=False)[:280]}'
                    self.emit(v, key, child, sub_scope, KEYS.get(k, True), snippet, found)
                continue
            if is_slot and isinstance(value, dict) and isinstance(value.get("value"), str):
                # MediaWiki extmetadata: {"value": …, "source": …}
                snippet = f'"{key}": {json.dumps(value, ensure_ascii=False)[:280]}'
                self.emit(value["value"], key, child, sub_scope, KEYS.get(k, True), snippet, found)
                continue
            if is_slot and isinstance(value, dict) and _is_language_map(value):
                # {"def": ["http://…"], "en": [...]} (Europeana record API)
                for v in _strings_of(value)[:20]:
                    snippet = f'"{key}": {json.dumps(v, ensure_ascii=False)[:280]}'
                    self.emit(v, key, child, sub_scope, KEYS.get(k, True), snippet, found)
                continue
            if isinstance(value, dict | list):
                self.walk(value, child, sub_scope, depth + 1, in_rights or is_slot)
        if flags and not any(a.license for a in found):
            for child, value in flags:
                truthy = value is True or value == 1 or str(value).lower() in ("true", "1", "yes")
                if truthy and not isinstance(value, float):
                    a = build(
                        self.doc,
                        _FLAG_MEANS[_key(child.rsplit(".", 1)[-1])],
                        method=METHOD,
                        scope=scope,
                        position=f"api:{child}",
                        snippet=f'"{child}": {json.dumps(value)}',
                    )
                    if a is not None:
                        found.append(a)
        self.out.extend(_holder_notices(self.doc, found))


_NOTICE = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.IGNORECASE)
_RESERVED = re.compile(r"\breserved\b|\bvorbehalten\b|\bréservés\b", re.IGNORECASE)


def _holder_notices(doc: Document, found: list[Assertion]) -> list[Assertion]:
    """A bare copyright notice ("© The Board of Trustees") beside a licence in the same record
    object names the holder of a licensed work, not "all rights reserved": it is kept as
    unrecognised evidence. Alone, or with "rights reserved" spelled out, it stays ARR."""
    if not any(a.license not in (None, "ARR") for a in found):
        return found
    from rules.classify import make_assertion

    out = []
    for a in found:
        if a.license == "ARR" and _NOTICE.match(a.raw) and not _RESERVED.search(a.raw):
            a = make_assertion(
                unrecognised(a.raw),
                method=a.method,
                scope=a.scope,
                snippet=a.snippet,
                source_url=a.source_url,
                position=a.position,
                policy=doc.policy,
            )
        out.append(a)
    return out


def _xml_fields(doc: Document, root: etree._Element) -> list[Assertion]:
    """Non-namespaced license fields of plain XML records, and numeric license attributes."""
    from rules.classify import make_assertion

    out: list[Assertion] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        ns, local = _split(el.tag)
        code = el.get("license")
        if code is not None and local.lower() != "license" and code.strip():
            ident = f' id="{el.get("id")}"' if el.get("id") else ""
            snippet = f'<{local}{ident} license="{code}">'
            n, shown = resolve_code(doc, code.strip())
            if n is not None:
                out.append(
                    make_assertion(
                        n,
                        method=METHOD,
                        scope="object",
                        snippet=f"{snippet} → {shown}",
                        source_url=doc.url,
                        position=f"api:{local}@license",
                        policy=doc.policy,
                    )
                )
            else:
                a = build(
                    doc,
                    shown,
                    method=METHOD,
                    scope="object",
                    position=f"api:{local}@license",
                    snippet=snippet,
                )
                if a is not None:
                    out.append(a)
            continue
        if ns in FEED_NS and local.lower() == "license":
            out.extend(feed_license(doc, el, METHOD))
            continue
        if ns:
            continue  # namespaced vocabularies are read by `oai`
        k = _key(local)
        named = k in KEYS or is_rights_field(local)
        if named and len(el) == 0 and el.get("id") is None:
            scope = "metadata" if _METADATA_KEY.match(k) else "object"
            snippet = etree.tostring(el, encoding="unicode", with_tail=False)[:300]
            # `<license url="…"/>`: the terms may sit in an attribute, not the text
            value = (el.text or "").strip() or next(
                (str(v) for a, v in el.attrib.items() if _key(str(a)) in _LINK_ATTRS), ""
            )
            walker = _JsonWalker(doc)
            walker.emit(value, local, local, scope, KEYS.get(k, True), snippet, out)
    return out


_LINK_ATTRS = {"url", "href", "uri", "resource", "link"}


def settle_versions(doc: Document, found: list[Assertion]) -> list[Assertion]:
    """A versionless name ("CC BY") beside exactly one versioned id of the same family
    ("CC-BY-4.0") in the same record names that version: the record says it twice, once in
    full. The assertion keeps its raw value and snippet; only its id is completed."""
    from rules.classify import make_assertion
    from rules.model import MatchKind, Normalized

    versions: dict[str, set[str]] = {}
    for a in found:
        m = _VERSIONED.match(a.license or "")
        if m:
            versions.setdefault(m.group("family"), set()).add(a.license or "")
    out = []
    for a in found:
        full = versions.get(a.license or "")
        if full is not None and len(full) == 1:
            (license_id,) = full
            a = make_assertion(
                Normalized(license_id, a.jurisdiction, cast(MatchKind, a.match), a.raw),
                method=a.method,
                scope=a.scope,
                snippet=a.snippet,
                source_url=a.source_url,
                position=a.position,
                policy=doc.policy,
            )
        out.append(a)
    return out


def extract(doc: Document, url: str) -> list[Assertion]:
    out: list[Assertion] = []
    if doc.kind == "json" and doc.data is not None and not is_schema_jsonld(doc.data):
        w = _JsonWalker(doc)
        w.walk(doc.data, "", "object")
        out.extend(w.out)
    for part in doc.parts:
        if isinstance(part, etree._Element):
            out.extend(_xml_fields(doc, part))
        else:
            w = _JsonWalker(doc)
            w.walk(part, "", "object")
            out.extend(w.out)
    if doc.kind in ("xml", "oai") and doc.xml is not None:
        out.extend(_xml_fields(doc, doc.xml))
    return settle_versions(doc, out)
