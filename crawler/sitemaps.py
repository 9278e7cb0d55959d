"""robots.txt `Sitemap:` lines and sitemaps (index, urlset, gzip, plain text): pure readers.

XML is parsed with entities and network off; a gzip body is inflated up to a size cap so that
a decompression bomb is an error, not an outage (DESIGN.md §6).
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin

import lxml.etree
from protego import Protego


def robots_sitemaps(body: bytes | str, robots_url: str) -> list[str]:
    """Absolute URLs of the `Sitemap:` lines of a robots.txt (parsed with Protego)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return [urljoin(robots_url, s) for s in Protego.parse(text).sitemaps]


@dataclass(frozen=True)
class SitemapResult:
    kind: Literal["index", "urlset", "text", "invalid"]
    urls: tuple[str, ...]
    error: str | None = None


class SitemapTooLarge(ValueError):
    pass


def maybe_gunzip(body: bytes, max_size: int) -> bytes:
    """Decompress a gzip body (sitemap.xml.gz), refusing more than `max_size` bytes."""
    if body[:2] != b"\x1f\x8b":
        return body
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
            while chunk := f.read(64 * 1024):
                out.write(chunk)
                if out.tell() > max_size:
                    raise SitemapTooLarge(f"gunzipped sitemap exceeds {max_size} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        if not out.tell():
            raise SitemapTooLarge(f"broken gzip: {exc}") from exc
    return out.getvalue()


def parse_sitemap(body: bytes, url: str, max_size: int = 50 * 1024 * 1024) -> SitemapResult:
    """A sitemap index, an urlset or a plain-text sitemap (one URL per line); gzip or not."""
    try:
        data = maybe_gunzip(body, max_size)
    except SitemapTooLarge as exc:
        return SitemapResult("invalid", (), str(exc))
    head = data.lstrip()[:200].lower()
    if head.startswith(b"<") or b"<urlset" in head or b"<sitemapindex" in head:
        return _parse_xml_sitemap(data, url)
    urls = []
    for line in data.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line.startswith(("http://", "https://")) and " " not in line:
            urls.append(line)
    if not urls:
        return SitemapResult("invalid", (), "neither XML nor a text sitemap")
    return SitemapResult("text", tuple(urls))


def _parse_xml_sitemap(data: bytes, url: str) -> SitemapResult:
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, recover=True, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        return SitemapResult("invalid", (), f"XML error: {exc}")
    if root is None:
        return SitemapResult("invalid", (), "empty XML document")
    tag = lxml.etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        return SitemapResult("invalid", (), f"root element <{tag}> is not a sitemap")
    locs = []
    for el in root.iter():
        if isinstance(el.tag, str) and lxml.etree.QName(el).localname == "loc" and el.text:
            locs.append(urljoin(url, el.text.strip()))
    return SitemapResult("index" if tag == "sitemapindex" else "urlset", tuple(locs))
