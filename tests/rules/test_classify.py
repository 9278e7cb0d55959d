"""Verdicts per id and policy, the decisions where sources disagree, and the page verdict."""

from __future__ import annotations

import pytest

from rules.catalog import get_catalog
from rules.classify import classify, make_assertion, object_licenses, page_verdict
from rules.model import Assertion, Normalized


@pytest.mark.parametrize("unit", ["BY", "BY-SA"])
@pytest.mark.parametrize("version", ["1.0", "2.0", "2.5", "3.0"])
def test_od_page_beats_okfn_absence_for_cc_by_and_by_sa_1_to_3(unit: str, version: str) -> None:
    """OD page: conformant incl. ports; okfn data has no row. Decision: follow the OD page."""
    license_id = f"CC-{unit}-{version}"
    entry = get_catalog().get(license_id)
    assert entry is not None
    assert entry.od_conformance == "not in data"  # the disagreement stays visible
    for policy in ("survey", "strict-od"):
        c = classify(license_id, policy)
        assert c.verdict == "open"
        assert c.basis == "license"
        assert "OD page" in c.rule_source


def test_cc_4_0_follows_okfn_data() -> None:
    assert get_catalog().get("CC-BY-4.0").od_conformance == "approved"  # type: ignore[union-attr]
    assert get_catalog().get("CC-BY-ND-4.0").od_conformance == "rejected"  # type: ignore[union-attr]
    for license_id, verdict in {
        "CC-BY-4.0": "open",
        "CC-BY-SA-4.0": "open",
        "CC-BY-NC-4.0": "not-open",
        "CC-BY-ND-4.0": "not-open",
        "CC-BY-NC-SA-4.0": "not-open",
        "CC-BY-NC-ND-4.0": "not-open",
        "CC0-1.0": "open",
    }.items():
        assert classify(license_id).verdict == verdict, license_id
        assert classify(license_id, "strict-od").verdict == verdict, license_id


def test_noc_us_decision() -> None:
    assert classify("RS-NoC-US-1.0", "survey").verdict == "open"
    assert classify("RS-NoC-US-1.0", "survey").basis == "public-domain-statement"
    assert classify("RS-NoC-US-1.0", "strict-od").verdict == "unknown"


def test_etalab_decision() -> None:
    entry = get_catalog().get("etalab-2.0")
    assert entry is not None
    assert entry.od_conformance == "not reviewed"
    assert classify("etalab-2.0", "survey").verdict == "unknown"
    assert classify("etalab-2.0", "strict-od").verdict == "unknown"


def test_gfdl_decision() -> None:
    for license_id in ("GFDL", "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3-or-later"):
        assert classify(license_id).verdict == "unknown", license_id
    for license_id in ("GFDL-1.3-no-invariants-only", "GFDL-1.2-no-invariants-or-later"):
        assert classify(license_id).verdict == "open", license_id
        assert classify(license_id, "strict-od").verdict == "open", license_id


def test_public_domain_statements_depend_on_policy() -> None:
    for license_id in ("PDM-1.0", "NKC", "RS-NKC-1.0", "CC-PDDC"):
        survey = classify(license_id, "survey")
        assert (survey.verdict, survey.basis) == ("open", "public-domain-statement"), license_id
        assert classify(license_id, "strict-od").verdict == "unknown", license_id


def test_statements_granting_nothing_are_not_open_under_both() -> None:
    closed = ["RS-InC-1.0", "RS-InC-EDU-1.0", "RS-InC-NC-1.0", "RS-InC-OW-EU-1.0", "RS-InC-RUU-1.0"]
    closed += [
        "RS-CNE-1.0",
        "RS-UND-1.0",
        "RS-NoC-CR-1.0",
        "RS-NoC-NC-1.0",
        "RS-NoC-OKLR-1.0",
        "ARR",
    ]
    for license_id in closed:
        for policy in ("survey", "strict-od"):
            assert classify(license_id, policy).verdict == "not-open", (license_id, policy)


def test_government_licences() -> None:
    assert classify("OGL-UK-3.0").verdict == "open"
    assert classify("OGL-UK-1.0").verdict == "unknown"
    assert classify("DL-DE-BY-2.0").verdict == "open"  # OD page, no okfn row
    assert classify("DL-DE-BY-NC-1.0").verdict == "not-open"
    assert classify("NLOD-2.0").verdict == "unknown"


def test_version_less_family_keeps_the_family_verdict() -> None:
    assert classify("CC-BY-SA").verdict == "open"
    assert classify("CC-BY-NC").verdict == "not-open"


def test_unknown_ids_and_policies() -> None:
    assert classify("LicenseRef-Museum").verdict == "unknown"
    assert classify(None, "strict-od").verdict == "unknown"
    with pytest.raises(ValueError, match="policy"):
        classify("CC-BY-4.0", "lenient")


def _a(license_id: str | None, scope: str = "object") -> Assertion:
    return make_assertion(
        Normalized(license_id, None, "exact", license_id or "https://museum.example/terms"),
        method="rel-license",
        scope=scope,
        snippet="<a rel=license>",
        source_url="https://museum.example/object/1",
    )


@pytest.mark.parametrize(
    ("assertions", "verdict"),
    [
        ([], "unknown"),
        ([_a("CC-BY-4.0", "site")], "unknown"),  # no object-scope signal: never "not open"
        ([_a("CC0-1.0")], "open"),
        ([_a("CC-BY-SA-3.0"), _a("GFDL-1.2-or-later")], "open"),  # dual licensing
        ([_a("CC-BY-SA-3.0"), _a(None)], "open"),  # open beside an unrecognised one
        ([_a("CC-BY-4.0", "site"), _a("RS-InC-1.0")], "not-open"),  # footer CC BY, object InC
        ([_a("CC0-1.0"), _a("CC-BY-NC-4.0")], "conflict"),
        ([_a("RS-InC-1.0"), _a(None)], "not-open"),
        ([_a(None)], "unknown"),
        ([_a("CC0-1.0", "metadata"), _a("RS-CNE-1.0")], "not-open"),
    ],
)
def test_page_verdict(assertions: list[Assertion], verdict: str) -> None:
    assert page_verdict(assertions) == verdict


def test_object_licenses_sorted_unique_object_only() -> None:
    got = object_licenses(
        [
            _a("CC-BY-SA-3.0"),
            _a("GFDL-1.2-or-later"),
            _a("CC-BY-SA-3.0"),
            _a(None),
            _a("ARR", "site"),
        ]
    )
    assert got == ("CC-BY-SA-3.0", "GFDL-1.2-or-later")


def test_make_assertion_keeps_evidence_and_policy() -> None:
    n = Normalized("NKC", None, "canonicalised", "https://www.flickr.com/commons/usage/")
    a = make_assertion(
        n,
        method="api-field",
        scope="object",
        snippet="  license:\n 7  ",
        source_url="https://flickr.example/p/1",
        position="record",
        policy="strict-od",
    )
    assert (a.license, a.raw, a.match, a.position) == ("NKC", n.raw, "canonicalised", "record")
    assert (a.verdict, a.basis) == ("unknown", "public-domain-statement")
    assert a.snippet == "license: 7"
    assert a.rule_source.startswith("strict-od:")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("license_id", "od_page", "od_data"),
    [
        ("CC-BY-2.0", "conformant", "not in data"),  # OD page vs okfn data: both recorded
        ("CC-BY-SA-3.0", "conformant", "not in data"),
        ("CC-BY-4.0", "conformant", "approved"),
        ("CC-BY-NC-4.0", "non-conformant", "rejected"),
        ("DL-DE-BY-2.0", "conformant", "not in data"),
        ("OGL-UK-1.0", "not approved", "not reviewed"),
        ("etalab-2.0", "not listed", "not reviewed"),
        ("GFDL-1.2-or-later", "conformant only without invariant sections", "not in data"),
        ("GFDL-1.3-no-invariants-only", "conformant", "approved"),
        ("RS-NoC-US-1.0", "not listed", "not in data"),
    ],
)
def test_both_od_sources_are_recorded(license_id: str, od_page: str, od_data: str) -> None:
    entry = get_catalog().get(license_id)
    assert entry is not None
    assert (entry.od_page, entry.od_conformance) == (od_page, od_data)


def test_object_licenses_fold_a_family_into_its_versioned_id() -> None:
    """One definition serves the page result, the store's drift key and the reports: a
    version-less family beside a versioned id of that family is the same statement."""
    from types import SimpleNamespace

    from rules.classify import object_licenses

    def sig(lic: str | None, scope: str = "object") -> SimpleNamespace:
        return SimpleNamespace(license=lic, scope=scope)

    assert object_licenses([sig("CC-BY-SA"), sig("CC-BY-SA-3.0"), sig("GFDL-1.2-or-later")]) == (
        "CC-BY-SA-3.0",
        "GFDL-1.2-or-later",
    )
    assert object_licenses([sig("CC-BY-SA")]) == ("CC-BY-SA",)  # a family alone stays
    assert object_licenses([sig("CC-BY"), sig("CC-BY-SA-4.0")]) == ("CC-BY", "CC-BY-SA-4.0")
    assert object_licenses([sig("CC0-1.0", "site"), sig(None)]) == ()
