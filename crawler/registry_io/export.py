"""Writing the registry back: our YAML, or CSV in the Open GLAM Survey's own columns.

The CSV adds three columns after the Survey's (`survey_status`, `seeds`, `merged_from`, JSON
where a list) so that export -> import gives the same registry; a Survey maintainer can drop
them. `open_data_volume_total` is recomputed over every platform (the Survey's own export adds
only platforms 0-2).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from crawler.registry import InstitutionEntry, Registry
from crawler.registry_io.readers import (
    MIN_PLATFORM_SLOTS,
    PLATFORM_FIELDS,
    SURVEY_EXTRA,
    survey_columns,
)

OUR_COLUMNS = ("survey_status", "seeds", "merged_from")


def volume_number(value: object) -> int | None:
    """A platform's object count: the Survey writes strings, sometimes with commas."""
    text = str(value or "").replace(",", "").replace(" ", "").strip()
    return int(text) if text.isdigit() else None


def survey_row(entry: InstitutionEntry, slots: int = MIN_PLATFORM_SLOTS) -> dict[str, str]:
    """One entry as a Survey CSV record (all values strings; empty where unknown)."""
    extra: dict[str, Any] = entry.extra or {}
    row = dict.fromkeys(survey_columns(slots), "")
    row["institution_name"] = entry.name
    row["pretty_url"] = entry.survey_url or ""
    row["country"] = entry.country or ""
    row["institution_type"] = entry.type or ""
    row["institution_website"] = entry.website or ""
    if entry.wikidata:
        row["institution_wikidata"] = f"https://www.wikidata.org/wiki/{entry.wikidata}"
    else:
        row["institution_wikidata"] = str(extra.get("institution_wikidata_raw", ""))
    for col in SURVEY_EXTRA:
        row[col] = str(extra.get(col, "") or "")
    platforms = extra.get("platforms") or []
    total = 0
    for n, platform in enumerate(platforms):
        for f in PLATFORM_FIELDS:
            value = platform.get(f, "")
            if f == "rs" and isinstance(value, list):
                value = repr([str(v) for v in value])  # the Survey's Python list literal
            row[f"open_data_volume_{f}{n}"] = str(value or "")
        total += volume_number(platform.get("number")) or 0
    row["open_data_volume_total"] = str(total)
    return row


def slots_needed(entries: Iterable[InstitutionEntry]) -> int:
    most = max((len((e.extra or {}).get("platforms") or []) for e in entries), default=0)
    return max(MIN_PLATFORM_SLOTS, most)


def to_survey_csv(entries: list[InstitutionEntry], *, ours: bool = True) -> str:
    """CSV text in the Survey's columns (plus ours, to round-trip, unless `ours=False`)."""
    slots = slots_needed(entries)
    columns = survey_columns(slots) + (list(OUR_COLUMNS) if ours else [])
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = survey_row(entry, slots)
        if ours:
            row["survey_status"] = entry.survey or ""
            row["seeds"] = json.dumps([s for site in entry.sites for s in site.start_urls()])
            merged = (entry.extra or {}).get("merged_from")
            row["merged_from"] = json.dumps(merged, ensure_ascii=False) if merged else ""
        writer.writerow(row)
    return buf.getvalue()


def to_yaml(entries: list[InstitutionEntry]) -> str:
    return Registry(list(entries)).to_yaml()
