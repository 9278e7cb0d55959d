"""Catalog data: the generated file is committed, every source row round-trips, facts are cited."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from rules.catalog import get_catalog
from rules.data import build
from rules.normalize import find_in_text, normalize_url, normalize_value

DATA = Path(build.__file__).parent
RS_CODES = build.RS_STATEMENTS


def _cc_rows() -> list[dict[str, str]]:
    with open(DATA / build.CC_CSV, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_committed_catalog_matches_generator() -> None:
    committed = (DATA / "catalog.json").read_text(encoding="utf-8")
    assert committed == build.render(), "run `python -m rules.data.build` and commit catalog.json"


def test_every_cc_row_round_trips_url_id_url() -> None:
    rows = _cc_rows()
    assert len(rows) == 639
    catalog = get_catalog()
    for row in rows:
        url = row["CANONICAL_URL"]
        for form in (url, url.replace("https://", "http://"), url + "deed.en", url + "legalcode"):
            n = normalize_url(form)
            assert n is not None, form
            assert n.license is not None, form
            entry = catalog.get(n.license)
            assert entry is not None, form
            assert n.jurisdiction == (row["JURISDICTION"] or None), form
            assert entry.url_for(n.jurisdiction) == url, form


def test_cc_ids_agree_with_the_spdx_column() -> None:
    """Unported rows carry SPDX ids; ours must be the same (PDM is `PDM-1.0` by DESIGN.md §2)."""
    for row in _cc_rows():
        if row["JURISDICTION"] or not row["SPDX_IDENTIFIER"]:
            continue
        n = normalize_url(row["CANONICAL_URL"])
        assert n is not None
        expected = "PDM-1.0" if row["SPDX_IDENTIFIER"] == "CC-PDM-1.0" else row["SPDX_IDENTIFIER"]
        assert n.license == expected


def test_ports_fold_to_the_unported_id() -> None:
    n = normalize_url("https://creativecommons.org/licenses/by-sa/2.0/uk/")
    assert (n.license, n.jurisdiction) == ("CC-BY-SA-2.0", "uk")  # type: ignore[union-attr]
    n = normalize_url("https://creativecommons.org/licenses/by/3.0/igo/")
    assert (n.license, n.jurisdiction) == ("CC-BY-3.0", "igo")  # type: ignore[union-attr]
    n = normalize_url("https://creativecommons.org/licenses/by-nc-sa/2.5/scotland/")
    assert (n.license, n.jurisdiction) == ("CC-BY-NC-SA-2.5", "scotland")  # type: ignore[union-attr]


@pytest.mark.parametrize("code", RS_CODES)
def test_every_rightsstatement_round_trips(code: str) -> None:
    url = f"http://rightsstatements.org/vocab/{code}/1.0/"
    n = normalize_url(url)
    assert n is not None
    assert n.license == f"RS-{code}-1.0"
    assert n.match == "exact"
    entry = get_catalog().get(n.license)
    assert entry is not None
    assert entry.url_for(None) == url
    assert len(entry.spellings) == 14  # labels in the 14 languages of the data model
    label = json.loads((DATA / "rightsstatements" / f"{code}_en.json").read_text())["prefLabel"]
    assert entry.title == label


def test_retired_and_unusual_tools_keep_ids() -> None:
    expected = {
        "https://creativecommons.org/licenses/sampling/1.0/": "CC-SAMPLING-1.0",
        "https://creativecommons.org/licenses/sampling+/1.0/de/": "CC-SAMPLING-PLUS-1.0",
        "https://creativecommons.org/licenses/nc-sampling+/1.0/tw/": "CC-NC-SAMPLING-PLUS-1.0",
        "https://creativecommons.org/licenses/devnations/2.0/": "CC-DEVNATIONS-2.0",
        "https://creativecommons.org/licenses/sa/1.0/": "CC-SA-1.0",
        "https://creativecommons.org/publicdomain/certification/1.0/us/": "CC-PDDC",
        "http://creativecommons.org/licenses/publicdomain/": "CC-PDDC",
    }
    for url, license_id in expected.items():
        assert normalize_url(url).license == license_id, url  # type: ignore[union-attr]
        assert get_catalog().get(license_id).retired  # type: ignore[union-attr]
    # 1.0 spells BY-NC-ND as by-nd-nc (not retired; the SPDX id is the later spelling)
    n = normalize_url("https://creativecommons.org/licenses/by-nd-nc/1.0/")
    assert n.license == "CC-BY-NC-ND-1.0"  # type: ignore[union-attr]


def test_every_entry_is_cited_and_classified() -> None:
    catalog = get_catalog()
    assert len(catalog) > 200
    for entry in catalog:
        assert entry.source, entry.id
        assert entry.rule_source, entry.id
        assert entry.survey in ("open", "not-open", "unknown"), entry.id
        assert entry.strict_od in ("open", "not-open", "unknown"), entry.id
        assert entry.basis in ("license", "public-domain-statement"), entry.id
        assert entry.od_conformance in ("approved", "rejected", "not reviewed", "", "not in data")
        # strict-od never opens what the survey policy does not
        if entry.strict_od == "open":
            assert entry.survey == "open", entry.id


def test_okfn_rows_are_all_known() -> None:
    """Every okfn license is in the catalog, under its own id or the SPDX id it maps to."""
    with open(DATA / build.OKFN_CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    catalog = get_catalog()
    renamed = {"ODC-BY-1.0": "ODC-By-1.0", "FAL-1.3": "LAL-1.3", "LO-FR-2.0": "etalab-2.0"}
    renamed["GFDL-1.3-no-cover-texts-no-invariant-sections"] = "GFDL-1.3-no-invariants-only"
    for row in rows:
        entry = catalog.get(renamed.get(row["id"], row["id"]))
        assert entry is not None, row["id"]
        assert entry.od_conformance == row["od_conformance"], row["id"]


def test_generic_ids_exist() -> None:
    catalog = get_catalog()
    for license_id in ("PDM-1.0", "NKC", "ARR", "RS-NKC-1.0", "CC-BY-SA", "GFDL-1.2-or-later"):
        assert catalog.get(license_id) is not None, license_id
    assert catalog.get("CC-PDM-1.0") is None  # the canonical id is PDM-1.0 (DESIGN.md §2)
    assert catalog.get(None) is None


def test_catalog_is_loaded_once() -> None:
    assert get_catalog() is get_catalog()
    assert json.loads((DATA / "catalog.json").read_text())["generated_by"].startswith(
        "rules/data/build.py"
    )


def test_every_cc_title_and_identifier_names_its_tool() -> None:
    """CSV titles (in the port's language) and identifiers ("CC BY-SA 2.5 NL") as field values."""
    for row in _cc_rows():
        want = normalize_url(row["CANONICAL_URL"])
        assert want is not None
        for value in (row["TITLE"], row["IDENTIFIER"]):
            n = normalize_value(value)
            assert n is not None, value
            assert n.license == want.license, value
            # a title shared by two ports ("Namensnennung 2.0": at and de) names no port
            assert n.jurisdiction in (want.jurisdiction, None), value
    n = normalize_value("CC BY 2.0 AT")
    assert n is not None
    assert (n.license, n.jurisdiction) == ("CC-BY-2.0", "at")


def test_every_rightsstatement_label_in_every_language() -> None:
    for entry in get_catalog():
        if entry.category != "rightsstatement":
            continue
        for lang, labels in entry.spellings.items():
            for label in labels:
                n = normalize_value(label)
                assert n is not None, (lang, label)
                assert (n.license, n.match) == (entry.id, "exact"), (lang, label)
                found = [m.normalized.license for m in find_in_text(f"Rights: {label}.")]
                if (
                    len(label.split()) > 1
                ):  # one-word labels ("Urheberrechtsschutz") are too common in prose
                    assert found == [entry.id], (lang, label)
