"""Decode and parse a fetched document once, so every extractor reads the same tree.

`load_document` sniffs the kind (HTML/XHTML, IIIF JSON, other JSON, OAI-PMH/EDM/MODS/LIDO XML,
plain XML, YAML cassettes wrapping API bodies, raw saved HTTP responses), decodes the bytes once
with w3lib's detection (BOM, HTTP charset, `<meta charset>`, then a guess), and parses once. XML is
parsed with entity resolution, DTD loading and network access off: fetched bytes are hostile.
Parse problems become `ExtractionError`s on the document; they never raise.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import lxml.etree as etree
from w3lib.encoding import html_to_unicode

from rules.extract.sniff import (
    guess_encoding,
    is_iiif,
    looks_binary,
    sniff,
    split_http_response,
)
from rules.model import ExtractionError

__all__ = [
    "Document",
    "is_iiif",
    "load_document",
    "load_json",
    "looks_binary",
    "parse_xml",
    "split_http_response",
]

MAX_JSON_DEPTH = 400
HTML_DEPTH_LIMIT = 2048  # libxml2's limit with XML_PARSE_HUGE
# Generic containers that can be dropped when a page nests deeper than libxml2 allows; the
# landmarks and the elements that carry signals are kept.
_FLATTEN_RE = re.compile(
    r"</?(?:div|span|section|table|tbody|thead|tr|td|th|ul|ol|li|dl|dt|dd|p|b|i|u|em|strong|"
    r"font|center|blockquote|small|big|label|form|fieldset)\b[^>]*>",
    re.IGNORECASE,
)


def _xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=True,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element | None:
    """Parse XML without resolving entities or fetching anything; None when nothing parses."""
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError:
        return None
    return root


@dataclass
class Document:
    """One decoded, parsed document and the context every extractor shares.

    Only one of `tree` (HTML), `data` (JSON) or `xml` (XML) is the main parse; YAML cassettes
    and similar wrappers put their embedded bodies in `parts` (parsed JSON values or XML roots).
    """

    url: str
    kind: str  # html | iiif | json | oai | xml | yaml | other
    text: str = ""
    headers: dict[str, list[str]] = field(default_factory=dict)
    tree: etree._Element | None = None
    data: Any = None
    xml: etree._Element | None = None
    parts: list[Any] = field(default_factory=list)
    base_url: str = ""
    policy: str = "survey"
    errors: list[ExtractionError] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)

    def error(self, method: str, message: str) -> None:
        self.errors.append(ExtractionError(method=method, message=message[:500]))

    def header(self, name: str) -> list[str]:
        return self.headers.get(name.lower(), [])


def _norm_headers(headers: Mapping[str, str | list[str]] | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in (headers or {}).items():
        k = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            sv = v.decode("latin-1") if isinstance(v, bytes) else str(v)
            out.setdefault(k.lower(), []).append(sv)
    return out


def _content_type_of(content_type: str | None, headers: dict[str, list[str]]) -> str:
    if content_type:
        return content_type
    values = headers.get("content-type")
    return values[0] if values else ""


def _json_depth_ok(text: str) -> bool:
    depth = 0
    maxd = 0
    in_str = False
    esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            maxd = max(maxd, depth)
            if maxd > MAX_JSON_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def load_json(text: str) -> Any:
    """json.loads with a nesting cap (deep JSON would exhaust the recursive walkers)."""
    if text.count("[") + text.count("{") > MAX_JSON_DEPTH and not _json_depth_ok(text):
        raise ValueError(f"JSON nests deeper than {MAX_JSON_DEPTH} levels")
    return json.loads(text)


_local = threading.local()


def _html_parser() -> etree.HTMLParser:
    """One reusable parser per thread (libxml2 parsers are not thread-safe; reuse is faster).
    A plain `etree.HTMLParser`, not `lxml.html`'s: that one calls a Python class lookup for
    every element the extractors touch (measured: ~3 % of all extraction time)."""
    parser = getattr(_local, "html_parser", None)
    if parser is None:
        parser = etree.HTMLParser(encoding="utf-8", huge_tree=True)
        _local.html_parser = parser
    return parser


def _document_fromstring(data: bytes, parser: etree.HTMLParser) -> Any:
    root = etree.fromstring(data, parser)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def text_content(el: Any) -> str:
    """All text inside `el` (what `lxml.html`'s `text_content()` returns)."""
    return "".join(el.itertext())


def _base_element(root: Any) -> Any:
    """`<head><base href>`, found among the head's children (cheaper than an ElementPath
    search, which this runs once per page)."""
    for head in root:
        if head.tag == "head":
            for el in head:
                if el.tag == "base" and el.get("href") is not None:
                    return el
            return None
    return None


def _parse_html(doc: Document) -> None:
    text = doc.text
    if not text.strip():
        return
    data = doc.cache.pop("utf8_body", None) or text.encode("utf-8", "surrogatepass")
    parser = _html_parser()
    try:
        root = _document_fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        doc.error("parse", f"HTML could not be parsed: {exc}")
        return
    log = parser.error_log
    fatal = log.filter_from_level(etree.ErrorLevels.FATAL) if len(log) else []
    if any("Excessive depth" in e.message for e in fatal):
        doc.error(
            "parse",
            f"markup nests deeper than {HTML_DEPTH_LIMIT} levels; generic containers were "
            "flattened to read the rest",
        )
        flat = _FLATTEN_RE.sub(" ", text).encode("utf-8", "surrogatepass")
        try:
            root = _document_fromstring(flat, etree.HTMLParser(encoding="utf-8", huge_tree=True))
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            doc.error("parse", f"HTML could not be parsed after flattening: {exc}")
    doc.tree = root
    base = _base_element(root)
    if base is not None:
        from urllib.parse import urljoin

        doc.base_url = urljoin(doc.url, (base.get("href") or "").strip())


def _parse_yaml(doc: Document) -> None:
    """YAML wrappers (VCR cassettes and the like): collect every embedded JSON/XML body.

    Aliases are refused: an alias "bomb" (a billion laughs in YAML) would make any walk over
    the loaded value exponential.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        for event in yaml.parse(doc.text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                doc.error("parse", "YAML aliases are not followed (possible alias bomb)")
                return
        data = yaml.load(doc.text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        doc.error("parse", f"YAML could not be parsed: {exc}")
        return
    doc.data = data
    for value in _strings(data, [0]):
        stripped = value.lstrip("\ufeff \t\r\n")
        if stripped.startswith("<"):
            root = parse_xml(stripped.encode("utf-8"))
            if root is not None:
                doc.parts.append(root)
        elif stripped.startswith(("{", "[")):
            try:
                doc.parts.append(load_json(stripped))
            except ValueError:
                continue


def _strings(value: Any, seen: list[int], depth: int = 0) -> list[str]:
    """Long strings inside a loaded YAML value (bounded in depth and in nodes visited)."""
    seen[0] += 1
    if depth > 50 or seen[0] > 200_000:
        return []
    if isinstance(value, str):
        return [value] if len(value) > 20 else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v, seen, depth + 1)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, seen, depth + 1)]
    return []


def load_document(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    headers: Mapping[str, str | list[str]] | None = None,
    policy: str = "survey",
) -> Document:
    """Decode and parse `body` once; problems are recorded on the returned document."""
    hdrs = _norm_headers(headers)
    raw = split_http_response(body)
    if raw is not None:
        saved_headers, body = raw
        for k, v in saved_headers.items():
            hdrs.setdefault(k, v)
    ctype = _content_type_of(content_type, hdrs)
    doc = Document(url=url, kind="other", headers=hdrs, base_url=url, policy=policy)
    if looks_binary(body):
        doc.error("parse", f"binary content ({len(body)} bytes) is not a text document")
        return doc
    encoding, text = html_to_unicode(ctype or None, body, auto_detect_fun=guess_encoding)
    if (
        "\ufffd" in text
        and encoding.replace("-", "").lower() == "utf8"
        and b"\xef\xbf\xbd" not in body
    ):
        # A wrong declared charset (Latin-1/cp1252 bytes labelled UTF-8): decode as cp1252.
        text = body.decode("cp1252", "replace").lstrip("\ufeff")
    elif encoding.replace("-", "").lower() == "utf8" and "\ufffd" not in text:
        doc.cache["utf8_body"] = body  # valid UTF-8 bytes: the parser can read them as they are
    doc.text = text
    kind = sniff(text, ctype)
    if kind == "json":
        try:
            doc.data = load_json(text.lstrip("\ufeff"))
        except ValueError as exc:
            doc.error("parse", f"JSON could not be parsed: {exc}")
            doc.kind = "json"
            return doc
        doc.kind = "iiif" if is_iiif(doc.data) else "json"
    elif kind == "xml":
        root = parse_xml(text.lstrip("\ufeff").encode("utf-8"))
        if root is None:
            doc.error("parse", "XML could not be parsed")
            doc.kind = "xml"
            return doc
        doc.xml = root
        ns = text[:8192] + " " + str(root.tag)
        oai_markers = (
            "openarchives.org/OAI",
            "europeana.eu/schemas/edm",
            "loc.gov/mods",
            "lido-schema.org",
            "loc.gov/METS",
            "purl.org/dc/elements",
            "loc.gov/MARC21",
        )
        doc.kind = "oai" if any(m in ns for m in oai_markers) else "xml"
    elif kind == "yaml":
        doc.kind = "yaml"
        _parse_yaml(doc)
    elif kind == "html":
        doc.kind = "html"
        _parse_html(doc)
    return doc
