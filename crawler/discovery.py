"""Discovery policy: which links of a GLAM site are worth a request, and how urgent they are.

Pure functions over bytes and strings (issue 6): links found in a page, what kind each is
(object page, policy page, IIIF, other page). Sitemaps are read in `crawler/sitemaps.py`; the
spider only asks these and schedules the answer; the budget spread across sections is decided
in `crawler/budget.py`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

LinkKind = Literal["object", "policy", "iiif", "page", "asset"]

# Request priorities (higher is fetched first); the section penalty comes on top.
PRIORITY = {"revisit": 100, "seed": 90, "policy": 80, "iiif": 60, "object": 50, "page": 20}

# Links to files a license page is never in (images, media, archives, office documents).
ASSET_EXTENSIONS = frozenset(
    [
        "7z",
        "7zip",
        "bz2",
        "rar",
        "tar",
        "tar.gz",
        "zip",
        "gz",
        "xz",
        "dmg",
        "exe",
        "msi",
        "iso",
        "bin",
        "apk",
        "jar",
        "mng",
        "pct",
        "bmp",
        "gif",
        "jpg",
        "jpeg",
        "png",
        "pst",
        "psp",
        "tif",
        "tiff",
        "ai",
        "drw",
        "dxf",
        "eps",
        "ps",
        "svg",
        "cdr",
        "ico",
        "webp",
        "heic",
        "jp2",
        "avif",
        "mp3",
        "wma",
        "ogg",
        "wav",
        "ra",
        "aac",
        "mid",
        "au",
        "aiff",
        "flac",
        "3gp",
        "asf",
        "asx",
        "avi",
        "mov",
        "mp4",
        "mpg",
        "qt",
        "rm",
        "swf",
        "wmv",
        "m4a",
        "m4v",
        "flv",
        "webm",
        "mkv",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "pps",
        "doc",
        "docx",
        "odt",
        "ods",
        "odg",
        "odp",
        "css",
        "pdf",
        "epub",
        "woff",
        "woff2",
        "ttf",
        "otf",
        "eot",
        "js",
        "mjs",
        "map",
    ]
)

_OBJECT_PATH = re.compile(
    r"/(objects?|items?|records?|artworks?|works?|detail|details|ark:|handle|id|resource|"
    r"specimen|object-detail|obj|werk|objet|objekt|objeto|oggetto|esine|voorwerp)/[^/]",
    re.IGNORECASE,
)
_TRAILING_ID = re.compile(r"/[A-Za-z]{0,6}[-_.]?\d{2,}[-\w.]*/?$")

# Link text or URL words that point at a rights / reuse / terms page, in the rules engine's
# languages (en, nl, de, fr, es, it, pt, sv, da, no, fi, pl, ca, cs).
_POLICY_WORDS = re.compile(
    r"(rights|copyright|licen[cs]|open[ -]?access|open[ -]?data|re-?use|image[ -]?licen|"
    r"terms[ -]of[ -](use|service)|terms[ -]and[ -]conditions|conditions[ -]of[ -]use|"
    r"permissions?|public[ -]domain|"
    r"auteursrecht|rechten|hergebruik|gebruiksvoorwaarden|beeldrecht|"
    r"urheberrecht|nutzungsbedingungen|bildrechte|lizenz|rechtehinweis|nachnutzung|"
    r"droits|droit[ -]d[’']auteur|conditions[ -]d[’']utilisation|réutilisation|"
    r"derechos|aviso[ -]legal|condiciones[ -]de[ -]uso|reutilización|"
    r"diritti|diritto[ -]d[’']autore|condizioni[ -]d[’']uso|riuso|"
    r"direitos|termos[ -]de[ -]uso|"
    r"upphovsrätt|rättigheter|användarvillkor|ophavsret|rettigheder|opphavsrett|"
    r"tekijänoikeu|käyttöehdot|käyttöoikeu|prawa[ -]autorskie|licencj|"
    r"drets|autorská[ -]práva)",
    re.IGNORECASE,
)
_IIIF_URL = re.compile(r"(iiif|manifest)", re.IGNORECASE)

# schema.org / IIIF markers of a page that describes one collection item.
_OBJECT_TYPES = re.compile(
    rb"(itemtype=[\"']https?://schema\.org/|[\"']@type[\"']\s*:\s*[\"'](schema:)?|typeof=[\"']"
    rb"(schema:)?)(VisualArtwork|Painting|Sculpture|Photograph|CreativeWork|Book|Manuscript|"
    rb"Map|ArchiveComponent|Drawing|Artwork|Product|MusicRecording|Movie|Dataset|ImageObject)\b"
    rb"|iiif\.io/api/presentation",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundLink:
    url: str  # absolute, as written (not yet canonical)
    text: str = ""
    rel: str = ""
    tag: str = "a"
    type: str = ""


def page_links(body: bytes, base_url: str) -> list[FoundLink]:
    """Every followable link of an HTML page: anchors, areas, `<link rel=alternate>`,
    IIIF manifests named by `manifest=` parameters or IIIF logo links."""
    if not body.strip():
        return []
    try:
        doc = lxml.html.fromstring(body, base_url=base_url)
    except (lxml.etree.ParserError, ValueError):
        return []
    base = doc.base_url or base_url
    out: list[FoundLink] = []
    for el in doc.iter("a", "area", "link"):
        href = (el.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        text = " ".join(el.text_content().split())[:200] if el.tag != "link" else ""
        if el.tag == "a" and not text:
            img = el.find(".//img")
            if img is not None:
                text = " ".join([img.get("alt") or "", img.get("src") or ""]).strip()
        out.append(
            FoundLink(url, text, (el.get("rel") or "").lower(), str(el.tag), el.get("type") or "")
        )
        for key, value in parse_qsl(urlsplit(url).query):
            if key.lower() in ("manifest", "iiif-content", "iiif_manifest") and value:
                out.append(FoundLink(urljoin(base, unquote(value)), "", "", "manifest-param"))
    return out


def link_kind(link: FoundLink, object_patterns: Sequence[str] = ()) -> LinkKind:
    """What a link points at, judged from its URL shape, text, rel and type."""
    path = urlsplit(link.url).path.lower()
    ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if path.endswith(".tar.gz") or ext in ASSET_EXTENSIONS:
        return "asset"
    if (
        link.tag == "link"
        and link.rel
        and not ({"alternate", "license", "iiif"} & set(link.rel.split()))
    ):
        return "asset"  # stylesheets, icons, preconnects …
    if is_iiif_link(link):
        return "iiif"
    if _POLICY_WORDS.search(link.text) or _POLICY_WORDS.search(unquote(path)):
        return "policy"
    if "license" in link.rel.split():
        return "policy"
    if any(re.search(p, link.url) for p in object_patterns) or (
        not object_patterns and looks_like_object(link.url)
    ):
        return "object"
    return "page"


def is_iiif_link(link: FoundLink) -> bool:
    """A IIIF Presentation manifest or collection (not an Image API tile)."""
    if link.tag == "manifest-param":
        return True
    low_type = link.type.lower()
    if "iiif.io/api/presentation" in low_type:
        return True
    path = urlsplit(link.url).path.lower()
    if "/full/" in path and path.endswith((".jpg", ".png", ".webp")):
        return False  # Image API request
    if _IIIF_URL.search(path) and (path.endswith(".json") or "manifest" in path):
        return True
    return "iiif" in link.text.lower() and "manifest" in (link.url + link.text).lower()


def describes_object(body: bytes) -> bool:
    """The page itself says it describes one item: a schema.org creative-work type or a IIIF
    manifest link. Used to learn the URL shape of a site's object pages."""
    return bool(_OBJECT_TYPES.search(body[:500_000]))


def looks_like_object(url: str) -> bool:
    """A collection item page, judged from common GLAM URL shapes (/object/123, /item/…)."""
    parts = urlsplit(url)
    return bool(_OBJECT_PATH.search(parts.path) or _TRAILING_ID.search(parts.path))
