"""Wikidata JSON: a WDQS SPARQL result (verbose or simple list form) or Special:EntityData.

Column names vary between queries, so the item, label, country, website (P856) and type (P31)
are looked up under the usual variable names (`item`/`inst`, `itemLabel`, `countryLabel`,
`website`, `typeLabel` …); the QID is read from the entity URI.
"""

from __future__ import annotations

from typing import Any

from crawler.registry import InstitutionEntry, RegistryError
from crawler.registry_io.readers import ImportReport, _add_seed, qid_of


def _binding_value(cell: Any) -> str | None:
    if isinstance(cell, dict):
        cell = cell.get("value")
    return str(cell) if cell not in (None, "") else None


def _pick(row: dict[str, Any], *names: str) -> str | None:
    for name in names:
        val = _binding_value(row.get(name))
        if val:
            return val
    return None


def read_wikidata_json(data: Any, report: ImportReport, origin: str) -> list[InstitutionEntry]:
    """A WDQS result (SPARQL JSON or the simple list form) or a Special:EntityData document."""
    if isinstance(data, dict) and isinstance(data.get("entities"), dict):
        return [_from_entity(e, report) for e in data["entities"].values() if isinstance(e, dict)]
    if isinstance(data, dict) and isinstance(data.get("results"), dict):
        rows = data["results"].get("bindings")
    else:
        rows = data
    if not isinstance(rows, list):
        raise RegistryError(f"{origin}: not a Wikidata query result or entity document")
    out = []
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise RegistryError(f"{origin}: result row {n} is not an object")
        qid = None
        item_var = None
        for var in ("item", "inst", "institution", "qid", "museum", "library", "archive", "coll"):
            qid = qid_of(_binding_value(row.get(var)))
            if qid:
                item_var = var
                break
        if qid is None:  # any column holding an entity URI
            for var, cell in row.items():
                qid = qid_of(_binding_value(cell))
                if qid and not var.lower().startswith(("country", "type", "p31", "p17")):
                    item_var = var
                    break
                qid = None
        label = _pick(row, f"{item_var}Label", "label", "itemLabel", "name")
        if qid is None and label is None:
            report.warnings.append(f"{origin}: row {n} has neither a QID nor a label, skipped")
            continue
        entry = InstitutionEntry(
            name=label or qid or "",
            country=_pick(row, "countryLabel", "country", "P17"),
            type=_pick(row, "typeLabel", "type", "instanceLabel", "P31"),
            wikidata=qid,
            website=_pick(row, "website", "officialWebsite", "P856", "url"),
        )
        if entry.website:
            _add_seed(entry, entry.website, report)
        out.append(entry)
    return out


def _claim_values(entity: dict[str, Any], prop: str) -> list[Any]:
    values = []
    for claim in entity.get("claims", {}).get(prop, []) or []:
        value = claim.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict):
            value = value.get("id")
        if value:
            values.append(value)
    return values


def _from_entity(entity: dict[str, Any], report: ImportReport) -> InstitutionEntry:
    labels: dict[str, dict[str, str]] = entity.get("labels") or {}
    first: dict[str, str] = labels.get("en") or next(iter(labels.values()), {})
    label = first.get("value")
    qid = entity.get("id")
    websites = _claim_values(entity, "P856")
    entry = InstitutionEntry(
        name=label or qid or "",
        country=next(iter(_claim_values(entity, "P17")), None),
        type=next(iter(_claim_values(entity, "P31")), None),
        wikidata=qid,
        website=websites[0] if websites else None,
    )
    for url in websites:
        _add_seed(entry, url, report)
    return entry
