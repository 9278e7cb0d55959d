"""The Open GLAM Survey's rights-statement labels and our canonical ids, both ways.

Labels from `open_data_volume_rs*` (reference/survey/NOTES.md §3). The Survey records no version,
so a label maps to a family id and any version of the family maps back to the label.
"""

from __future__ import annotations

LABEL_TO_ID = {
    "Public Domain Mark": "PDM-1.0",
    "CC0": "CC0-1.0",
    "CC BY": "CC-BY",
    "CC BY-SA": "CC-BY-SA",
    "No Copyright - United States": "RS-NoC-US-1.0",
    "No Known Copyright": "NKC",
    "Licence Ouverte": "etalab-2.0",
    "Open Government Licence": "OGL-UK-3.0",
    "ODbL": "ODbL-1.0",
}

# Survey `rights_statement_compliance`: PD marks/dedications vs open licenses.
PUBLIC_DOMAIN_IDS = frozenset({"PDM-1.0", "CC0-1.0", "RS-NoC-US-1.0", "NKC", "RS-NKC-1.0"})


def survey_label(license_id: str) -> str:
    """Our id -> the Survey's label (`Other` when the Survey has none for it)."""
    if license_id in PUBLIC_DOMAIN_IDS:
        return {
            "PDM-1.0": "Public Domain Mark",
            "CC0-1.0": "CC0",
            "RS-NoC-US-1.0": "No Copyright - United States",
        }.get(license_id, "No Known Copyright")
    for prefix, label in (("CC-BY-SA", "CC BY-SA"), ("etalab", "Licence Ouverte")):
        if license_id.startswith(prefix):
            return label
    if license_id == "CC-BY" or (license_id.startswith("CC-BY-") and license_id[6:7].isdigit()):
        return "CC BY"
    if license_id.startswith("OGL-UK"):
        return "Open Government Licence"
    if license_id.startswith("ODbL"):
        return "ODbL"
    return "Other"


def label_ids(labels: object) -> list[str]:
    """Survey labels (a list, or raw text kept by the importer) -> our ids, unknown kept raw."""
    if isinstance(labels, str):
        labels = [labels]
    if not isinstance(labels, list):
        return []
    return [LABEL_TO_ID.get(str(label), str(label)) for label in labels]
