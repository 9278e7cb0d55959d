"""Merging institution records from several sources into one registry, without losing any.

Key order (issue 8): the Wikidata QID first; a record without a QID joins the record that has
the same website host (`www.` ignored). Two records with different QIDs are never merged, even
on a shared host: many distinct institutions live under one government host (`cultura.gob.es`).
The Survey has sub-units that share one QID; they merge, and each stays listed in
`extra["merged_from"]` with its name, Survey page and website.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from crawler.registry import InstitutionEntry, SiteEntry
from crawler.registry_io.readers import ImportReport, website_host


def _hosts(entry: InstitutionEntry) -> list[str]:
    hosts = [website_host(entry.website)] if entry.website else []
    hosts += [website_host(s.base_url) for s in entry.sites]
    return list(dict.fromkeys(h for h in hosts if h))


def _identity(entry: InstitutionEntry) -> dict[str, Any]:
    ident = {
        "name": entry.name,
        "survey_url": entry.survey_url,
        "website": entry.website,
        "wikidata": entry.wikidata,
    }
    return {k: v for k, v in ident.items() if v}


def _merge_sites(into: list[SiteEntry], extra: list[SiteEntry]) -> None:
    by_base = {s.base_url: s for s in into}
    for site in extra:
        have = by_base.get(site.base_url)
        if have is None:
            copied = copy.deepcopy(site)
            into.append(copied)
            by_base[site.base_url] = copied
            continue
        for attr in ("seeds", "allow", "deny", "object_patterns", "iiif", "oai"):
            values: list[str] = getattr(have, attr)
            values.extend(v for v in getattr(site, attr) if v not in values)
        for attr in ("oai_set", "max_pages", "notify"):
            if getattr(have, attr) is None:
                setattr(have, attr, getattr(site, attr))


def _merge_extra(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if key == "platforms":
            have = into.setdefault("platforms", [])
            seen = {(p.get("name"), p.get("url")) for p in have}
            have.extend(
                copy.deepcopy(p) for p in value if (p.get("name"), p.get("url")) not in seen
            )
        elif key == "merged_from":
            have_m = into.setdefault("merged_from", [])
            have_m.extend(m for m in value if m not in have_m)
        elif key not in into or into[key] in (None, "", [], {}):
            into[key] = copy.deepcopy(value)


def merge_into(target: InstitutionEntry, other: InstitutionEntry) -> None:
    """Fold `other` into `target`: target's values win, gaps are filled, lists are unioned."""
    same_record = _identity(other) == _identity(target)
    for attr in ("country", "type", "wikidata", "website", "survey_url"):
        if not getattr(target, attr):
            setattr(target, attr, getattr(other, attr))
    if other.survey == "listed" or not target.survey:
        target.survey = other.survey or target.survey
    _merge_sites(target.sites, other.sites)
    _merge_extra(target.extra, other.extra)
    if not same_record:
        merged = target.extra.setdefault("merged_from", [])
        ident = _identity(other)
        if ident not in merged:
            merged.append(ident)


def merge_entries(
    entries: Iterable[InstitutionEntry], report: ImportReport | None = None
) -> list[InstitutionEntry]:
    """Merge duplicates (QID, then website host for records without one); order is kept."""
    out: list[InstitutionEntry] = []
    by_qid: dict[str, InstitutionEntry] = {}
    by_host: dict[str, InstitutionEntry] = {}
    for entry in entries:
        entry = copy.deepcopy(entry)
        target = by_qid.get(entry.wikidata) if entry.wikidata else None
        if target is None:
            for host in _hosts(entry):
                cand = by_host.get(host)
                if cand is not None and not (cand.wikidata and entry.wikidata):
                    target = cand
                    break
        if target is None:
            out.append(entry)
            target = entry
        else:
            merge_into(target, entry)
            if report is not None:
                report.merged += 1
        if target.wikidata:
            by_qid.setdefault(target.wikidata, target)
        for host in _hosts(target):
            by_host.setdefault(host, target)
    return out
