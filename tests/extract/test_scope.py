"""Scope from structure: RDFa subject first, then landmarks, then page level."""

from __future__ import annotations

import lxml.html
import pytest

from rules.model import Assertion
from rules.scope import element_scope, resolve_page_level, type_scope

BASE = "https://museum.example/object/1"


def _scope_of(html: str, xpath: str = "//*[@id='x']") -> tuple[str, str]:
    root = lxml.html.document_fromstring(html)
    (el,) = root.xpath(xpath)
    return element_scope(el, BASE)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<body><footer><a id='x'>l</a></footer></body>", ("site", "footer")),
        ("<body><div role='contentinfo'><a id='x'>l</a></div></body>", ("site", "footer")),
        ("<body><div id='site-footer'><p><a id='x'>l</a></p></div></body>", ("site", "footer")),
        ("<body><div class='page copyright'><a id='x'>l</a></div></body>", ("site", "copyright")),
        ("<body><nav><a id='x'>l</a></nav></body>", ("site", "nav")),
        ("<body><header><a id='x'>l</a></header></body>", ("site", "header")),
        ("<body><main><p><a id='x'>l</a></p></main></body>", ("object", "main")),
        ("<body><div role='main'><a id='x'>l</a></div></body>", ("object", "main")),
        (
            "<body><article><footer><a id='x'>l</a></footer></article></body>",
            ("object", "article>footer"),
        ),
        ("<body><div><a id='x'>l</a></div></body>", ("object", "body")),
        ("<head><link id='x' rel='license' href='u'></head><body></body>", ("object", "head")),
        # the body's own classes never make everything chrome
        (
            "<body class='new-footer with-header'><div><a id='x'>l</a></div></body>",
            ("object", "body"),
        ),
        # an explicit RDFa subject beats a landmark
        (
            "<body><div id='footer'><div about='img.jpg'><a id='x'>l</a></div></div></body>",
            ("object", "rdfa-about"),
        ),
        (
            "<body><div id='footer' about='' typeof='cc:Work'><a id='x'>l</a></div></body>",
            ("object", "rdfa-work"),
        ),
        ("<body><div about='#frag'><a id='x'>l</a></div></body>", ("object", "rdfa-about")),
        ("<body><div resource='/img/1.jpg'><a id='x'>l</a></div></body>", ("object", "rdfa-about")),
        (
            "<body><footer><span rel='cc:license' resource='u' id='x'></span></footer></body>",
            ("site", "footer"),
        ),
        ("<body><footer><div about=''><a id='x'>l</a></div></footer></body>", ("site", "footer")),
        (
            "<body><div typeof='schema:Organization'><a id='x'>l</a></div></body>",
            ("site", "rdfa-site"),
        ),
    ],
)
def test_element_scope(html: str, expected: tuple[str, str]) -> None:
    assert _scope_of(html) == expected


def _a(scope: str, position: str, license: str = "CC-BY-4.0") -> Assertion:
    return Assertion(
        license=license,
        jurisdiction=None,
        method="rel-license",
        scope=scope,
        raw="r",
        snippet="s",
        verdict="open",
        source_url=BASE,
        position=position,
    )


def test_page_level_is_the_object_when_nothing_more_specific_speaks() -> None:
    got = resolve_page_level([_a("object", "head"), _a("site", "footer", "CC0-1.0")])
    assert [a.scope for a in got] == ["object", "site"]


def test_head_statement_repeating_the_chrome_license_is_the_sites() -> None:
    got = resolve_page_level([_a("object", "head"), _a("site", "footer")])
    assert [a.scope for a in got] == ["site", "site"]
    body = resolve_page_level([_a("object", "body"), _a("site", "footer")])
    assert [a.scope for a in body] == ["object", "site"], "body text is not a CMS setting"


def test_page_level_becomes_site_beside_an_explicit_object_statement() -> None:
    got = resolve_page_level(
        [_a("object", "head"), _a("object", "body"), _a("object", "main", "RS-InC-1.0")]
    )
    assert [a.scope for a in got] == ["site", "site", "object"]


def test_type_scope() -> None:
    assert type_scope(["WebSite"]) == "site"
    assert type_scope(["http://schema.org/Museum"]) == "site"
    assert type_scope(["WebPage"]) == "page"
    assert type_scope(["VisualArtwork"]) == "object"
    assert type_scope(["dcterms:RightsStatement", "skos:Concept"]) == "license-document"
    assert type_scope([]) is None


def test_same_license_compares_families_when_a_version_is_missing() -> None:
    from rules.scope import same_license

    assert same_license("CC-BY-4.0", "CC-BY")
    assert same_license("CC-BY-4.0", "CC-BY-4.0")
    assert not same_license("CC-BY-4.0", "CC-BY-3.0")
    assert not same_license("CC-BY-SA-4.0", "CC-BY")
    assert not same_license(None, "CC-BY")


def test_page_level_statement_agreeing_with_the_object_stays_object() -> None:
    got = resolve_page_level(
        [_a("object", "head", "CC-BY-NC-4.0"), _a("object", "rdfa-about", "CC-BY-NC-4.0")]
    )
    assert [a.scope for a in got] == ["object", "object"]
