"""Data contracts shared by extraction, classification, storage and reports.

Frozen dataclasses so that a value computed by the pure `rules/` layer can be passed to the
store and the reports without anyone mutating the evidence on the way (DESIGN.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Method = Literal[
    "rel-license",
    "rdfa",
    "jsonld",
    "microdata",
    "meta",
    "button-image",
    "text",
    "iiif",
    "oai",
    "http-header",
    "api-field",
    "xmp",
]
Scope = Literal["object", "site", "metadata", "unknown"]
Verdict = Literal["open", "not-open", "unknown"]
PageVerdict = Literal["open", "not-open", "conflict", "unknown"]
MatchKind = Literal["exact", "canonicalised", "heuristic", "none"]
Basis = Literal["license", "public-domain-statement"]
Policy = Literal["survey", "strict-od"]

METHODS: tuple[str, ...] = (
    "rel-license",
    "rdfa",
    "jsonld",
    "microdata",
    "meta",
    "button-image",
    "text",
    "iiif",
    "oai",
    "http-header",
    "api-field",
    "xmp",
)
SCOPES: tuple[str, ...] = ("object", "site", "metadata", "unknown")
SNIPPET_MAX = 300


def clip_snippet(text: str, limit: int = SNIPPET_MAX) -> str:
    """Collapse whitespace and cut evidence to `limit` characters (with an ellipsis)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Normalized:
    """What a raw value (URL, badge src, phrase) means in the catalog.

    `license` is None when the value sits on a known license host but is not a known tool:
    the raw value is kept and nothing is guessed.
    """

    license: str | None
    jurisdiction: str | None
    match: MatchKind
    raw: str


@dataclass(frozen=True, slots=True)
class Classification:
    """Verdict of one license id under one policy, with the rule that decided it."""

    verdict: Verdict
    basis: Basis | None
    rule_source: str


@dataclass(frozen=True, slots=True)
class Assertion:
    """One license signal found in one document, with its evidence."""

    license: str | None
    jurisdiction: str | None
    method: str
    scope: str
    raw: str
    snippet: str
    verdict: str
    source_url: str
    match: str = "exact"
    basis: str | None = None
    rule_source: str | None = None
    position: str | None = None  # what decided the scope: footer, main, head, record, manifest …

    def to_json(self) -> dict[str, object]:
        return {
            "license": self.license,
            "jurisdiction": self.jurisdiction,
            "method": self.method,
            "scope": self.scope,
            "raw": self.raw,
            "snippet": self.snippet,
            "verdict": self.verdict,
            "match": self.match,
            "basis": self.basis,
            "rule_source": self.rule_source,
            "position": self.position,
            "source_url": self.source_url,
        }


@dataclass(frozen=True, slots=True)
class ExtractionError:
    """An extractor that failed on a document; recorded beside the other signals."""

    method: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"method": self.method, "message": self.message}


@dataclass(frozen=True, slots=True)
class PageResult:
    """Everything the rules found in one document: assertions, errors and the page verdict."""

    url: str
    verdict: str
    licenses: tuple[str, ...]  # object-scope license ids, sorted, unique
    assertions: tuple[Assertion, ...] = ()
    errors: tuple[ExtractionError, ...] = ()
    kind: str = "html"  # html | iiif | oai | json | xml | other
    links: tuple[str, ...] = field(default=())  # absolute links seen (for discovery), optional

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "verdict": self.verdict,
            "licenses": list(self.licenses),
            "assertions": [a.to_json() for a in self.assertions],
            "errors": [e.to_json() for e in self.errors],
        }
