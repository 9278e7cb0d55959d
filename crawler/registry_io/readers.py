"""Registry import and export: the Open GLAM Survey CSV, Wikidata JSON results and our YAML.

The Survey is both a seed list and the baseline of the drift report, so an import keeps every
column it understands (platforms, declared rights statements, policy URLs) in `extra`, and an
export writes the same columns back. Records are merged by Wikidata QID; a record without a QID
joins the record with the same website host. Merging is lossless: the names, Survey pages and
websites of merged records stay listed in `extra["merged_from"]`.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from crawler.registry import (
    InstitutionEntry,
    RegistryError,
    SiteEntry,
    load_registry,
    parse_registry,
    site_base,
)

_QID = re.compile(r"\bQ[1-9]\d*\b")
PLATFORM_FIELDS = ("name", "number", "url", "rs")
MIN_PLATFORM_SLOTS = 6  # the Survey export has slots 0..5

# Survey column -> key in InstitutionEntry.extra (the columns not mapped to entry fields).
SURVEY_EXTRA = (
    "institution_name_english",
    "part_of",
    "first_open_access_instance",
    "first_open_access_instance_citation",
    "open_access_scope",
    "open_access_policy",
    "tk_tce_policy",
    "rights_statement_compliance",
    "rights_statement_metadata",
    "rights_statement_metadata_url",
    "admission_policy",
    "institution_api",
    "institution_github",
)
SURVEY_HEAD = (
    "institution_name",
    "institution_name_english",
    "pretty_url",
    "country",
    "part_of",
    "institution_type",
    "institution_website",
    "institution_wikidata",
    *SURVEY_EXTRA[2:],
    "open_data_volume_total",
)
SURVEY_REQUIRED = ("institution_name", "institution_website", "institution_wikidata")


def survey_columns(slots: int = MIN_PLATFORM_SLOTS) -> list[str]:
    """The Survey's column names, in its order, with `slots` platform groups."""
    cols = list(SURVEY_HEAD)
    for n in range(slots):
        cols += [f"open_data_volume_{f}{n}" for f in PLATFORM_FIELDS]
    return cols


@dataclass
class ImportReport:
    """What an import did: records read, merges made, and problems kept as warnings."""

    records: int = 0
    merged: int = 0
    warnings: list[str] = field(default_factory=list)


def qid_of(value: str | None) -> str | None:
    """The QID in a Wikidata URL or bare id (`/wiki/Q1`, `/entity/Q1`, `Q1`); None otherwise."""
    if not value or ("wikidata.org" not in value and not value.strip().startswith("Q")):
        return None
    m = _QID.search(value)
    return m.group(0) if m else None


def website_host(url: str | None) -> str | None:
    """Host of a website URL without `www.`, the fallback merge key; tolerates a missing scheme."""
    if not url or not url.strip():
        return None
    raw = url.strip()
    try:
        host = urlsplit(raw if "://" in raw else "https://" + raw).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _site_for(url: str, report: ImportReport, who: str) -> str | None:
    raw = url.strip()
    try:
        return site_base(raw if "://" in raw else "https://" + raw)
    except (RegistryError, ValueError) as exc:
        report.warnings.append(f"{who}: website not crawlable, kept as data only: {exc}")
        return None


def _add_seed(entry: InstitutionEntry, url: str, report: ImportReport) -> None:
    base = _site_for(url, report, entry.name)
    if base is None:
        return
    seed = url.strip() if "://" in url else "https://" + url.strip()
    for site in entry.sites:
        if site.base_url == base:
            if seed not in site.seeds:
                site.seeds.append(seed)
            return
    entry.sites.append(SiteEntry(base_url=base, seeds=[seed]))


def _parse_rs(raw: str, who: str, report: ImportReport) -> list[str] | str:
    """`open_data_volume_rs*` is a Python list literal; unparsable text is kept verbatim."""
    try:
        value = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        report.warnings.append(f"{who}: rights statements not a list literal, kept raw: {raw!r}")
        return raw
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    report.warnings.append(f"{who}: rights statements not a list of strings, kept raw: {raw!r}")
    return raw


def from_survey_row(row: dict[str, str], report: ImportReport) -> InstitutionEntry:
    """One Survey CSV record -> an institution marked `listed`, its platforms kept in extra."""
    get = {k: (v or "").strip() for k, v in row.items() if k is not None}
    name = get.get("institution_name") or get.get("institution_name_english") or ""
    wd_raw = get.get("institution_wikidata", "")
    entry = InstitutionEntry(
        name=name,
        country=get.get("country") or None,
        type=get.get("institution_type") or None,
        wikidata=qid_of(wd_raw),
        website=get.get("institution_website") or None,
        survey="listed",
        survey_url=get.get("pretty_url") or None,
    )
    if wd_raw and entry.wikidata is None:
        report.warnings.append(f"{name}: no QID in institution_wikidata, kept raw: {wd_raw!r}")
        entry.extra["institution_wikidata_raw"] = wd_raw
    for col in SURVEY_EXTRA:
        if get.get(col):
            entry.extra[col] = get[col]
    platforms = []
    slot = 0
    while f"open_data_volume_url{slot}" in get or f"open_data_volume_name{slot}" in get:
        p: dict[str, Any] = {}
        for f in PLATFORM_FIELDS:
            val = get.get(f"open_data_volume_{f}{slot}", "")
            if val:
                p[f] = _parse_rs(val, name, report) if f == "rs" else val
        if p:
            platforms.append(p)
        slot += 1
    if platforms:
        entry.extra["platforms"] = platforms
    if "survey_status" in get:  # our own export: the status and seeds are written out
        entry.survey = get["survey_status"] or None
    merged = _json_column(get.get("merged_from"), name, report)
    if merged:
        entry.extra["merged_from"] = merged
    seeds = _json_column(get.get("seeds"), name, report)
    if seeds is not None:
        for url in seeds:
            _add_seed(entry, url, report)
        return entry
    if entry.website:
        _add_seed(entry, entry.website, report)
    for p in platforms:  # the institution's own collection search: the best crawl seeds
        if p.get("name") == "Own website" and p.get("url"):
            _add_seed(entry, p["url"], report)
    return entry


def _json_column(raw: str | None, who: str, report: ImportReport) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        report.warnings.append(f"{who}: unreadable JSON column ignored: {raw[:80]!r}")
        return None


def read_survey_csv(text: str, report: ImportReport, origin: str) -> list[InstitutionEntry]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in SURVEY_REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise RegistryError(f"{origin}: not an Open GLAM Survey CSV, missing columns {missing}")
    out = []
    for n, row in enumerate(reader, start=2):
        if not (row.get("institution_name") or row.get("institution_name_english") or "").strip():
            report.warnings.append(f"{origin}: record {n} has no institution name, skipped")
            continue
        out.append(from_survey_row(row, report))
    return out


def read_entries(path: str | Path, report: ImportReport) -> list[InstitutionEntry]:
    """Read one file of any supported kind; the kind comes from the extension, then content."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{p}: cannot read: {exc}") from exc
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_registry(p).institutions
    if suffix == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RegistryError(f"{p}: invalid JSON: {exc}") from exc
        from crawler.registry_io.wikidata import read_wikidata_json

        return read_wikidata_json(data, report, str(p))
    if suffix == ".csv" or "institution_name" in text.partition("\n")[0]:
        return read_survey_csv(text, report, str(p))
    try:
        return parse_registry(yaml.safe_load(text), str(p)).institutions
    except yaml.YAMLError as exc:
        raise RegistryError(f"{p}: not a Survey CSV, Wikidata JSON or registry YAML") from exc
