"""Bad input gets a clear error and loses nothing: the other signals still come out."""

from __future__ import annotations

from rules.extract import _run, extract_all, load_document
from rules.model import Assertion

URL = "https://museum.example/object/7"
BY = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def test_broken_jsonld_still_yields_rel_license() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type": "Photograph", "license": '
        f'</script></head><body><a rel="license" href="{CC0}">CC0</a></body></html>'
    )
    r = extract_all(html.encode(), URL)
    assert r.licenses == ("CC0-1.0",)
    assert [e.method for e in r.errors] == ["jsonld"]
    assert "not valid JSON" in r.errors[0].message


def test_an_extractor_that_raises_becomes_an_error_and_the_rest_run() -> None:
    doc = load_document(b"<html><body></body></html>", URL)

    def explode(d: object, u: str) -> list[Assertion]:
        raise ValueError("boom")

    assert _run(doc, "rdfa", explode) == []
    assert doc.errors[0].method == "rdfa"
    assert "boom" in doc.errors[0].message


def test_empty_body_is_unknown_without_error() -> None:
    r = extract_all(b"", URL)
    assert r.verdict == "unknown"
    assert r.assertions == ()
    assert r.errors == ()


def test_binary_served_as_html_is_unknown_with_an_error() -> None:
    r = extract_all(
        b"%PDF-1.4\n\x00\x01\x02\x03" + bytes(range(256)) * 50, URL, content_type="text/html"
    )
    assert r.verdict == "unknown"
    assert r.assertions == ()
    assert r.errors[0].method == "parse"


def test_xhtml_served_as_html() -> None:
    body = (
        '<?xml version="1.0" encoding="iso-8859-1"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML '
        '1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Caf\xe9</title></head><body>'
        f'<p>Caf\xe9 <a rel="license" href="{BY}">CC BY</a></p></body></html>'
    ).encode("latin-1")
    r = extract_all(body, URL, content_type="text/html")
    assert r.kind == "html"
    assert r.licenses == ("CC-BY-4.0",)


def test_missing_charset_latin1_page_still_reads_text() -> None:
    body = "<html><body><main><p>Domaine public — libre de droits</p></main></body></html>"
    r = extract_all(body.encode("cp1252"), URL)
    assert r.licenses == ("PDM-1.0",)


def test_twenty_megabyte_page() -> None:
    filler = "<div class='row'><p>" + "lorem ipsum dolor sit amet " * 20 + "</p></div>\n"
    body = (
        "<html><body><main>"
        + filler * (20_000_000 // len(filler))
        + f'<a rel="license" href="{CC0}">CC0</a></main>'
        + f'<footer><a rel="license" href="{BY}">site</a></footer></body></html>'
    ).encode()
    assert len(body) > 19_000_000
    r = extract_all(body, URL)
    assert r.licenses == ("CC0-1.0",)
    assert {(a.license, a.scope) for a in r.assertions} == {
        ("CC0-1.0", "object"),
        ("CC-BY-4.0", "site"),
    }


def test_deeply_nested_markup_keeps_the_signal() -> None:
    body = "<html><body>" + "<div><span>" * 3000 + f'<a rel="license" href="{BY}">x</a>'
    r = extract_all(body.encode(), URL)
    assert r.licenses == ("CC-BY-4.0",)
    assert any(e.method == "parse" for e in r.errors)


def test_deep_json_is_an_error_not_a_crash() -> None:
    body = b'{"a":' * 5000 + b"1" + b"}" * 5000
    r = extract_all(body, URL)
    assert r.verdict == "unknown"
    assert r.errors


def test_xml_entity_bomb_in_a_record_is_not_expanded_and_rights_still_read() -> None:
    body = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        '<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<record xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&c;&x;</dc:title>'
        f"<dc:rights>{CC0}</dc:rights></record>"
    ).encode()
    r = extract_all(body, URL)
    assert r.licenses == ("CC0-1.0",)
    assert all("root:" not in a.snippet for a in r.assertions)


def test_unparseable_xml_is_an_error() -> None:
    r = extract_all(b"<?xml version='1.0'?><<<>>>", URL, content_type="application/xml")
    assert r.verdict == "unknown"
    assert r.errors


def test_a_stray_nul_byte_does_not_make_a_page_binary() -> None:
    body = (
        "<html><body>" + "<p>text</p>" * 200 + f'\x00<a rel="license" href="{BY}">x</a>'
    ).encode()
    assert extract_all(body, URL).licenses == ("CC-BY-4.0",)


def test_yaml_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = "a" if i == 1 else f"a{i - 1}"
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*{prev}"] * 9) + "]")
    r = extract_all("\n".join(lines).encode(), URL, content_type="application/x-yaml")
    assert r.verdict == "unknown"
    assert any("alias" in e.message for e in r.errors)
