"""Validation at the storage boundary (STYLE.md practice 10).

The extractors already build well-formed assertions; the store checks again, because a row
without its evidence (method, raw value, scope, snippet, source URL) or with a license id the
catalog does not know would make every later report unverifiable. A violation raises before
anything of the batch is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from crawler.items import PageObservation
from db.errors import InvalidObservation
from db.models import Assertion as AssertionRow
from db.models import Page
from rules.model import METHODS, SCOPES, SNIPPET_MAX

VERDICTS = ("open", "not-open", "unknown")
PAGE_VERDICTS = ("open", "not-open", "conflict", "unknown")


def catalog_lookup() -> Callable[[str], bool] | None:
    """`id -> known?` from rules.catalog, or None while that module does not exist yet."""
    try:
        from rules.catalog import get_catalog
    except ModuleNotFoundError as exc:
        if exc.name not in ("rules.catalog",):
            raise
        return None
    catalog = get_catalog()
    return lambda license_id: catalog.get(license_id) is not None


def _limits(table: object, names: tuple[str, ...]) -> dict[str, int]:
    cols = table.__table__.c  # type: ignore[attr-defined]
    return {n: cols[n].type.length for n in names if getattr(cols[n].type, "length", None)}


# Bounded columns (PostgreSQL enforces VARCHAR lengths): too long is an error, never a cut.
_PAGE_LIMITS = _limits(Page, ("url", "final_url", "content_type", "content_hash", "kind"))
_ASSERTION_LIMITS = _limits(
    AssertionRow,
    ("license", "jurisdiction", "match", "basis", "rule_source", "position", "source_url"),
)


def _too_long(obj: object, limits: dict[str, int]) -> list[str]:
    out = []
    for name, limit in limits.items():
        value = getattr(obj, name, None)
        if isinstance(value, str) and len(value) > limit:
            out.append(f"{name} longer than {limit} chars ({len(value)})")
    return out


def _text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def problems_of(obs: PageObservation, known: Callable[[str], bool] | None) -> list[str]:
    """Every reason `obs` cannot be stored, empty when it is fine."""
    out: list[str] = []
    if not isinstance(obs, PageObservation):
        return [f"not a PageObservation: {type(obs).__name__}"]
    if not _text(obs.url):
        out.append("url is empty")
    if not _text(obs.site):
        out.append("site is empty")
    if not isinstance(obs.fetched_at, datetime):
        out.append("fetched_at is not a datetime")
    if obs.status is not None and not isinstance(obs.status, int):
        out.append(f"status is not an int: {obs.status!r}")
    if obs.verdict not in PAGE_VERDICTS:
        out.append(f"page verdict {obs.verdict!r} not in {PAGE_VERDICTS}")
    out += _too_long(obs, _PAGE_LIMITS)
    for n, a in enumerate(obs.assertions):
        where = f"assertion #{n + 1}"
        if a.method not in METHODS:
            out.append(f"{where}: unknown method {a.method!r}")
        if a.scope not in SCOPES:
            out.append(f"{where}: unknown scope {a.scope!r}")
        if not _text(a.raw):
            out.append(f"{where}: raw value is empty")
        if not _text(a.snippet):
            out.append(f"{where}: snippet is empty")
        elif len(a.snippet) > SNIPPET_MAX:
            out.append(f"{where}: snippet longer than {SNIPPET_MAX} chars ({len(a.snippet)})")
        if not _text(a.source_url):
            out.append(f"{where}: source_url is empty")
        if a.verdict not in VERDICTS:
            out.append(f"{where}: verdict {a.verdict!r} not in {VERDICTS}")
        out += [f"{where}: {p}" for p in _too_long(a, _ASSERTION_LIMITS)]
        if a.license is not None and (
            not _text(a.license) or (known is not None and not known(a.license))
        ):
            out.append(f"{where}: license id {a.license!r} is not in the catalog")
    return out


_METHOD_SET, _SCOPE_SET, _VERDICT_SET = frozenset(METHODS), frozenset(SCOPES), frozenset(VERDICTS)
_SOURCE_MAX = _ASSERTION_LIMITS["source_url"]
_OPTIONAL = tuple(
    (n, lim) for n, lim in _ASSERTION_LIMITS.items() if n not in ("source_url", "license")
)


def _quick_ok(obs: PageObservation, known: Callable[[str], bool] | None, seen: set[str]) -> bool:
    """The common case in one pass without building messages; False sends to `problems_of`."""
    if type(obs) is not PageObservation or obs.verdict not in PAGE_VERDICTS:
        return False
    if not (isinstance(obs.url, str) and obs.url.strip() and isinstance(obs.site, str)):
        return False
    if not (obs.site.strip() and (obs.status is None or type(obs.status) is int)):
        return False
    if _too_long(obs, _PAGE_LIMITS) or not isinstance(obs.fetched_at, datetime):
        return False
    for a in obs.assertions:
        if not (
            a.method in _METHOD_SET
            and a.scope in _SCOPE_SET
            and a.verdict in _VERDICT_SET
            and isinstance(a.raw, str)
            and a.raw.strip()
            and isinstance(a.snippet, str)
            and len(a.snippet) <= SNIPPET_MAX
            and a.snippet.strip()
            and isinstance(a.source_url, str)
            and a.source_url.strip()
            and len(a.source_url) <= _SOURCE_MAX
        ):
            return False
        lic = a.license
        if lic is not None and lic not in seen:
            if not (isinstance(lic, str) and lic.strip() and len(lic) <= 100):
                return False
            if known is not None and not known(lic):
                return False
            seen.add(lic)
        for name, limit in _OPTIONAL:
            value = getattr(a, name)
            if value is not None and len(value) > limit:
                return False
    return True


def validate_batch(
    observations: Sequence[PageObservation],
    known: Callable[[str], bool] | None,
    seen: set[str] | None = None,
) -> None:
    """Raise InvalidObservation naming every bad observation (up to 20) of the batch.

    `seen` caches license ids already found in the catalog (the store keeps one per instance).
    """
    seen = set() if seen is None else seen
    bad: list[str] = []
    for obs in observations:
        if _quick_ok(obs, known, seen):
            continue
        problems = problems_of(obs, known)
        if problems:
            bad.append(f"{getattr(obs, 'url', obs)!r}: " + "; ".join(problems))
    if bad:
        more = f" (and {len(bad) - 20} more)" if len(bad) > 20 else ""
        raise InvalidObservation(
            f"{len(bad)} of {len(observations)} observations rejected, nothing written: "
            + " | ".join(bad[:20])
            + more
        )
