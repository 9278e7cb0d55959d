"""Names and prose -> catalog ids: license codes, titles, statements in many languages.

`match_name` reads a whole short value ("CC BY-SA 4.0", "In Copyright", "Publiek Domein");
`find_in_text` finds whole phrases in visible prose. Both are driven by catalog data: entry
spellings (CC identifiers and titles, rightsstatements.org labels in 14 languages, government
licence names), generic phrases (public domain, all rights reserved …) and the CC element words
per language, so that "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen
4.0 International" and "CC-BY-SA-4.0" meet the same id. Guards: whole phrases only, a negation
just before a statement cancels it, a bare "©" line yields ARR only when no license is beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from rules.catalog import get_catalog
from rules.model import MatchKind, Normalized
from rules.textpatterns import (
    cc_lookup,
    code_elements,
    elements_of,
    fold,
    get_patterns,
    versions_of,
)

# Cheap scans that find where the costly patterns can start (they then run on windows only).
# Each as (pattern for lower-cased text, pattern for text whose lower() changes its length).
# (a leading character set lets `re` skip ahead fast; the branch is told by the first char)
_CC_TRIGGER_RE = r"[c1-4](?:(?<=c)(?:c|reative)|(?<=[1-4])\.[015])"
_CC_TRIGGER = (re.compile(_CC_TRIGGER_RE), re.compile(_CC_TRIGGER_RE, re.IGNORECASE))
_COPY_TRIGGER = (
    re.compile(r"©|&copy;|\(c\)|copyright"),
    re.compile(r"©|&copy;|\(c\)|copyright", re.I),
)
_TOOL_WORD = re.compile(
    r"[ \t\u00a0-]+(?:dedication|certification|mark|licen[cs]e|tool)\b", re.IGNORECASE
)
_CLAUSE_END = re.compile(r"[.;!?\n]|\s-\s")
_COPYRIGHT = re.compile(
    r"(?:(?<![^\W\d_])(?:©|&copy;)|\(c\)(?=\s*(?:19|20)\d\d)"
    r"|(?<!\w)copyright(?=\s*(?:©\s*)?(?:19|20)\d\d))\s*(?:©\s*)?"
    r"(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d(?:\d\d)?)?|(?-i:(?=[A-ZÀ-Þ])))",
    re.IGNORECASE,
)


# (start, end, id, jurisdiction, match kind, is_family) of one pattern hit.
_Cand = tuple[int, int, str, str | None, MatchKind, bool]


@dataclass(frozen=True, slots=True)
class TextMatch:
    """One phrase found in visible text: what it means and where it sits."""

    normalized: Normalized
    start: int
    end: int
    phrase: str


def match_name(value: str) -> tuple[str, str | None, MatchKind] | None:
    """A whole short value naming one license: (id, jurisdiction, match kind) or None."""
    m = get_patterns()
    s = value.strip()
    if s in m.ids:
        return (s, None, "exact")
    f = fold(s)
    if not f:
        return None
    code = m.cc_code.fullmatch(s.strip(" .;"))
    if code and not code.group("more"):
        hit = cc_lookup(code_elements(code.group("elems")), code.group("ver"), code.group("jur"))
        if hit:
            return (hit[0], hit[1], "exact" if m.verbatim.get(s) == hit[0] else "canonicalised")
    if f in m.phrases:
        return (m.phrases[f], None, "heuristic")
    if f in m.names and m.verbatim.get(s) == m.names[f]:
        return (m.names[f], m.name_jur.get(f), "exact")
    for table in (m.lower_ids, m.codes):
        if f in table:
            return (table[f], None, "canonicalised")
    if m.cc_zero.fullmatch(s.strip(" .;")):
        return ("CC0-1.0", None, "canonicalised")
    if f in m.names:
        return (m.names[f], m.name_jur.get(f), "canonicalised")
    words = m.cc_words[1].fullmatch(s.strip(" .;"))
    if words and not words.group("more") and (words.group("cc") or words.group("ver")):
        elements = elements_of(words.group("elems"))
        if elements:
            hit = cc_lookup(elements, words.group("ver"))
            if hit:
                return (hit[0], hit[1], "canonicalised")
    return None


def _negated(text: str, start: int) -> bool:
    window = text[max(0, start - 60) : start]
    ends = [found.end() for found in _CLAUSE_END.finditer(window)]
    if ends:
        window = window[ends[-1] :]
    return bool(get_patterns().negation.search(window))


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _bounded(text: str, start: int, end: int, *, url_guard: bool = False) -> bool:
    """Whole words only; a capital after a small letter still starts a word ("domainPublic")."""
    if start > 0:
        before = text[start - 1]
        camel = before.islower() and text[start].isupper()
        if (_is_word(before) and not camel) or (url_guard and before in "/.#-"):
            return False
    if end < len(text):
        after = text[end]
        if _is_word(after) and not after.isupper():
            return False
        if after == "-" and end + 1 < len(text) and _is_word(text[end + 1]):
            return False
    return True


def _windows(
    trigger: re.Pattern[str], src: str, n: int, before: int, after: int
) -> list[tuple[int, int]]:
    """Merged spans around each trigger; a version number also opens the words before it."""
    spans = []
    for found in trigger.finditer(src):
        if found.group(0)[0].isdigit():  # a version number
            spans.append((max(0, found.start() - before), min(n, found.end() + 120)))
        elif found.start() and src[found.start() - 1].isalnum():
            continue  # "access", "success": not a word start
        else:
            spans.append((found.start(), min(n, found.end() + after)))
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _in_windows(
    regex: re.Pattern[str], src: str, windows: list[tuple[int, int]]
) -> Iterator[re.Match[str]]:
    for start, end in windows:
        yield from regex.finditer(src, start, end)


def _candidates(text: str) -> list[_Cand]:
    """(start, end, id, jurisdiction, match kind, is_family) for every pattern hit."""
    m = get_patterns()
    out: list[_Cand] = []
    low = text.lower()
    same = len(low) == len(text)  # lower() keeps offsets for almost every text
    src = low if same else text
    variant = 0 if same else 1
    windows = _windows(_CC_TRIGGER[variant], src, len(text), before=160, after=260)
    for found in _in_windows(m.cc_code, text, windows):
        elements = code_elements(found.group("elems"))
        versions = versions_of(found)
        if not versions:
            hit = cc_lookup(elements, None)
            if hit:
                out.append((found.start(), found.end("elems"), hit[0], None, "canonicalised", True))
            continue
        for i, (ver, vs, ve) in enumerate(versions):
            jur = found.group("jur") if len(versions) == 1 else None
            hit = cc_lookup(elements, ver, jur)
            if hit:
                end = found.end() if (hit[1] and jur) else ve
                out.append(
                    (found.start() if i == 0 else vs, end, hit[0], hit[1], "canonicalised", False)
                )
    for found in _in_windows(m.cc_zero, text, windows):
        out.append((found.start(), found.end(), "CC0-1.0", None, "canonicalised", False))
    for found in _in_windows(m.cc_words[variant], src, windows):
        if not _bounded(text, found.start(), found.end("elems"), url_guard=True):
            continue
        versions = versions_of(found)
        if not found.group("cc") and not versions:
            continue
        if not found.group("cc") and not m.regions_re.search(
            src, versions[0][2], versions[0][2] + 20
        ):
            continue
        found_elements = elements_of(found.group("elems"))
        if not found_elements or ("by" not in found_elements and not found.group("cc")):
            continue
        elements = found_elements
        if not versions:
            hit = cc_lookup(elements, None)
            if hit:
                out.append((found.start(), found.end("elems"), hit[0], None, "canonicalised", True))
            continue
        for i, (ver, vs, ve) in enumerate(versions):
            hit = cc_lookup(elements, ver)
            if hit:
                out.append(
                    (found.start() if i == 0 else vs, ve, hit[0], hit[1], "canonicalised", False)
                )
    for regex, source in ((m.text_ci[variant], src), (m.text_cs, text)):
        for found in regex.finditer(source):
            if not _bounded(text, found.start(), found.end()):
                continue
            f = fold(found.group(0))
            if f in m.phrases:
                if _TOOL_WORD.match(text, found.end()):
                    continue  # "Public Domain Dedication …" names a tool, not a status
                out.append((found.start(), found.end(), m.phrases[f], None, "heuristic", False))
            elif f in m.names:
                jur = m.name_jur.get(f)
                out.append((found.start(), found.end(), m.names[f], jur, "canonicalised", False))
    return out


def _drop_family_mentions(kept: list[_Cand]) -> list[_Cand]:
    catalog = get_catalog()
    entries = {c[2]: catalog.get(c[2]) for c in kept}
    versioned = {e.family for e in entries.values() if e is not None and e.version}
    return [
        c
        for c in kept
        if not ((e := entries[c[2]]) is not None and e.version is None and e.family in versioned)
    ]


def _public_domain_tool(license_id: str) -> bool:
    entry = get_catalog().get(license_id)
    if entry is None:
        return False
    return (
        entry.basis == "public-domain-statement"
        or entry.family in ("CC0", "RS")
        or (license_id in ("PDDL-1.0", "DL-DE-ZERO-2.0"))
    )


def _drop_glosses(text: str, kept: list[_Cand]) -> list[_Cand]:
    """A generic "public domain" right beside a named tool glosses it: "Public Domain (CC0)",
    "No Copyright - United States (public domain)". The named tool is the signal."""
    named = [c for c in kept if c[4] != "heuristic" and _public_domain_tool(c[2])]
    out = []
    for c in kept:
        if c[4] == "heuristic" and c[2] == "PDM-1.0":
            near = [
                n
                for n in named
                if (0 <= n[0] - c[1] <= 12 or 0 <= c[0] - n[1] <= 12)
                and not _CLAUSE_END.search(text, min(c[1], n[1]), max(c[0], n[0]))
            ]
            if near:
                continue
        out.append(c)
    return out


def find_in_text(text: str) -> list[TextMatch]:
    """Whole license phrases in visible prose, in order, without overlaps or negated statements."""
    if not text:
        return []
    cands = _candidates(text)
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c[0] < last_end:
            continue
        if _negated(text, c[0]):
            continue
        kept.append(c)
        last_end = c[1]
    # A version-less mention ("CC BY-SA", "GFDL") beside a versioned one of its family adds nothing.
    kept = _drop_glosses(text, _drop_family_mentions(kept))
    licensed = [c for c in kept if c[2] != "ARR"]
    arr_phrases = [c for c in kept if c[2] == "ARR"]
    low = text.lower()
    same = len(low) == len(text)
    src, trigger = (low, _COPY_TRIGGER[0]) if same else (text, _COPY_TRIGGER[1])
    for found in _in_windows(_COPYRIGHT, text, _windows(trigger, src, len(text), 0, 60)):
        s, e = found.start(), found.start() + len(found.group(0).rstrip())
        if any(s <= c[0] < e or c[0] <= s < c[1] for c in kept):
            continue
        para_start = text.rfind("\n\n", 0, s) + 1
        para_end = text.find("\n\n", e)
        para_end = len(text) if para_end < 0 else para_end
        near = [c for c in licensed if para_start <= c[0] < para_end and abs(c[0] - s) <= 200]
        if near or any(0 <= c[0] - e <= 150 for c in arr_phrases):
            continue
        kept.append((s, e, "ARR", None, "heuristic", False))
    kept.sort(key=lambda c: c[0])
    return [
        TextMatch(
            Normalized(license=c[2], jurisdiction=c[3], match=c[4], raw=text[c[0] : c[1]]),
            c[0],
            c[1],
            text[c[0] : c[1]],
        )
        for c in kept
    ]
