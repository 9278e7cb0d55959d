"""The published audit rubric (reports/RUBRIC.md): tiers 0-4 and how a tier is decided.

Kept apart from the audit builder so the rules an institution is scored against are one short
module that can be read, cited and tested on its own.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from reports.queries import DECIDED

MACHINE_METHODS = frozenset(
    {"rel-license", "rdfa", "jsonld", "microdata", "meta", "iiif", "oai", "http-header"}
    | {"api-field", "xmp"}
)
HUMAN_METHODS = frozenset({"text", "button-image"})
RECORD_KINDS = frozenset({"iiif", "oai"})
NEARLY_ALL = 0.9  # "nearly all sampled object pages" in the rubric

RUBRIC: tuple[tuple[int, str, str], ...] = (
    (0, "No clear rights", "Fewer than 90% of sampled object pages state any object-level rights."),
    (
        1,
        "Stated for people",
        "At least 90% of sampled object pages state object-level rights "
        "(visible text or a badge counts).",
    ),
    (
        2,
        "Machine-readable",
        "Tier 1, and at least 90% of sampled object pages carry a "
        "machine-readable object-level statement (rel=license, RDFa, JSON-LD, microdata, meta, "
        "IIIF, OAI-PMH, HTTP Link) that resolves to a known license or rights statement.",
    ),
    (
        3,
        "Consistent",
        "Tier 2, and no conflicts (site footer vs object, page vs IIIF vs OAI, "
        "methods disagreeing on one page), no unrecognised values or rightsstatements.org labels "
        "instead of URIs, and IIIF manifests / OAI records, where sampled, carry rights.",
    ),
    (
        4,
        "Open",
        "Tier 3, and every sampled object page with a decided verdict is open "
        "(Open Definition conformant, or a public-domain statement the Open GLAM Survey accepts).",
    ),
)


CONSISTENCY_CODES = frozenset(
    {"footer-conflict", "methods-disagree", "record-conflict", "record-no-rights", "rs-label"}
    | {"unrecognised"}
)


def institution_verdict(verdicts: Counter[str]) -> str:
    """open (all decided open) · not-open (none open) · mixed · unknown (nothing decided)."""
    decided = sum(verdicts[v] for v in DECIDED)
    if not decided:
        return "unknown"
    if verdicts["open"] == decided:
        return "open"
    return "mixed" if verdicts["open"] else "not-open"


def tier(criteria: dict[str, Any]) -> int:
    """The rubric tier (0-4) from the measured criteria; see RUBRIC."""
    if (criteria["stated"] or 0) < NEARLY_ALL:
        return 0
    if (criteria["machine_readable"] or 0) < NEARLY_ALL:
        return 1
    if not criteria["consistent"]:
        return 2
    return 4 if criteria["open"] else 3
