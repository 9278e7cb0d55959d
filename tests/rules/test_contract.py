"""The contract functions other packages code against: one example per promise."""

from __future__ import annotations

from rules.classify import classify, make_assertion, object_licenses, page_verdict
from rules.model import Normalized
from rules.normalize import find_in_text, normalize_button, normalize_url, normalize_value


def test_url_forms_fold_to_one_id() -> None:
    for raw in (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "http://creativecommons.org/licenses/by-sa/4.0",
        "//www.creativecommons.org/licenses/by-sa/4.0/deed.de",
        " <https://creativecommons.org/licenses/by-sa/4.0/legalcode.fr>; ",
        "HTTPS://CreativeCommons.org/licenses/BY-SA/4.0/?ref=chooser-v1#x",
    ):
        n = normalize_url(raw)
        assert n is not None, raw
        assert n.license == "CC-BY-SA-4.0", raw
        assert n.raw == raw


def test_exact_and_canonicalised() -> None:
    assert normalize_url("https://creativecommons.org/licenses/by/4.0/").match == "exact"  # type: ignore[union-attr]
    assert (
        normalize_url("https://creativecommons.org/licenses/by/4.0/deed.nl").match
        == "canonicalised"
    )  # type: ignore[union-attr]


def test_port_keeps_jurisdiction() -> None:
    n = normalize_url("http://creativecommons.org/licenses/by-sa/2.5/nl/")
    assert n == Normalized(
        "CC-BY-SA-2.5", "nl", "exact", "http://creativecommons.org/licenses/by-sa/2.5/nl/"
    )


def test_unknown_tool_on_license_host_is_kept_not_guessed() -> None:
    n = normalize_url("https://creativecommons.org/licenses/by/9.9/")
    assert n is not None
    assert n.license is None
    assert n.match == "none"
    assert normalize_url("https://example.org/licenses/by/4.0/") is None


def test_rightsstatements_views() -> None:
    for raw in (
        "http://rightsstatements.org/vocab/InC/1.0/",
        "https://rightsstatements.org/page/InC/1.0/?language=en",
        "http://rightsstatements.org/data/InC/1.0.json",
        "http://rightsstatements.org/vocab/inc/1.0",
    ):
        assert normalize_url(raw).license == "RS-InC-1.0", raw  # type: ignore[union-attr]


def test_buttons() -> None:
    assert normalize_button("https://i.creativecommons.org/l/by/3.0/de/80x15.png") == Normalized(
        "CC-BY-3.0", "de", "canonicalised", "https://i.creativecommons.org/l/by/3.0/de/80x15.png"
    )
    assert normalize_button("https://licensebuttons.net/p/mark/1.0/88x31.png").license == "PDM-1.0"  # type: ignore[union-attr]
    assert normalize_button("https://example.org/logo.png") is None


def test_values() -> None:
    expected = {
        "CC BY 4.0": "CC-BY-4.0",
        "CC-BY-SA-3.0": "CC-BY-SA-3.0",
        "cc0": "CC0-1.0",
        "Public Domain": "PDM-1.0",
        "Publiek Domein": "PDM-1.0",
        "In Copyright": "RS-InC-1.0",
        "All rights reserved": "ARR",  # heuristic: a generic statement
        "No known copyright restrictions": "NKC",
        "pdm": "PDM-1.0",
        "CC BY-SA": "CC-BY-SA",
        "http://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
    }
    for raw, license_id in expected.items():
        n = normalize_value(raw)
        assert n is not None, raw
        assert n.license == license_id, raw
    assert normalize_value("Photograph by the museum") is None


def test_text_negation_and_copyright() -> None:
    assert find_in_text("This image is not in the public domain.") == []
    found = find_in_text("© 2021 Rijksmuseum")
    assert [(m.normalized.license, m.normalized.match) for m in found] == [("ARR", "heuristic")]
    m = find_in_text("Licensed under CC BY 4.0.")[0]
    assert (m.normalized.license, m.phrase, m.start) == ("CC-BY-4.0", "CC BY 4.0", 15)


def test_classify_and_assertions() -> None:
    assert classify("CC-BY-3.0").verdict == "open"
    assert classify("CC-BY-NC-4.0").verdict == "not-open"
    assert classify(None).verdict == "unknown"
    assert classify("no-such-id").verdict == "unknown"
    a = make_assertion(
        Normalized("RS-InC-1.0", None, "exact", "http://rightsstatements.org/vocab/InC/1.0/"),
        method="rel-license",
        scope="object",
        snippet="x" * 400,
        source_url="https://museum.example/object/1",
        position="main",
    )
    assert a.verdict == "not-open"
    assert len(a.snippet) == 300
    assert a.rule_source
    footer = make_assertion(
        Normalized("CC-BY-4.0", None, "exact", "https://creativecommons.org/licenses/by/4.0/"),
        method="rel-license",
        scope="site",
        snippet="",
        source_url="https://museum.example/object/1",
    )
    assert page_verdict([a, footer]) == "not-open"
    assert object_licenses([a, footer]) == ("RS-InC-1.0",)


def test_spdx_and_legacy_license_urls() -> None:
    assert normalize_url("https://spdx.org/licenses/CC-BY-4.0.html").license == "CC-BY-4.0"  # type: ignore[union-attr]
    assert normalize_url("https://spdx.org/licenses/etalab-2.0.json").license == "etalab-2.0"  # type: ignore[union-attr]
    assert normalize_url("https://spdx.org/licenses/NOPE.html").license is None  # type: ignore[union-attr]
    assert normalize_url("http://opendefinition.org/licenses/cc-by/").license == "CC-BY"  # type: ignore[union-attr]
    assert normalize_url("http://www.europeana.eu/rights/rr-f/").license == "EU-RR-F"  # type: ignore[union-attr]
    assert normalize_url("https://www.govdata.de/dl-de/by-2-0").license == "DL-DE-BY-2.0"  # type: ignore[union-attr]


def test_escaped_markup_around_a_deed_url() -> None:
    n = normalize_url("http://creativecommons.org/licenses/by/4.0/deed.en&quot;")
    assert n is not None
    assert n.license == "CC-BY-4.0"
    assert normalize_url("https://creativecommons.org/licenses/by/4.0/deedx").license is None  # type: ignore[union-attr]


def test_badge_image_given_as_a_url() -> None:
    n = normalize_url("https://licensebuttons.net/l/by-sa/4.0/88x31.png")
    assert n is not None
    assert (n.license, n.match) == ("CC-BY-SA-4.0", "canonicalised")
