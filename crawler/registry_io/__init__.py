"""Registry import/export (issue 8): the Open GLAM Survey loop.

`import_files` reads Survey CSV exports, Wikidata JSON results and our YAML and merges them;
`to_survey_csv` / `to_yaml` write them back; `save_to_store` / `load_from_store` move them in and
out of the database so that the drift report can compare what the crawl finds with the listing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from crawler.registry import InstitutionEntry, Registry, SiteEntry
from crawler.registry_io.export import survey_row, to_survey_csv, to_yaml, volume_number
from crawler.registry_io.merge import merge_entries, merge_into
from crawler.registry_io.readers import (
    ImportReport,
    from_survey_row,
    qid_of,
    read_entries,
    read_survey_csv,
    survey_columns,
    website_host,
)
from crawler.registry_io.wikidata import read_wikidata_json

__all__ = [
    "ImportReport",
    "from_survey_row",
    "import_files",
    "load_from_store",
    "merge_entries",
    "merge_into",
    "qid_of",
    "read_entries",
    "read_survey_csv",
    "read_wikidata_json",
    "save_to_store",
    "survey_columns",
    "survey_row",
    "to_survey_csv",
    "to_yaml",
    "volume_number",
    "website_host",
]


def import_files(
    paths: Sequence[str | Path], existing: Iterable[InstitutionEntry] = ()
) -> tuple[Registry, ImportReport]:
    """Read every file (any supported kind), merge with `existing` (which wins), report."""
    report = ImportReport()
    entries = list(existing)
    for path in paths:
        read = read_entries(path, report)
        report.records += len(read)
        entries.extend(read)
    return Registry(merge_entries(entries, report)), report


def save_to_store(store: Any, entries: Iterable[InstitutionEntry]) -> int:
    """Upsert institutions (and, through the store, their sites); returns how many distinct
    institution rows they landed in (the store may merge further, by QID or host)."""
    return len({store.upsert_institution(entry) for entry in entries})


def load_from_store(store: Any) -> list[InstitutionEntry]:
    """The institutions and sites held in the database, as registry entries."""
    from sqlalchemy import select

    from db.models import Institution, Site

    out: list[InstitutionEntry] = []
    with store.session() as session:
        sites: dict[int | None, list[SiteEntry]] = {}
        for site in session.scalars(select(Site).order_by(Site.id)):
            rules = dict(site.rules or {})
            known = {k: v for k, v in rules.items() if k in SiteEntry.__dataclass_fields__}
            known.pop("base_url", None)
            known.pop("seeds", None)
            sites.setdefault(site.institution_id, []).append(
                SiteEntry(base_url=site.base_url, seeds=list(site.seeds or []), **known)
            )
        for inst in session.scalars(select(Institution).order_by(Institution.id)):
            out.append(
                InstitutionEntry(
                    name=inst.name,
                    country=inst.country,
                    type=inst.type,
                    wikidata=inst.wikidata,
                    website=inst.website,
                    survey=inst.survey_status,
                    survey_url=inst.survey_url,
                    sites=sites.get(inst.id, []),
                    extra=dict(inst.extra or {}),
                )
            )
    return out
