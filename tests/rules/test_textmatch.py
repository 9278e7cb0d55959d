"""Visible-text matching: whole phrases in many languages, with guards against false positives."""

from __future__ import annotations

import pytest

from rules.normalize import find_in_text, normalize_value


def ids(text: str) -> list[str | None]:
    return [m.normalized.license for m in find_in_text(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("This photograph is licensed under CC BY 4.0.", ["CC-BY-4.0"]),
        ("Creative Commons Attribution-ShareAlike 4.0 International License", ["CC-BY-SA-4.0"]),
        ("Image: Public domain", ["PDM-1.0"]),
        ("No known copyright restrictions", ["NKC"]),
        ("This photograph is out of copyright.", ["PDM-1.0"]),
        ("Out of copyright - non commercial re-use", ["EU-OOC-NC"]),
        ("© 2021 Museum of Things. All rights reserved.", ["ARR"]),
        # German
        ("Lizenz: Creative Commons Namensnennung 4.0 International", ["CC-BY-4.0"]),
        (
            "Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International",
            ["CC-BY-SA-4.0"],
        ),
        ("Dieses Werk ist gemeinfrei.", ["PDM-1.0"]),
        ("Ein gemeinfreies Werk", ["PDM-1.0"]),
        ("© 2023 Stadtmuseum. Alle Rechte vorbehalten.", ["ARR"]),
        ("Kein Urheberrechtsschutz - Vereinigte Staaten", ["RS-NoC-US-1.0"]),
        # French
        ("Cette image est dans le domaine public.", ["PDM-1.0"]),
        ("Tous droits réservés", ["ARR"]),
        ("Attribution - Partage dans les Mêmes Conditions 4.0 International", ["CC-BY-SA-4.0"]),
        # Dutch
        ("Publiek domein", ["PDM-1.0"]),
        ("Dit beeld valt in het publieke domein", ["PDM-1.0"]),
        (
            "Naamsvermelding-NietCommercieel-GeenAfgeleideWerken 4.0 Internationaal",
            ["CC-BY-NC-ND-4.0"],
        ),
        ("Alle rechten voorbehouden", ["ARR"]),
        ("Auteursrechtelijk beschermd", ["RS-InC-1.0"]),
        # Spanish
        ("Obra en dominio público", ["PDM-1.0"]),
        ("Atribución-CompartirIgual 4.0 Internacional", ["CC-BY-SA-4.0"]),
        ("Todos los derechos reservados", ["ARR"]),
        # Italian
        ("Opera di pubblico dominio", ["PDM-1.0"]),
        ("Attribuzione - Non commerciale 4.0 Internazionale", ["CC-BY-NC-4.0"]),
        ("Tutti i diritti riservati", ["ARR"]),
        # Swedish
        ("Erkännande-DelaLika 4.0 Internationell", ["CC-BY-SA-4.0"]),
        ("Alla rättigheter förbehållna", ["ARR"]),
        ("Ingen känd upphovsrätt", ["RS-NKC-1.0"]),
        # Finnish
        ("Nimeä 4.0 Kansainvälinen", ["CC-BY-4.0"]),
        ("Kaikki oikeudet pidätetään", ["ARR"]),
        ("Tekijänoikeuden piirissä", ["RS-InC-1.0"]),
        # Polish
        ("Uznanie autorstwa 4.0 Międzynarodowe", ["CC-BY-4.0"]),
        ("Domena publiczna", ["PDM-1.0"]),
        ("Wszelkie prawa zastrzeżone", ["ARR"]),
        # Danish
        ("Navngivelse-DelPåSammeVilkår 4.0 International", ["CC-BY-SA-4.0"]),
        ("Alle rettigheder forbeholdes", ["ARR"]),
        # Norwegian
        ("Navngivelse 4.0 Internasjonal", ["CC-BY-4.0"]),
        ("Alle rettigheter reservert", ["ARR"]),
        ("Norsk lisens for offentlige data (NLOD) 2.0", ["NLOD-2.0"]),
    ],
)
def test_multilingual_phrases(text: str, expected: list[str]) -> None:
    assert ids(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "This image is not in the public domain.",
        "This work is not out of copyright.",
        "Dieses Werk ist nicht gemeinfrei.",
        "Cette œuvre n'est pas dans le domaine public.",
        "Dit werk is niet in het publiek domein.",
        "Esta obra no es de dominio público.",
        "Quest'opera non è di pubblico dominio.",
        "Some rights reserved",
        "Public domains and private domains",
        "We care about public domain-like policies: not public domain here",
        "Attribution: John Smith",
        "Creative Commons is a non-profit organisation.",
        "See creativecommons.org/licenses/by/4.0/ for details",
        "Copyright law protects works.",
        "Ã©pp befejezett (mojibake: the © inside a word is no notice)",
        "© lowercase words are no holder",
        "In copyright law, a work may be protected.",
        "",
    ],
)
def test_false_positive_guards(text: str) -> None:
    assert find_in_text(text) == []


def test_offsets_and_phrase() -> None:
    text = "Photo by Jane. Licensed under Creative Commons Attribution 4.0 International."
    (m,) = find_in_text(text)
    assert text[m.start : m.end] == m.phrase == m.normalized.raw
    assert m.normalized.license == "CC-BY-4.0"
    assert m.normalized.match == "canonicalised"


def test_copyright_sign_beside_a_license_is_not_arr() -> None:
    assert ids("Photo © Jane Doe, CC BY-SA 4.0") == ["CC-BY-SA-4.0"]
    # another paragraph: the © line stands on its own
    assert ids("© 2020 Jane Doe\n\nAll images on this page: CC0") == ["ARR", "CC0-1.0"]
    (m,) = find_in_text("© Rijksmuseum")
    assert (m.normalized.license, m.phrase) == ("ARR", "©")
    footer = find_in_text("© 2024 Stedelijk Museum")
    assert [(m.normalized.license, m.normalized.match) for m in footer] == [("ARR", "heuristic")]


def test_version_lists_name_each_version() -> None:
    text = (
        "licensed under the Creative Commons Attribution-Share Alike 3.0 Unported,"
        " 2.5 Generic, 2.0 Generic and 1.0 Generic license."
    )
    assert ids(text) == ["CC-BY-SA-3.0", "CC-BY-SA-2.5", "CC-BY-SA-2.0", "CC-BY-SA-1.0"]
    assert ids("CC-BY-SA-3.0-2.5-2.0-1.0") == [
        "CC-BY-SA-3.0",
        "CC-BY-SA-2.5",
        "CC-BY-SA-2.0",
        "CC-BY-SA-1.0",
    ]


def test_family_mention_beside_a_versioned_one_adds_nothing() -> None:
    text = "GNU Free Documentation License, Version 1.2 or any later version. GFDL"
    assert ids(text) == ["GFDL-1.2-or-later"]
    assert ids("Available under CC BY-SA.") == ["CC-BY-SA"]


def test_ports_in_codes() -> None:
    (m,) = find_in_text("CC BY-SA 3.0 DE")
    assert (m.normalized.license, m.normalized.jurisdiction) == ("CC-BY-SA-3.0", "de")
    (m,) = find_in_text("licensed CC BY 4.0 to everyone")  # "to" is no port
    assert (m.normalized.license, m.normalized.jurisdiction, m.phrase) == (
        "CC-BY-4.0",
        None,
        "CC BY 4.0",
    )


def test_longest_phrase_wins() -> None:
    assert ids("No known copyright restrictions") == ["NKC"]  # not RS "No Known Copyright"
    assert ids("No Known Copyright") == ["RS-NKC-1.0"]
    assert ids("Public Domain Mark 1.0") == ["PDM-1.0"]
    assert ids("In Copyright - Educational Use Permitted") == ["RS-InC-EDU-1.0"]


def test_camel_joined_text_from_markup() -> None:
    # text_content() glues words of adjacent elements: a capital letter still ends a phrase
    # (a phrase only starts at a word boundary; the text extractor joins elements with spaces)
    assert ids("Public domainPublic domainfalsefalse") == ["PDM-1.0"]
    assert ids("CC BY-SA 4.0Licensing") == ["CC-BY-SA-4.0"]


@pytest.mark.parametrize(
    ("value", "license_id", "match"),
    [
        ("CC BY 4.0", "CC-BY-4.0", "exact"),
        ("CC-BY 4.0", "CC-BY-4.0", "canonicalised"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0", "canonicalised"),
        ("CC0", "CC0-1.0", "canonicalised"),
        ("CC0 1.0", "CC0-1.0", "exact"),
        ("Public Domain", "PDM-1.0", "heuristic"),
        ("Publiek Domein", "PDM-1.0", "heuristic"),
        ("In Copyright", "RS-InC-1.0", "exact"),
        ("No Copyright - United States", "RS-NoC-US-1.0", "exact"),
        ("All rights reserved", "ARR", "heuristic"),
        ("No known copyright restrictions", "NKC", "exact"),
        ("pdm", "PDM-1.0", "canonicalised"),
        ("CC BY-NC-ND", "CC-BY-NC-ND", "exact"),
        ("cc by nc nd", "CC-BY-NC-ND", "canonicalised"),
        ("Attribution-NonCommercial-ShareAlike 3.0 Unported", "CC-BY-NC-SA-3.0", "exact"),
        ("Licence Ouverte v2.0", "etalab-2.0", "exact"),
        ("licence ouverte V2.0", "etalab-2.0", "canonicalised"),
        ("odc-odbl", "ODbL-1.0", "canonicalised"),
        ("GFDL-1.2-or-later", "GFDL-1.2-or-later", "exact"),
        ("Public Domain Dedication (CC0)", "CC0-1.0", "exact"),
        ("Urheberrechtsschutz", "RS-InC-1.0", "exact"),
    ],
)
def test_values(value: str, license_id: str, match: str) -> None:
    n = normalize_value(value)
    assert n is not None
    assert (n.license, n.match) == (license_id, match)


@pytest.mark.parametrize(
    "value",
    ["", "   ", "Photograph", "Museum of Modern Art", "2021", "http://museum.example/terms"],
)
def test_values_naming_nothing(value: str) -> None:
    assert normalize_value(value) is None


def test_cc_port_titles_keep_their_jurisdiction() -> None:
    n = normalize_value("Namensnennung 3.0 Deutschland")
    assert n is not None
    assert (n.license, n.jurisdiction, n.match) == ("CC-BY-3.0", "de", "exact")
    (m,) = find_in_text(
        "Lizenz: Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 Deutschland"
    )
    assert (m.normalized.license, m.normalized.jurisdiction) == ("CC-BY-SA-3.0", "de")
    n = normalize_value("CC BY-NC-SA 2.5 SCOTLAND")
    assert n is not None
    assert (n.license, n.jurisdiction) == ("CC-BY-NC-SA-2.5", "scotland")


@pytest.mark.parametrize(
    ("value", "license_id", "jur"),
    [
        ("NoC-US", "RS-NoC-US-1.0", None),
        ("InC-EDU", "RS-InC-EDU-1.0", None),
        ("No Copyright - non-commercial re-use only", "RS-NoC-NC-1.0", None),  # Europeana label
        ("No Copyright - In the United States", "RS-NoC-US-1.0", None),  # DPLA label
        ("CC-BY-3.0-DE", "CC-BY-3.0", "de"),  # SPDX port ids fold to the unported id
        ("CC-BY-SA-2.0-UK", "CC-BY-SA-2.0", "uk"),
        ("CC-BY-NC-SA-2.5-SCOTLAND", "CC-BY-NC-SA-2.5", "scotland"),
        ("CC-BY-3.0-IGO", "CC-BY-3.0", "igo"),
        ("CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0", None),
    ],
)
def test_more_value_spellings(value: str, license_id: str, jur: str | None) -> None:
    n = normalize_value(value)
    assert n is not None
    assert (n.license, n.jurisdiction) == (license_id, jur)


def test_public_domain_naming_a_tool_is_not_a_status() -> None:
    assert ids("Public Domain Dedication") == []
    assert ids("This work is in the public domain. Mark it.") == ["PDM-1.0"]


def test_negation_needs_a_negating_word() -> None:
    assert ids("Dit werk is nu in het publiek domein.") == ["PDM-1.0"]  # Dutch "nu" = now
    assert ids("This work is not yet fully in the public domain.") == []
    assert ids("Status: In Copyright") == ["RS-InC-1.0"]


@pytest.mark.parametrize(
    ("value", "license_id", "match"),
    [
        ("Public Domain (CC0)", "CC0-1.0", "canonicalised"),
        ("CC0 Public Domain", "CC0-1.0", "canonicalised"),
        ("No Copyright - United States (Public Domain)", "RS-NoC-US-1.0", "canonicalised"),
        (
            "Creative Commons Attribution 4.0 International License (CC-BY 4.0)",
            "CC-BY-4.0",
            "canonicalised",
        ),
        ("© 2019 Rijksmuseum", "ARR", "heuristic"),
        ("Copyright: Public Domain", "PDM-1.0", "heuristic"),
    ],
)
def test_values_read_as_prose(value: str, license_id: str, match: str) -> None:
    n = normalize_value(value)
    assert n is not None
    assert (n.license, n.match) == (license_id, match)


def test_a_public_domain_gloss_elsewhere_still_counts() -> None:
    assert ids("Public domain. Also see CC0 for the metadata.") == ["PDM-1.0", "CC0-1.0"]
    assert normalize_value("CC BY 4.0 / CC0") is None  # two licenses: not one value


def test_text_whose_lower_case_is_longer() -> None:
    """ "İ".lower() is two characters: offsets must still point into the original text."""
    text = "İstanbul: Public domain. Creative Commons Namensnennung 4.0\n\n© 2021 İstanbul Müzesi"
    assert len(text.lower()) != len(text)
    found = find_in_text(text)
    assert [m.normalized.license for m in found] == ["PDM-1.0", "CC-BY-4.0", "ARR"]
    for m in found:
        assert text[m.start : m.end] == m.phrase


def test_nearby_signals_in_one_long_text() -> None:
    filler = "Lorem ipsum dolor sit amet, access granted. " * 4
    text = f"{filler}CC BY-SA 3.0 {filler}Attribution-NonCommercial 4.0 International {filler * 20}"
    assert ids(text) == ["CC-BY-SA-3.0", "CC-BY-NC-4.0"]
    assert ids(filler * 50 + "Creative Commons Attribution 2.5 Generic") == ["CC-BY-2.5"]
