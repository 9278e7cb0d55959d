"""Property tests: every variant of a catalog URL maps to its id; other URLs map to nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import urlkey
from rules.catalog import get_catalog
from rules.normalize import normalize_button, normalize_url, normalize_value

CATALOG_URLS = sorted(
    {(url, entry.id, jur) for entry in get_catalog() for url, jur in entry.urls},
)
CC_URLS = [u for u in CATALOG_URLS if "creativecommons.org/" in u[0]]
RS_URLS = [u for u in CATALOG_URLS if "rightsstatements.org/" in u[0]]
LANGS = st.sampled_from(["en", "de", "fr", "nl", "pt-br", "en_US", "zh-hant", "sr-latn", "es-es"])


@st.composite
def variants(
    draw: st.DrawFn, pool: list[tuple[str, str, str | None]]
) -> tuple[str, str, str | None]:
    url, license_id, jur = draw(st.sampled_from(pool))
    scheme, rest = url.split("://", 1)
    host, _, path = rest.partition("/")
    scheme = draw(st.sampled_from(["http", "https", "HTTP", ""]))
    if draw(st.booleans()) and not host.startswith("www."):
        host = "www." + host
    if draw(st.booleans()):
        host = host.upper()
    if draw(st.booleans()):
        path = path.upper()
    if "creativecommons.org" in host.lower():
        tail = draw(
            st.sampled_from(["", "deed", "legalcode", "rdf", "legalcode.txt"])
            | LANGS.map(lambda lang: f"deed.{lang}")
            | LANGS.map(lambda lang: f"legalcode.{lang}")
        )
        path = path.rstrip("/") + ("/" + tail if tail else "")
    if "rightsstatements.org" in host.lower():
        view = draw(st.sampled_from(["vocab", "page", "data"]))
        path = view + path[len("vocab") :]
        if view == "data" and draw(st.booleans()):
            path = path.rstrip("/") + ".json"
    if draw(st.booleans()):
        path = path.rstrip("/")
    query = draw(st.sampled_from(["", "?ref=chooser-v1", "?language=en", "?lang=de&x=1"]))
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    body = f"{host}/{path}{query}{fragment}"
    raw = f"{scheme}://{body}" if scheme else f"//{body}"
    left, right = draw(
        st.sampled_from([("", ""), (" ", "\n"), ("<", ">"), ('"', '";'), ("(", ")."), ("", ",")])
    )
    return left + raw + right, license_id, jur


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants(CC_URLS + RS_URLS))
def test_canonicalisation_variants_map_to_the_same_id(case: tuple[str, str, str | None]) -> None:
    raw, license_id, jur = case
    n = normalize_url(raw)
    assert n is not None, raw
    assert (n.license, n.jurisdiction) == (license_id, jur), raw
    assert n.raw == raw
    assert n.match in ("exact", "canonicalised")
    assert normalize_value(raw) == n


@settings(max_examples=300, deadline=None)
@given(variants([u for u in CATALOG_URLS if u not in CC_URLS and u not in RS_URLS]))
def test_other_license_hosts_fold_too(case: tuple[str, str, str | None]) -> None:
    raw, license_id, _ = case
    n = normalize_url(raw)
    assert n is not None, raw
    assert n.license == license_id, raw


LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).filter(
    lambda s: not s.startswith("-") and not s.endswith("-")
)
LICENSE_HOSTS = {p.split("/", 1)[0] for p in urlkey.get_index().prefixes} | set(
    urlkey.WHOLE_LICENSE_HOSTS
)


@settings(max_examples=300, deadline=None)
@given(
    host=st.lists(LABEL, min_size=1, max_size=3).map(".".join),
    tld=st.sampled_from(["com", "org", "nl", "museum", "de", "example"]),
    path=st.lists(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.~", max_size=10), max_size=5
    ).map("/".join),
    scheme=st.sampled_from(["http", "https"]),
)
def test_random_non_license_urls_map_to_nothing(
    host: str, tld: str, path: str, scheme: str
) -> None:
    domain = f"{host}.{tld}"
    if domain.removeprefix("www.") in LICENSE_HOSTS:
        return
    raw = f"{scheme}://{domain}/{path}"
    assert normalize_url(raw) is None, raw
    assert normalize_button(raw) is None, raw


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_values_never_raise(raw: str) -> None:
    n = normalize_value(raw)
    assert n is None or n.raw == raw
    normalize_url(raw)
    normalize_button(raw)


# One unknown path on every license host and every license path prefix: kept, never guessed.
NO_MATCH_URLS = sorted(
    {f"https://{host}/no-such-tool/9.9/" for host in urlkey.WHOLE_LICENSE_HOSTS}
    | {f"https://{prefix}/no-such-tool/" for prefix in urlkey.get_index().prefixes if "/" in prefix}
    | {
        "https://creativecommons.org/licenses/by/",
        "https://creativecommons.org/licenses/",
        "https://creativecommons.org/licenses/by/5.0/",
        "https://creativecommons.org/licenses/by/3.0/xx/",
        "https://creativecommons.org/licenses/by-sa/2.1/",  # 2.1 exists only as ports
        "https://creativecommons.org/about/",
        "https://rightsstatements.org/vocab/InC/2.0/",
        "https://rightsstatements.org/vocab/collection-ic/1.0/",
        "https://rightsstatements.org/vocab/1.0/",
        "http://rightsstaments.org/vocab/Inc/;",
        "https://opendatacommons.org/licenses/odbl/2.0/",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/4/",
        "https://www.govdata.de/dl-de/by-3-0",
    }
)


@pytest.mark.parametrize("url", NO_MATCH_URLS)
def test_no_match_on_every_license_host(url: str) -> None:
    n = normalize_url(url)
    assert n is not None, url
    assert n.license is None
    assert n.match == "none"
    assert n.raw == url


@pytest.mark.parametrize(
    "src",
    [
        "https://licensebuttons.net/p/88x31.png",
        "https://licensebuttons.net/l/by/9.9/88x31.png",
        "https://i.creativecommons.org/l/nonsense/88x31.png",
        "https://mirrors.creativecommons.org/presskit/icons/by.svg?ref=chooser-v1",
        "https://rightsstatements.org/files/icons/InC.Icon-Only.dark.svg",
        "https://rightsstatements.org/files/buttons/XYZ.dark.svg",
    ],
)
def test_button_no_match(src: str) -> None:
    n = normalize_button(src)
    assert n is not None
    assert n.license is None
    assert n.match == "none"


@pytest.mark.parametrize(
    ("src", "license_id", "jur"),
    [
        ("https://licensebuttons.net/l/by-sa/4.0/88x31.png", "CC-BY-SA-4.0", None),
        ("http://i.creativecommons.org/l/by/3.0/us/88x31.png", "CC-BY-3.0", "us"),
        ("https://licensebuttons.net/l/by/3.0/de/80x15.png", "CC-BY-3.0", "de"),
        ("//i.creativecommons.org/l/by-nc-sa/1.0/nl/88x31.png", "CC-BY-NC-SA-1.0", "nl"),
        ("https://i.creativecommons.org/p/zero/1.0/88x31.png", "CC0-1.0", None),
        ("https://i.creativecommons.org/l/zero/1.0/80x15.png", "CC0-1.0", None),
        ("http://i.creativecommons.org/p/mark/1.0/88x31.png", "PDM-1.0", None),
        ("https://licensebuttons.net/l/publicdomain/88x31.png", "CC-PDDC", None),
        ("https://licensebuttons.net/i/l/by-nc/transparent/00/00/00/88x31-e.png", "CC-BY-NC", None),
        ("https://licensebuttons.net/i/p/cc-zero/ffffff/00/00/00/76x22.png", "CC0-1.0", None),
        (
            "https://mirrors.creativecommons.org/presskit/buttons/88x31/png/by-nc-nd.png",
            "CC-BY-NC-ND",
            None,
        ),
        (
            "https://mirrors.creativecommons.org/presskit/buttons/88x31/svg/cc-zero.svg",
            "CC0-1.0",
            None,
        ),
        (
            "https://rightsstatements.org/files/buttons/NoC-US.dark-white-interior.png",
            "RS-NoC-US-1.0",
            None,
        ),
        ("http://rightsstatements.org/files/buttons/InC-EDU.white.svg", "RS-InC-EDU-1.0", None),
    ],
)
def test_buttons(src: str, license_id: str, jur: str | None) -> None:
    n = normalize_button(src)
    assert n is not None
    assert (n.license, n.jurisdiction) == (license_id, jur)
