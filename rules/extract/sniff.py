"""Byte- and text-level sniffing: saved HTTP responses, binary bodies, encodings and the kind
of a document (HTML, JSON, IIIF, XML, YAML), before anything is parsed.
"""

from __future__ import annotations

import re
from typing import Any

_HTTP_STATUS_RE = re.compile(rb"^HTTP/\d(?:\.\d)? \d{3}[^\r\n]*\r?\n")
_BINARY_CONTROL = bytes([*range(0, 9), 11, 12, *range(14, 32)])
_FIRST_TAG_RE = re.compile(r"<([A-Za-z][\w:.-]*)")
#: Element names that start an HTML document or fragment (anything else is read as XML).
HTML_TAGS = frozenset(
    "html head body div span p a h1 h2 h3 h4 h5 h6 table tr td th ul ol li dl "  # noqa: SIM905
    "section article main header footer nav aside figure img meta link title script "
    "style form pre br hr b i em strong center font blockquote noscript template "
    "iframe picture video audio ".split()
)


def split_http_response(body: bytes) -> tuple[dict[str, list[str]], bytes] | None:
    """A saved raw HTTP response (status line + headers + blank line + body), or None."""
    if not body.startswith(b"HTTP/") or not _HTTP_STATUS_RE.match(body[:200]):
        return None
    head, sep, rest = body.partition(b"\r\n\r\n")
    alt_head, alt_sep, alt_rest = body.partition(b"\n\n")
    if not sep or (alt_sep and len(alt_head) < len(head)):
        head, rest = alt_head, alt_rest
    headers: dict[str, list[str]] = {}
    for line in head.decode("latin-1").splitlines()[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    return headers, rest


def looks_binary(body: bytes) -> bool:
    """True for bytes that are not text in any encoding we decode (images, archives, PDFs)."""
    sample = body[:4096]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False
    nuls = sample.count(0)
    if nuls > len(sample) * 0.01:
        # UTF-16 without BOM has a NUL in every other byte; many NULs otherwise mean binary.
        even, odd = sample[0::2], sample[1::2]
        return not (even.count(0) > len(even) * 0.4 or odd.count(0) > len(odd) * 0.4)
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROL))
    return controls > len(sample) * 0.05


def guess_encoding(body: bytes) -> str:
    """No BOM, header or meta charset: UTF-8 when it decodes, else Windows-1252."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff(text: str, ctype: str) -> str:
    """Kind from the content type and the first characters: json | xml | yaml | html | other."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    lower_ct = ctype.lower()
    low = head[:2048].lower()
    if head.startswith(("{", "[")):
        return "json"
    if "json" in lower_ct and not head.startswith("<"):
        return "json"
    if head.startswith("<"):
        if "<html" in low or "<!doctype html" in low or "xhtml" in lower_ct:
            return "html"
        if "xml" in lower_ct or head.startswith("<?xml") or "<rdf:rdf" in low:
            return "xml"
        if "html" in lower_ct:
            return "html"
        first = _FIRST_TAG_RE.search(head)
        if first and first.group(1).lower() not in HTML_TAGS and "<body" not in low:
            return "xml"
        return "html"
    if "html" in lower_ct:
        return "html"
    if re.match(r"(?:---\s*\n)?[\w-]+:\s*(?:\n|\S)", head) and "yaml" in (lower_ct or "yaml"):
        return "yaml"
    if "xml" in lower_ct:
        return "xml"
    return "html" if not lower_ct or "text" in lower_ct else "other"


def is_iiif(data: Any) -> bool:
    if not isinstance(data, dict):
        return False
    ctx = data.get("@context")
    ctxs = ctx if isinstance(ctx, list) else [ctx]
    if any(isinstance(c, str) and "iiif.io/api/" in c for c in ctxs):
        return True
    typ = str(data.get("@type") or data.get("type") or "")
    return typ in {"sc:Manifest", "sc:Collection", "Manifest", "Collection"} and (
        "sequences" in data or "items" in data or "canvases" in data
    )
