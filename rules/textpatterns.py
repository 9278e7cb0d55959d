"""Compiled phrase patterns for the text matcher, built once from the catalog data.

Phrases (entry spellings, generic statements, CC element words per language) are compiled into
character tries, so that thousands of spellings cost about as much as a few when text is
scanned; `fold` is the one case/separator-insensitive form both sides are compared in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rules.catalog import get_catalog

SEP_CHARS = "\\s\\-–—‐‑/:,_"
FOLD_SEP = re.compile(f"[{SEP_CHARS}]+")
VER = r"[1-4](?:\.[015])?"
CC_TITLE = re.compile(r"\S\s+[1-4]\.[015]\s+\S")

Trie = dict[str, "Trie"]


def fold(text: str) -> str:
    """Case, dash, quote and separator insensitive form of a name."""
    s = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").casefold()
    return FOLD_SEP.sub(" ", s).strip(" .;")


def alternation(phrases: list[str], *, ignore_case: bool = True) -> str:
    """One regex for many phrases, as a character trie (shared prefixes are tried once, the
    longest phrase wins); separators in a phrase match any run of spaces/dashes/slashes."""
    trie: Trie = {}
    for phrase in phrases:
        flat = FOLD_SEP.sub(" ", unicodedata.normalize("NFKC", phrase).replace("’", "'")).strip()
        node = trie
        for ch in flat.lower() if ignore_case else flat:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: Trie) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            # `\W+` is cheap to compile; a run that also spans other punctuation is rejected
            # afterwards because its folded form is not a known phrase
            piece = r"\W+" if ch == " " else ("['’]" if ch == "'" else re.escape(ch))
            alts.append(piece + emit(node[ch]))
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        return "(?:" + "|".join(alts) + ")" + ("?" if "" in node else "")

    return emit(trie)


class Patterns:
    """Indexes built once from the catalog."""

    def __init__(self) -> None:
        from rules import urlkey

        catalog = get_catalog()
        self.index = urlkey.get_index()
        self.ids = {e.id: e.id for e in catalog}
        self.lower_ids = {fold(i): i for i in catalog.ids()}
        self.codes = {fold(k): v for k, v in catalog.codes.items()}
        names: dict[str, set[str]] = {}
        self.verbatim: dict[str, str] = {}
        text_ci: list[str] = []
        text_cs: list[str] = []
        port_jurs: dict[str, set[str | None]] = {}
        for entry in catalog:
            for port_name, jur in entry.port_spellings.items():
                port_jurs.setdefault(fold(port_name), set()).add(jur)
            for spellings in entry.spellings.values():
                for s in spellings:
                    names.setdefault(fold(s), set()).add(entry.id)
                    self.verbatim.setdefault(s, entry.id)
                    if entry.category in ("licenses", "publicdomain") and CC_TITLE.search(s):
                        text_ci.append(
                            s
                        )  # a CC title with its version ("Naamsvermelding 3.0 Nederland")
                    if entry.category in ("rightsstatement", "curated") or entry.id in (
                        "PDM-1.0",
                        "CC0-1.0",
                    ):
                        n_tokens = len(fold(s).split())
                        if n_tokens >= 3 or (n_tokens == 2 and len(s) >= 16):
                            text_ci.append(s)
                        elif n_tokens == 2 or (s.isupper() and len(s) >= 4):
                            text_cs.append(s)
        self.names = {k: next(iter(v)) for k, v in names.items() if len(v) == 1}
        # a port title shared by two ports ("Namensnennung 2.0": at and de) names no port
        self.name_jur = {
            k: j for k, v in port_jurs.items() if len(v) == 1 and (j := next(iter(v))) is not None
        }
        self.phrases: dict[str, str] = {}
        for license_id, by_lang in catalog.phrases.items():
            for plist in by_lang.values():
                for p in plist:
                    self.phrases[fold(p)] = license_id
                    text_ci.append(p)
        # Prose patterns run on lower-cased text without IGNORECASE (several times faster in
        # `re`); word boundaries are checked on the original text by `_bounded`.
        # `\b` first: most positions are inside words and fail there before any branch is tried
        ci = f"\\b(?:{alternation(text_ci)})"
        self.text_ci = (re.compile(ci), re.compile(ci, re.IGNORECASE))
        self.text_cs = re.compile(f"\\b(?:{alternation(text_cs, ignore_case=False)})")
        self.words: dict[str, str] = {}
        for element, words in catalog.cc_words.items():
            for w in words:
                self.words[fold(w)] = element
        all_words = [w for ws in catalog.cc_words.values() for w in ws]
        elem = f"(?:{alternation(all_words)})"
        regions = f"(?:{alternation(catalog.regions)})"
        # later versions of a list ("3.0 Unported, 2.5 Generic and 1.0") always have a dot
        joiner = r"(?:\s*(?:,|&|/|-|\band\b|\bor\b|\bund\b|\bet\b|\ben\b|\by\b)\s*|\s+)"
        versions = (
            rf"(?P<ver>{VER})(?:\s+{regions})?"
            rf"(?P<more>(?:{joiner}[1-4]\.[015](?:\s+{regions})?)*)"
        )
        self.cc_code = re.compile(
            r"(?<![\w/.#-])(?:CC|Creative[\s-]*Commons)[\s_-]*"
            r"(?P<elems>BY(?:[\s_-]*(?:NC|ND|SA)){0,2})(?!\w)"
            rf"(?:[\s_-]*v?{versions}(?-i:(?![a-z0-9_]))(?!\.\d))?"
            r"(?:[\s_-]+(?P<jur>[A-Za-z]{2}|IGO|Scotland)(?!\w))?",
            re.IGNORECASE,
        )
        self.cc_zero = re.compile(
            r"(?<![\w/.#-])(?:CC[\s_-]?0|CC[\s_-]?Zero|CCZero|Creative\s+Commons\s+(?:Zero|CC0))(?!\w)"
            r"(?:[\s_-]*v?1\.0)?(?:\s+Universal)?",
            re.IGNORECASE,
        )
        licence = "(?:license|licence|lizenz|licentie|licencia|licenza|licens|lisenssi)"
        words_pat = (
            rf"(?P<cc>creative\s+commons\s+(?:{licence}\s+)?)?"
            rf"(?P<elems>{elem}(?:(?:\s*[-–—+,]\s*|\s+){elem}){{0,3}})(?!\w)"
            rf"(?:[\s_-]*{versions}(?![\w]|\.\d))?"
        )
        self.cc_words = (re.compile(words_pat), re.compile(words_pat, re.IGNORECASE))
        self.negation = re.compile(
            rf"(?<!\w)(?:{alternation(catalog.negations)})(?!\w)(?:\W+\w+){{0,3}}\W*$",
            re.IGNORECASE,
        )
        self.regions_re = re.compile(regions, re.IGNORECASE)
        self.word_re = re.compile(elem, re.IGNORECASE)


@lru_cache(maxsize=1)
def get_patterns() -> Patterns:
    return Patterns()


def cc_lookup(
    elements: list[str], version: str | None, jur: str | None = None
) -> tuple[str, str | None] | None:
    """The CC id of a set of element words (by, nc, nd, sa) with an optional version and port."""
    m = get_patterns()
    elems = set(elements)
    if "nd" in elems and "sa" in elems:
        return None
    order = [e for e in ("by", "nc", "nd", "sa") if e in elems]
    unit = "-".join(order)
    if version is None:
        fid = "CC-" + unit.upper()
        entry = get_catalog().get(fid)
        return (fid, None) if entry is not None and entry.version is None else None
    if "." not in version:
        version += ".0"
    if version == "1.0" and unit in ("by-nc-nd", "nc-nd"):
        unit = unit.replace("nc-nd", "nd-nc")
    base = f"creativecommons.org/licenses/{unit}/{version}"
    if jur:
        hit = m.index.by_key.get(f"{base}/{jur.lower()}")
        if hit:
            return hit
    hit = m.index.by_key.get(base)
    return (hit[0], None) if hit else None


def elements_of(words_text: str) -> list[str] | None:
    m = get_patterns()
    out: list[str] = []
    for found in m.word_re.finditer(words_text):
        element = m.words.get(fold(found.group(0)))
        if element is None:
            return None
        out.append(element)
    return out or None


def code_elements(elems: str) -> list[str]:
    return [t for t in re.split(r"[\s_-]+", elems.lower()) if t]


def versions_of(match: re.Match[str]) -> list[tuple[str, int, int]]:
    """The first version and any listed after it ("3.0 Unported, 2.5 Generic and 1.0")."""
    if match.group("ver") is None:
        return []
    out = [(match.group("ver"), match.start("ver"), match.end("ver"))]
    more = match.group("more") or ""
    base = match.start("more") if more else 0
    for v in re.finditer(VER, more):
        out.append((v.group(0), base + v.start(), base + v.end()))
    return out
