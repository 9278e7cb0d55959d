"""License ids -> open / not-open / unknown under a policy, and the page verdict.

Verdicts are catalog data (`rules/data/curated.yaml` names the rule behind each), so this module
only looks them up and combines them. Policies (DESIGN.md §2): `survey` (default; Open
Definition conformant licenses plus the public-domain statements the Open GLAM Survey counts:
PDM, NKC, RS-NoC-US, RS-NKC) and `strict-od` (Open Definition conformant only).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rules.catalog import POLICIES, get_catalog
from rules.model import Assertion, Classification, Normalized, clip_snippet

UNKNOWN_ID_RULE = "no catalog entry: unrecognised signals are never guessed (DESIGN.md §2)"
NO_ID_RULE = "no license identified"


def classify(license_id: str | None, policy: str = "survey") -> Classification:
    """The verdict of one id under `policy`, naming the rule that decided it."""
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}; expected one of {', '.join(POLICIES)}")
    if license_id is None:
        return Classification(verdict="unknown", basis=None, rule_source=NO_ID_RULE)
    entry = get_catalog().get(license_id)
    if entry is None:
        return Classification(verdict="unknown", basis=None, rule_source=UNKNOWN_ID_RULE)
    verdict = entry.verdict(policy)
    basis = entry.basis if entry.basis in ("license", "public-domain-statement") else "license"
    return Classification(
        verdict=verdict,  # type: ignore[arg-type]
        basis=basis,  # type: ignore[arg-type]
        rule_source=f"{policy}: {entry.rule_source}",
    )


def make_assertion(
    normalized: Normalized,
    *,
    method: str,
    scope: str,
    snippet: str,
    source_url: str,
    position: str | None = None,
    policy: str = "survey",
) -> Assertion:
    """An Assertion with its verdict, basis and rule source filled from the catalog."""
    c = classify(normalized.license, policy)
    return Assertion(
        license=normalized.license,
        jurisdiction=normalized.jurisdiction,
        method=method,
        scope=scope,
        raw=normalized.raw,
        snippet=clip_snippet(snippet),
        verdict=c.verdict,
        source_url=source_url,
        match=normalized.match,
        basis=c.basis,
        rule_source=c.rule_source,
        position=position,
    )


def page_verdict(assertions: Iterable[Assertion]) -> str:
    """Object-scope signals decide (DESIGN.md §2).

    open: at least one open and none not-open (several open choices, or an open license beside
    an unrecognised one, is dual licensing); conflict: open and not-open meet; not-open: only
    not-open ones (unknowns may sit beside); unknown: no object-scope signal or only unknowns.
    """
    verdicts = {a.verdict for a in assertions if a.scope == "object"}
    has_open = "open" in verdicts
    has_closed = "not-open" in verdicts
    if has_open and has_closed:
        return "conflict"
    if has_open:
        return "open"
    if has_closed:
        return "not-open"
    return "unknown"


class Signal(Protocol):
    """What `object_licenses` reads of an assertion (also satisfied by stored rows)."""

    @property
    def license(self) -> str | None: ...

    @property
    def scope(self) -> str: ...


def object_licenses(assertions: Iterable[Signal]) -> tuple[str, ...]:
    """Sorted unique license ids of the object-scope assertions (unrecognised ones left out),
    a version-less family folded into a versioned id of the same family.

    The one definition the page result, the store (drift compares it) and the reports share.
    """
    ids = sorted({a.license for a in assertions if a.scope == "object" and a.license})
    return tuple(subsume_families(ids))


def subsume_families(license_ids: Iterable[str]) -> list[str]:
    """Drop a version-less family id (`CC-BY-SA`, from icons or "CC BY-SA" prose) when a
    versioned id of the same family (`CC-BY-SA-3.0`) is also listed: the same statement, said
    less precisely. A family alone stays."""
    ids = list(license_ids)
    catalog = get_catalog()
    versioned = {
        e.family for e in (catalog.get(i) for i in ids) if e is not None and e.version is not None
    }
    out = []
    for i in ids:
        e = catalog.get(i)
        if e is not None and e.version is None and e.family in versioned:
            continue
        out.append(i)
    return out
