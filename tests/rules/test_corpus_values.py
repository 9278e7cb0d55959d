"""Every license value and label of the hand-labelled corpus means what the labels say.

The raw values below are copied from the corpus documents (tests/fixtures/corpus/docs); the
extraction engineer's golden test runs whole documents, this one pins the rules engine's part.
"""

from __future__ import annotations

from typing import Any

import pytest

from rules.catalog import get_catalog
from rules.classify import make_assertion, page_verdict
from rules.model import Normalized
from rules.normalize import find_in_text, normalize_button, normalize_value

CORPUS_VALUES = {
    # Europeana EDM / IIIF / Search API
    "http://creativecommons.org/publicdomain/mark/1.0/": "PDM-1.0",
    "http://rightsstatements.org/vocab/InC/1.0/": "RS-InC-1.0",
    "http://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
    "Public Domain": "PDM-1.0",
    "Publiek Domein": "PDM-1.0",
    # museum APIs
    "CC0": "CC0-1.0",  # Cleveland share_license_status, Smithsonian usage.access
    "https://creativecommons.org/share-your-work/public-domain/cc0/": "CC0-1.0",  # SMK
    "CC BY 4.0": "CC-BY-4.0",  # Finna copyright
    # Wikimedia Commons extmetadata
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "CC BY-SA 4.0": "CC-BY-SA-4.0",
    "https://creativecommons.org/licenses/by-sa/4.0": "CC-BY-SA-4.0",
    "Creative Commons Attribution-Share Alike 4.0": "CC-BY-SA-4.0",
    # National Library of Wales IIIF
    "http://hdl.handle.net/10107/Copyright_AllRightsReserved": "ARR",
    # Flickr licenses.getInfo names and URLs
    "All Rights Reserved": "ARR",
    "No known copyright restrictions": "NKC",
    "https://www.flickr.com/commons/usage/": "NKC",
    "http://flickr.com/commons/usage/": "NKC",
    "CC BY-NC-ND 2.0": "CC-BY-NC-ND-2.0",
    "https://creativecommons.org/licenses/by-nc-nd/2.0/": "CC-BY-NC-ND-2.0",
    "Public Domain Dedication (CC0)": "CC0-1.0",
    "Public Domain Mark": "PDM-1.0",
    "United States Government Work": "FLICKR-USGOV",
    "https://www.usa.gov/government-copyright": "FLICKR-USGOV",
    # Commons HTML license templates
    "http://creativecommons.org/licenses/by-sa/3.0": "CC-BY-SA-3.0",
    "CC-BY-SA-3.0": "CC-BY-SA-3.0",
    "http://creativecommons.org/licenses/by-sa/2.5": "CC-BY-SA-2.5",
    "GNU Free Documentation License, Version 1.2 or any later version": "GFDL-1.2-or-later",
}


@pytest.mark.parametrize(("raw", "license_id"), sorted(CORPUS_VALUES.items()))
def test_corpus_values(raw: str, license_id: str) -> None:
    n = normalize_value(raw)
    assert n is not None, raw
    assert n.license == license_id, raw


def test_commons_multi_license_prose() -> None:
    text = (
        "Permission is granted to copy, distribute and/or modify this document under the terms "
        "of the GNU Free Documentation License, Version 1.2 or any later version published by the "
        "Free Software Foundation; with no Invariant Sections. http://www.gnu.org/copyleft/fdl.html"
        "GFDLGNU Free Documentation Licensetruetrue This file is licensed under the Creative "
        "Commons Attribution-Share Alike 3.0 Unported, 2.5 Generic, 2.0 Generic and 1.0 Generic "
        "license. CC-BY-SA-3.0-2.5-2.0-1.0 Creative Commons Attribution-Share Alike 3.0-2.5-2.0-1.0"
    )
    found = {m.normalized.license for m in find_in_text(text)}
    assert found == {
        "GFDL-1.2-or-later",
        "CC-BY-SA-3.0",
        "CC-BY-SA-2.5",
        "CC-BY-SA-2.0",
        "CC-BY-SA-1.0",
    }


def test_ccrel_guide_buttons() -> None:
    assert (
        normalize_button("http://i.creativecommons.org/l/by/3.0/us/88x31.png").license
        == "CC-BY-3.0"
    )  # type: ignore[union-attr]
    assert (
        normalize_button("http://i.creativecommons.org/p/zero/1.0/88x31.png").license == "CC0-1.0"
    )  # type: ignore[union-attr]


def test_manifest_labels_are_catalog_ids_with_the_labelled_verdict(
    corpus_manifest: list[dict[str, Any]],
) -> None:
    """Every labelled object license is known, and the labels' licenses give the labelled verdict.

    `LicenseRef-…` labels are institution-specific (not catalog ids, by definition).
    """
    catalog = get_catalog()
    checked = 0
    for doc in corpus_manifest:
        labels = [x for x in doc["object_licenses"] if not x.startswith("LicenseRef-")]
        for license_id in labels + doc["site_licenses"]:
            assert catalog.get(license_id) is not None, (doc["file"], license_id)
        if len(labels) != len(doc["object_licenses"]) or not labels:
            continue
        assertions = [
            make_assertion(
                Normalized(x, None, "exact", x),
                method="api-field",
                scope="object",
                snippet=x,
                source_url=doc["base_url"],
            )
            for x in labels
        ]
        expected = {True: "open", False: "not-open", None: "unknown"}[doc["open"]]
        assert page_verdict(assertions) == expected, doc["file"]
        checked += 1
    assert checked >= 25
