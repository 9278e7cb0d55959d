"""Drift events as data, and the one rule that names the event of a page pair.

Pure: no SQL here. `db/drift.py` explains which pairs are compared and computes them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

DEFAULT_ESCALATE_AFTER = 3
EVENT_KINDS = (
    "regression",
    "improvement",
    "license-changed",
    "license-added",
    "license-removed",
    "markup-lost",
    "page-gone",
    "unreachable",
    "new-page",
)
LICENSE_EVENTS = (
    "regression",
    "improvement",
    "license-changed",
    "license-added",
    "license-removed",
)
NOT_OPEN = ("not-open", "conflict")


@dataclass(frozen=True, slots=True)
class DriftEvent:
    kind: str
    url: str | None
    site: str
    before: list[str]
    after: list[str]
    evidence: dict[str, Any] = field(default_factory=dict)
    from_run: int | None = None  # the pair this event was computed for (stored with it)
    to_run: int | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "url": self.url,
            "site": self.site,
            "before": list(self.before),
            "after": list(self.after),
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class DriftResult:
    from_run: int
    to_run: int
    events: list[DriftEvent]

    def to_json(self) -> dict[str, object]:
        return {
            "from_run": self.from_run,
            "to_run": self.to_run,
            "events": [e.to_json() for e in self.events],
        }

    def of_kind(self, kind: str) -> list[DriftEvent]:
        return [e for e in self.events if e.kind == kind]

    @property
    def regressions(self) -> list[DriftEvent]:
        return self.of_kind("regression")

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for e in self.events:
            out[e.kind] += 1
        return dict(out)


@dataclass(frozen=True, slots=True)
class PageState:
    """What drift compares of one observation."""

    outcome: str  # ok | gone | failed
    licenses: tuple[str, ...]  # object-scope ids, sorted
    verdict: str
    n_assertions: int


def classify_pair(before: PageState | None, after: PageState) -> str | None:
    """The one event a page pair yields, or None (see the module docstring for the order)."""
    if after.outcome == "failed":
        return None
    if before is None:
        return "new-page" if after.outcome == "ok" else None
    if after.outcome == "gone":
        return "page-gone" if before.outcome == "ok" else None
    if before.outcome == "gone":
        return "new-page"
    if before.n_assertions > 0 and after.n_assertions == 0:
        return "markup-lost"
    if before.verdict == "open" and after.verdict in NOT_OPEN:
        return "regression"
    if before.verdict in NOT_OPEN and after.verdict == "open":
        return "improvement"
    if before.licenses != after.licenses:
        if not before.licenses:
            return "license-added"
        if not after.licenses:
            return "license-removed"
        return "license-changed"
    return None
