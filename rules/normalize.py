"""Raw license signals (URLs, badge images, metadata values, prose) -> catalog ids.

Normalisation is a lookup in catalog data, never a guess: a URL on a license host that names
no known tool keeps `license=None` with its raw value. Each result says how it matched:
`exact` (a canonical form from the catalog), `canonicalised` (a variant folded to one),
`heuristic` (prose or a loose name).
"""

from __future__ import annotations

import re
from functools import lru_cache

from rules import urlkey
from rules.catalog import get_catalog
from rules.model import MatchKind, Normalized
from rules.textmatch import TextMatch, find_in_text, match_name

__all__ = ["TextMatch", "find_in_text", "normalize_button", "normalize_url", "normalize_value"]

_BUTTON_SIZE = re.compile(r"^\d+x\d+(?:[-_][a-z]+)?\.(?:png|gif|svg|jpe?g|webp)$")
_PRESSKIT = {"cc-zero": "CC0-1.0", "cc0": "CC0-1.0", "public-domain-mark": "PDM-1.0"}
_BUTTON_HOSTS = frozenset(
    {"licensebuttons.net", "i.creativecommons.org", "mirrors.creativecommons.org"}
)
_URLISH = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//|^\s*www\.", re.IGNORECASE)


_CC_NO_LICENSES = re.compile(
    r"^(\s*(?:https?:)?//(?:www\.)?creativecommons\.org)/(by(?:-nc)?(?:-sa|-nd)?/\d)", re.IGNORECASE
)


def _none(raw: str) -> Normalized:
    return Normalized(license=None, jurisdiction=None, match="none", raw=raw)


def normalize_url(raw: str) -> Normalized | None:
    """A license URL in any of its wild forms; None when not on a license host at all."""
    parsed = urlkey.parse(raw)
    if parsed is None:
        return None
    index = urlkey.get_index()
    k = urlkey.key_of(parsed)
    hit = index.lookup(k)
    if hit is None and _CC_NO_LICENSES.match(raw):
        # "creativecommons.org/by-nc-sa/4.0/" (no "/licenses/"), as some museum exports write it
        fixed = normalize_url(_CC_NO_LICENSES.sub(r"\g<1>/licenses/\g<2>", raw, count=1))
        if fixed is not None and fixed.license is not None:
            return Normalized(fixed.license, fixed.jurisdiction, "canonicalised", raw)
    if hit is None:
        if parsed.host in _BUTTON_HOSTS:
            return normalize_button(raw)  # a badge image given where a URL was expected
        return _none(raw) if index.on_license_host(k) else None
    match: MatchKind = (
        "exact"
        if urlkey.clean(raw) in index.exact and raw.strip() == urlkey.clean(raw)
        else "canonicalised"
    )
    return Normalized(license=hit[0], jurisdiction=hit[1], match=match, raw=raw)


def _family_from_descriptor(suite: str, descriptor: str) -> str | None:
    if descriptor in _PRESSKIT:
        return _PRESSKIT[descriptor]
    if suite == "l" or suite == "buttons":
        fid = "CC-" + descriptor.upper()
        entry = get_catalog().get(fid)
        return fid if entry is not None and entry.version is None else None
    return None


def normalize_button(src: str) -> Normalized | None:
    """A license badge image URL (CC buttons on any mirror, rightsstatements.org buttons)."""
    parsed = urlkey.parse(src)
    if parsed is None:
        return None
    host, segs = parsed.host, list(parsed.segments)
    index = urlkey.get_index()
    license_id: str | None = None
    jur: str | None = None
    if host in ("licensebuttons.net", "i.creativecommons.org"):
        if segs and _BUTTON_SIZE.match(segs[-1]):
            segs.pop()
        if len(segs) >= 3 and segs[0] == "i":  # coloured generator: family only, never a version
            license_id = _family_from_descriptor(segs[1], segs[2])
        elif len(segs) >= 2 and segs[0] in ("l", "p"):
            category = "licenses" if segs[0] == "l" else "publicdomain"
            if segs[1] == "zero":
                category = "publicdomain"
            hit = index.lookup(
                urlkey.key_of(urlkey.Parsed("creativecommons.org", (category, *segs[1:])))
            )
            if hit:
                license_id, jur = hit
    elif host == "mirrors.creativecommons.org":
        # presskit/buttons/88x31/{png|svg}/{descriptor}.{png|svg}: family only.
        if len(segs) >= 5 and segs[:2] == ["presskit", "buttons"]:
            license_id = _family_from_descriptor("buttons", segs[-1].rsplit(".", 1)[0])
    elif host in urlkey.RS_HOSTS:
        # files/buttons/{ID}.{variant}.{svg|png}: one button per statement.
        if len(segs) == 3 and segs[:2] == ["files", "buttons"]:
            code = segs[2].split(".", 1)[0]
            hit = index.lookup(f"rightsstatements.org/vocab/{code}/1.0")
            if hit:
                license_id = hit[0]
    else:
        return None
    if license_id is None:
        return _none(src)
    return Normalized(license=license_id, jurisdiction=jur, match="canonicalised", raw=src)


def _looks_like_url(raw: str) -> bool:
    s = urlkey.clean(raw)
    if _URLISH.match(s):
        return True
    return " " not in s and "/" in s and urlkey.parse(s) is not None and "." in s.split("/", 1)[0]


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SLUG_SPLIT = re.compile(r"[_\-.+%20]+")


def _slug(raw: str) -> Normalized | None:
    """A rights URL off the license hosts whose last path words state the rights
    (".../Copyright_AllRightsReserved", ".../public-domain"): heuristic, generic statements only."""
    path = raw.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[1].lower() in ("html", "htm", "php", "aspx", "jsp"):
        last = last.rsplit(".", 1)[0]
    words = " ".join(_SLUG_SPLIT.split(_CAMEL.sub(" ", last)))
    found = [m for m in find_in_text(words) if m.normalized.match == "heuristic"]
    ids = {m.normalized.license for m in found}
    if len(ids) != 1:
        return None
    return Normalized(license=ids.pop(), jurisdiction=None, match="heuristic", raw=raw)


@lru_cache(maxsize=4096)
def _value(raw: str) -> Normalized | None:
    s = raw.strip()
    if not s:
        return None
    if _looks_like_url(s):
        return normalize_url(raw) or _slug(raw)
    hit = match_name(s)
    if hit is not None:
        license_id, jur, match = hit
        return Normalized(license=license_id, jurisdiction=jur, match=match, raw=raw)
    found = find_in_text(s)
    ids = {(m.normalized.license, m.normalized.jurisdiction) for m in found}
    if len(ids) == 1:
        only_id, only_jur = ids.pop()
        # names of the tool only ("… 4.0 International License (CC BY 4.0)"): canonicalised
        named = all(m.normalized.match != "heuristic" for m in found)
        kind: MatchKind = "canonicalised" if named else "heuristic"
        return Normalized(license=only_id, jurisdiction=only_jur, match=kind, raw=raw)
    return None


def normalize_value(raw: str) -> Normalized | None:
    """A metadata field value: a license URL, code or short name ("CC BY 4.0", "In Copyright")."""
    if len(raw) > 2000:
        raw = raw[:2000]
    return _value(raw)
