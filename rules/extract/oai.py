"""`oai`: rights in OAI-PMH and library/museum record formats (XML, parsed without entities).

- oai_dc / Dublin Core: `dc:rights`, `dcterms:rights|license|accessRights` (text or
  `rdf:resource`);
- EDM (Europeana): `edm:rights` on `ore:Aggregation` and `edm:WebResource` (the position says
  which), `dc:rights` on the provided object, `cc:license`, `odrl:inheritFrom`;
- MODS: `accessCondition` (`xlink:href` first; `type="restriction on access"` is about access
  and only read when recognised);
- LIDO: `rightsResource` (the digital image) and `rightsWorkWrap` (the work) → object,
  `recordRights` → metadata;
- METS: `rightsMD` declarations, and the DFG-Viewer `dv:rights/dv:license` code (`pdm`, `cc0`,
  `cc-by-sa` …) that German METS carries there;
- MARCXML: field 540 (Terms Governing Use and Reproduction) `$a` text and `$u` URI;
- EAD finding aids (2002, EAD3 or no namespace): `userestrict` (Conditions Governing Use), its
  heading left out; `accessrestrict` is about access and is not read.
Everything under an OAI-PMH `<about>` or `<header>` describes the record: scope `metadata`.
Harvested records often use conventional prefixes (`edm:`, `dcterms:`, `xlink:`) without
declaring them; those names are read as their usual namespaces.

A list response (ListRecords, or any envelope holding several OAI `record`s) is still one
document and one PageResult. Each record describes its own object, so its rights stay at scope
`object` and its position names the record (`record[oai:…]/aggregation`): nothing is merged or
dropped, and a report can split the list per record. The page verdict follows the engine's one
rule: records that all agree give that verdict; open and not-open records together give
`conflict`, which for a list page means "records differ" (the positions say which) rather than
"one object, two answers". A crawler that wants per-object verdicts follows each record's
identifier to its GetRecord, which is one object.
"""

from __future__ import annotations

import re

from lxml import etree

from rules.extract._common import build
from rules.extract.document import Document
from rules.model import Assertion

METHOD = "oai"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XLINK = "http://www.w3.org/1999/xlink"
NS_DC = ("http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/")
NS_EDM = "http://www.europeana.eu/schemas/edm/"
NS_CC = ("http://creativecommons.org/ns#",)
NS_ODRL = ("http://www.w3.org/ns/odrl/2/",)
NS_MODS = "http://www.loc.gov/mods/"
NS_LIDO = "lido-schema.org"
NS_MARC = "http://www.loc.gov/MARC21/slim"
NS_METS = ("http://www.loc.gov/METS/", "http://cosimo.stanford.edu/sdr/metsrights/")
NS_DFG_VIEWER = "http://dfg-viewer.de/"
NS_EAD = ("urn:isbn:1-931666-22-9", "http://ead3.archivists.org/schema/", "")
NS_OAI = "http://www.openarchives.org/OAI/2.0/"
_POSITIONS = {
    "aggregation": "aggregation",
    "webresource": "web-resource",
    "providedcho": "record",
    "proxy": "record",
    "dc": "record",
    "description": "record",
}


#: Conventional prefixes, for harvested records that use them without declaring them
#: (`<edm:rights>` with no `xmlns:edm`): the parser keeps such a name whole.
CONVENTIONAL_PREFIXES = {
    "dc": NS_DC[0],
    "dcterms": NS_DC[1],
    "dct": NS_DC[1],
    "edm": NS_EDM,
    "cc": NS_CC[0],
    "odrl": NS_ODRL[0],
    "mods": NS_MODS + "v3",
    "lido": "http://www.lido-schema.org",
    "marc": NS_MARC,
    "mets": NS_METS[0],
    "rdf": RDF,
}


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    prefix, sep, local = tag.partition(":")
    if sep and prefix.lower() in CONVENTIONAL_PREFIXES:
        return CONVENTIONAL_PREFIXES[prefix.lower()], local
    return "", tag


def _known(ns: str) -> bool:
    return (
        ns in CONVENTIONAL_PREFIXES.values()
        or ns in NS_DC
        or ns.startswith(NS_MODS)
        or NS_LIDO in ns
        or ns in NS_METS
        or ns in (NS_DFG_VIEWER, NS_OAI)
    )


def _name(el: etree._Element) -> tuple[str, str]:
    """(namespace, local name); a conventional prefix bound to a wrong namespace URI
    (`xmlns:edm="http://rs.org/"`, as some harvesters write) counts as its usual one."""
    ns, local = _split(el.tag)
    prefix = (el.prefix or "").lower()
    if ns and not _known(ns) and prefix in CONVENTIONAL_PREFIXES:
        return CONVENTIONAL_PREFIXES[prefix], local
    return ns, local


def _context(el: etree._Element) -> tuple[str, str]:
    """(scope, position) from the record structure around `el`."""
    node = el.getparent()
    position = "record"
    first = True
    while node is not None:
        ns, local = _split(node.tag) if isinstance(node.tag, str) else ("", "")
        low = local.lower()
        if low in ("about", "header") and "openarchives.org/OAI" in ns:
            return ("metadata", f"oai-{low}")
        if low == "recordrights" or low == "recordwrap":
            return ("metadata", "lido-record")
        if low == "rightsresource" or low == "resourcewrap":
            return ("object", "lido-resource")
        if low == "rightsworkwrap":
            return ("object", "lido-work")
        if first and low in _POSITIONS:
            position = _POSITIONS[low]
            first = False
        node = node.getparent()
    return ("object", position)


def _prose(el: etree._Element) -> str:
    """Text of a prose rights element without its `<head>` ("Conditions Governing Use")."""
    parts = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if _split(tag)[1].lower() != "head":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _value(el: etree._Element) -> str:
    """The URI an element points at, else its text. Harvested records often use a prefix they
    never declare (`xlink:href` without `xmlns:xlink`): such an attribute keeps its prefixed
    name, and counts the same."""
    for attr in (f"{{{RDF}}}resource", f"{{{XLINK}}}href", "resource", "href"):
        if el.get(attr):
            return el.get(attr) or ""
    for name, value in el.attrib.items():
        if re.split(r"[}:]", str(name))[-1] in ("href", "resource") and value.strip():
            return str(value)
    return "".join(el.itertext())


def _is_rights(el: etree._Element) -> tuple[bool, bool] | None:
    """(license slot?, text) when `el` is a rights element this module reads, else None."""
    ns, local = _name(el)
    low = local.lower()
    if ns in NS_DC and low in ("rights", "license"):
        return (True, False)
    if ns in NS_DC and low == "accessrights":
        return (False, False)
    if ns == NS_EDM and low == "rights":
        return (True, False)
    if ns in NS_CC and low == "license":
        return (True, False)
    if ns in NS_ODRL and low == "inheritfrom":
        return (True, False)
    if ns.startswith(NS_MODS) and low == "accesscondition":
        typ = (el.get("type") or "").lower()
        return (not typ.startswith("restriction"), False)
    if NS_LIDO in ns and low in ("conceptid", "term") and _lido_rights(el):
        return (True, False)
    if NS_LIDO in ns and low == "creditline" and _lido_rights(el):
        return (False, True)
    if ns in NS_METS and low in ("rightsdeclaration", "license"):
        return (True, False)
    if ns == NS_DFG_VIEWER and low == "license":
        return (True, False)
    if ns in NS_EAD and low == "userestrict":
        return (True, True)
    if ns == NS_MARC and low == "subfield" and el.get("code") in ("a", "u"):
        parent = el.getparent()
        if parent is not None and parent.get("tag") == "540":  # Terms Governing Use
            return (True, False)
    return None


def _lido_rights(el: etree._Element) -> bool:
    node = el.getparent()
    while node is not None:
        _ns, local = _split(node.tag) if isinstance(node.tag, str) else ("", "")
        if local.lower() in ("rightstype", "rightsworkset", "recordrights", "rightsresource"):
            return True
        node = node.getparent()
    return False


def roots(doc: Document) -> list[etree._Element]:
    out = [doc.xml] if doc.xml is not None else []
    out += [p for p in doc.parts if isinstance(p, etree._Element)]
    return out


def _record_ids(root: etree._Element) -> dict[etree._Element, str]:
    """OAI `record` elements → their header identifier, when the envelope holds several."""
    records = [
        el
        for el in root.iter(f"{{{NS_OAI}}}record")
        if el.find(f"{{{NS_OAI}}}metadata") is not None
    ]
    if len(records) < 2:
        return {}
    ids = {}
    for n, rec in enumerate(records, 1):
        ident = rec.findtext(f"{{{NS_OAI}}}header/{{{NS_OAI}}}identifier") or f"#{n}"
        ids[rec] = " ".join(ident.split())[:120]
    return ids


def _record_of(el: etree._Element, ids: dict[etree._Element, str]) -> str | None:
    node = el.getparent()
    while node is not None:
        if node in ids:
            return ids[node]
        node = node.getparent()
    return None


def extract(doc: Document, url: str) -> list[Assertion]:
    out: list[Assertion] = []
    for root in roots(doc):
        ids = _record_ids(root)
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            kind = _is_rights(el)
            if kind is None:
                continue
            slot, prose = kind
            scope, position = _context(el)
            record = _record_of(el, ids) if ids else None
            if record is not None:
                position = f"record[{record}]/{position}"
            snippet = etree.tostring(el, encoding="unicode", with_tail=False)[:300]
            a = build(
                doc,
                _prose(el) if prose and _split(el.tag)[1].lower() == "userestrict" else _value(el),
                method=METHOD,
                scope=scope,
                position=position,
                snippet=snippet,
                slot=slot,
            )
            if a is not None:
                out.append(a)
    return out
