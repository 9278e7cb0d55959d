"""`button-image`: license badges (`i.creativecommons.org/l/by/4.0/88x31.png`, licensebuttons.net,
CC press-kit icons, rightsstatements.org icons), also inside a rel=license anchor.

A badge is not a license slot: an `<img>` the rules engine does not recognise is just an image.
The license URL of an anchor wins over the icon it wraps (a US-port icon next to an Unported
href is common), but both are recorded; the badge keeps its own method.

Two more general shapes (measured on Wikimedia Commons and Flickr pages, written for any site):
- an image whose only link is the `<a href>` around it, pointing at a license (Flickr's CSS
  sprites: a blank GIF with `class="fs-cc_icon_attribution_small"` inside a link to the deed) is
  a badge of that license;
- CC element icons named in the file name or class (`Cc-by_new_white.svg`, `Cc-sa.svg`,
  `cc_icon_noncomm`, `PD-icon.svg`, `Cc-zero.svg`) side by side in one container form one badge:
  the family they spell (`CC-BY-SA`, never a version they do not show), CC0 or the Public
  Domain Mark.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

from rules.classify import make_assertion
from rules.extract._common import absolute, build, element_snippet, images, normalize, scope_of
from rules.extract.document import Document
from rules.model import Assertion, Normalized

METHOD = "button-image"
#: A broad, cheap gate before asking the rules engine: badge URLs name a license host or a
#: license-ish word. Anything else is an ordinary picture and is not normalised at all.
_BADGE_HINT = re.compile(
    r"creativecommons|licen|rightsstatement|88x31|80x15|cc[-_.0]|public|pd[-_.]|copyright|"
    r"/[lp]/|/by|/zero|/mark"
)


def _sources_of(el: Any) -> list[str]:
    """Every `src` and `data-src` (any namespace prefix) of one image."""
    src, lazy = el.get("src"), el.get("data-src")
    if src is None and lazy is None:  # rare: a prefixed attribute (`xlink:src`, `v:src`)
        return [
            value
            for key, value in el.attrib.items()
            if key.rsplit("}", 1)[-1].rsplit(":", 1)[-1] in ("src", "data-src")
        ]
    return [v for v in (src, lazy) if v is not None]


#: CC element icons by the words their file names and CSS classes use.
_ELEMENT_WORDS = {
    "by": "by",
    "attribution": "by",
    "sa": "sa",
    "sharealike": "sa",
    "nc": "nc",
    "noncomm": "nc",
    "noncommercial": "nc",
    "nd": "nd",
    "noderivs": "nd",
    "noderivatives": "nd",
    "zero": "zero",
    "cc0": "zero",
    "pd": "pd",
    "pdm": "pd",
    "publicdomain": "pd",
}
_LICENSE_HOST_HINT = re.compile(r"creativecommons|rightsstatements|licen|publicdomain|gnu\.org")
_ICON_SPLIT = re.compile(r"[-_.\s]+")


def _icon_elements(el: Any, src: str) -> frozenset[str]:
    """CC elements an icon names in its file name or its class (empty when it names none)."""
    name = src.rsplit("/", 1)[-1].lower()
    cls = (el.get("class") or "").lower()
    found: set[str] = set()
    for text in (name, cls):
        if "cc" not in text and "pd" not in text and "public" not in text:
            continue  # the cheap gate: most images name none of these
        words = _ICON_SPLIT.split(text)
        if (
            "cc" not in words
            and "pd" not in words
            and not any(w in ("cc0", "publicdomain", "pdm") for w in words)
        ):
            continue
        if "pd" in words and "icon" not in words and "mark" not in words:
            words = [w for w in words if w != "pd"]  # "pd" alone in a class is too vague
        found.update(_ELEMENT_WORDS[w] for w in words if w in _ELEMENT_WORDS)
    return frozenset(found)


_ORDER = ("by", "nc", "nd", "sa")


def _group_license(elements: frozenset[str]) -> str | None:
    """The license a group of element icons spells: a CC family, CC0 or the PD Mark."""
    from rules.catalog import get_catalog

    if elements == {"zero"}:
        return "CC0-1.0"
    if elements == {"pd"}:
        return "PDM-1.0"
    if "by" not in elements or elements - set(_ORDER):
        return None
    fid = "CC-" + "-".join(e.upper() for e in _ORDER if e in elements)
    entry = get_catalog().get(fid)
    return fid if entry is not None and entry.version is None else None


def _license_anchor(doc: Document, el: Any) -> str | None:
    """The license URL of the link an image sits in (at most two levels up), if any."""
    node = el.getparent()
    for _ in range(2):
        if node is None:
            return None
        tag = node.tag
        if tag == "a":
            href = node.get("href") or ""
            low = href.lower()
            if not (
                "creativecommons" in low
                or "rightsstatements" in low
                or "licen" in low
                or "publicdomain" in low
                or "gnu.org" in low
            ):
                return None
            href = absolute(doc, href)
            n = normalize(href, "url")
            return href if n is not None and n.license is not None else None
        if tag not in ("span", "picture", "figure", "b", "i", "em", "strong"):
            return None  # only inline wrappers between an icon and its link
        node = node.getparent()
    return None


def _element_groups(doc: Document, icons: list[tuple[Any, str, frozenset[str]]]) -> list[Assertion]:
    """Element icons side by side in one container, read as one badge."""
    groups: dict[Any, list[tuple[Any, str, frozenset[str]]]] = {}
    for el, src, elements in icons:
        groups.setdefault(el.getparent(), []).append((el, src, elements))
    out: list[Assertion] = []
    for members in groups.values():
        elements = frozenset().union(*(m[2] for m in members))
        license_id = _group_license(elements)
        if license_id is None:
            continue
        first = members[0][0]
        scope, position = scope_of(doc, first)
        raw = " ".join(absolute(doc, m[1]) for m in members)[:2000]
        out.append(
            make_assertion(
                Normalized(license=license_id, jurisdiction=None, match="canonicalised", raw=raw),
                method=METHOD,
                scope=scope,
                snippet=" ".join(element_snippet(m[0]) for m in members),
                source_url=doc.url,
                position=position,
                policy=doc.policy,
            )
        )
    return out


def _badge(doc: Document, el: Any, raw: str, kind: str) -> Assertion | None:
    scope, position = scope_of(doc, el)
    return build(
        doc,
        raw,
        method=METHOD,
        scope=scope,
        position=position,
        snippet=element_snippet(el),
        kind=kind,
        slot=False,
    )


#: One gate over every image's attribute values at once: a superset of the badge hint (its
#: character classes widened to the words they start with) and of the words an element icon
#: needs. An image it does not match can only be a badge through the link around it, so the rest
#: of the per-source work is skipped for it (results are unchanged). Plain substring searches:
#: a regex alternation costs a few microseconds per picture.
_GATE_WORDS = (
    "cc",
    "pd",
    "public",
    "licen",
    "creativecommons",
    "rightsstatement",
    "88x31",
    "80x15",
    "copyright",
    "/l/",
    "/p/",
    "/by",
    "/zero",
    "/mark",
)
_INLINE = frozenset(("span", "picture", "figure", "b", "i", "em", "strong"))


_ANCHOR_WORDS = ("creativecommons", "rightsstatements", "licen", "publicdomain", "gnu.org")


def _hits(parts: list[str], words: tuple[str, ...]) -> set[int]:
    """Indexes of the `parts` that hold one of `words` (lower-cased): one lower() and a few
    substring searches over all of them joined, instead of string tests per part."""
    if not parts:
        return set()
    blob = "\n".join(parts)
    low = blob.lower()
    if len(low) != len(blob):  # a character whose lower case is longer (rare): keep offsets
        parts = [part.lower() for part in parts]
        low = "\n".join(parts)
    found: list[int] = []
    for word in words:
        at = low.find(word)
        while at != -1:
            found.append(at)
            at = low.find(word, at + 1)
    if not found:
        return set()
    starts: list[int] = []
    pos = 0
    for part in parts:
        starts.append(pos)
        pos += len(part) + 1
    return {bisect_right(starts, at) - 1 for at in found}


def _prefilter(imgs: list[Any]) -> tuple[set[int], set[int]]:
    """(gated, linked): indexes of the images whose attribute values hold a gate word (a
    superset of those with a badge hint or an icon word in `src`, `data-src` or `class`), and
    of those inside a link whose href has a license word (a superset of `_license_anchor`)."""
    values: list[str] = []
    link_of: list[int] = []
    hrefs: list[str] = []
    for i, el in enumerate(imgs):
        values.append("\t".join(el.values()))
        node = el.getparent()
        if node is None:
            continue
        tag = node.tag
        if tag != "a":
            if tag not in _INLINE:
                continue
            node = node.getparent()
            if node is None or node.tag != "a":
                continue
        href = node.get("href")
        if href:
            link_of.append(i)
            hrefs.append(href)
    gated = _hits(values, _GATE_WORDS)
    linked = {link_of[j] for j in _hits(hrefs, _ANCHOR_WORDS)}
    return gated, linked


def _image(
    doc: Document,
    el: Any,
    sources: list[str],
    out: list[Assertion],
    icons: list[tuple[Any, str, frozenset[str]]],
) -> None:
    """Every source of one gated image: a badge, a badge through its link, or an element icon."""
    for src in sources:
        low = src.lower()
        if low.startswith("data:"):
            continue
        a: Assertion | None = None
        if _BADGE_HINT.search(low):
            src_abs = absolute(doc, src)
            if normalize(src_abs, "button") is not None:
                a = _badge(doc, el, src_abs, "button")
        if a is None:
            # a sprite, spacer or home-made icon inside a link to a license: that license
            href = _license_anchor(doc, el)
            if href is not None:
                a = _badge(doc, el, href, "url")
        if a is not None:
            out.append(a)
            continue
        if not ("cc" in low or "pd" in low or "public" in low):
            cls = el.get("class")
            if cls is None:
                continue  # the common case: an ordinary picture, no icon name anywhere
            cls = cls.lower()
            if not ("cc" in cls or "pd" in cls or "public" in cls):
                continue
        elements = _icon_elements(el, src)
        if elements:
            icons.append((el, src, elements))


def extract(doc: Document, url: str) -> list[Assertion]:
    if doc.tree is None:
        return []
    out: list[Assertion] = []
    icons: list[tuple[Any, str, frozenset[str]]] = []
    imgs = images(doc)
    if not imgs:
        return out
    gated, linked = _prefilter(imgs)
    for i, el in enumerate(imgs):
        if i in gated:
            _image(doc, el, _sources_of(el), out, icons)
            continue
        if i not in linked:
            continue  # no badge hint, no icon word, no license link: an ordinary picture
        href: str | None = None
        for value in _sources_of(el):
            if value.lower().startswith("data:"):
                continue
            if href is None:
                href = _license_anchor(doc, el)
                if href is None:
                    break
            a = _badge(doc, el, href, "url")
            if a is not None:
                out.append(a)
    if icons:
        out.extend(_element_groups(doc, icons))
    return out
