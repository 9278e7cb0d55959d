"""Decoding, kind detection and hostile input: the document is parsed once and never raises."""

from __future__ import annotations

import json
import time

import pytest

from rules.extract.document import load_document, looks_binary, split_http_response


def test_html_detected_and_parsed_once_with_base() -> None:
    doc = load_document(
        b'<html><head><base href="https://ex.org/a/"></head><body><p>x</p></body></html>',
        "https://ex.org/page",
    )
    assert doc.kind == "html"
    assert doc.tree is not None
    assert doc.base_url == "https://ex.org/a/"


@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        ("<html><body><p>Ærø – café</p></body></html>".encode("cp1252"), "text/html"),
        (
            "<html><head><meta charset='iso-8859-1'></head><body><p>Ærø – café</p>".encode(
                "latin-1", "replace"
            ),
            None,
        ),
        ("\ufeff<html><body><p>Ærø – café</p></body></html>".encode("utf-16"), None),
        (b"\xef\xbb\xbf" + "<html><body><p>Ærø – café</p></body></html>".encode(), None),
    ],
)
def test_charsets_and_boms_decode(body: bytes, ctype: str | None) -> None:
    """Wrong/missing charsets and BOMs still give readable text (w3lib's detection)."""
    doc = load_document(body, "https://ex.org/", content_type=ctype)
    assert doc.kind == "html"
    assert "Ærø" in doc.text
    assert doc.tree is not None
    assert "caf" in "".join(doc.tree.itertext())


def test_wrong_declared_charset_is_overridden_by_bom() -> None:
    body = b"\xef\xbb\xbf<html><body>\xc3\x86r\xc3\xb8</body></html>"
    doc = load_document(body, "https://ex.org/", content_type="text/html; charset=iso-8859-1")
    assert "Ærø" in doc.text


def test_empty_body_is_readable_and_empty() -> None:
    doc = load_document(b"", "https://ex.org/")
    assert doc.tree is None
    assert doc.errors == []


def test_binary_served_as_html_is_an_error_not_a_crash() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20
    assert looks_binary(png)
    doc = load_document(png, "https://ex.org/x", content_type="text/html")
    assert doc.kind == "other"
    assert doc.errors
    assert "binary" in doc.errors[0].message


def test_json_and_iiif_detection() -> None:
    iiif = {"@context": "http://iiif.io/api/presentation/2/context.json", "@type": "sc:Manifest"}
    assert load_document(json.dumps(iiif).encode(), "u").kind == "iiif"
    assert load_document(b'{"rights": "x"}', "u").kind == "json"
    broken = load_document(b'{"rights": ', "u", content_type="application/json")
    assert broken.kind == "json"
    assert broken.errors
    assert broken.errors[0].method == "parse"


def test_xml_kinds() -> None:
    edm = b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:edm="http://www.europeana.eu/schemas/edm/"/>'
    assert load_document(edm, "u").kind == "oai"
    assert (
        load_document(b'<?xml version="1.0"?><metadata><rights>x</rights></metadata>', "u").kind
        == "xml"
    )
    xhtml = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert load_document(xhtml, "u").kind == "html"


def test_entity_bomb_and_external_entity_are_never_resolved(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    lol = "&lol;" * 10
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else lol}">'
            for i in range(1, 10)
        )
        + f'<!ENTITY ext SYSTEM "{secret.as_uri()}">]><record><rights>&lol9;&ext;</rights></record>'
    ).encode()
    started = time.perf_counter()
    doc = load_document(bomb, "https://ex.org/r.xml")
    assert time.perf_counter() - started < 2
    assert doc.xml is not None
    text = "".join(doc.xml.itertext())
    assert "TOPSECRET" not in text
    assert "lollol" not in text


def test_deep_nesting_keeps_signals_and_records_an_error() -> None:
    deep = "<html><body>" + "<div>" * 5000 + '<a rel="license" href="x">y</a>' + "</div>" * 5000
    doc = load_document(deep.encode(), "https://ex.org/")
    assert doc.tree is not None
    assert doc.tree.xpath("//a[@rel='license']")
    assert any("nests deeper" in e.message for e in doc.errors)


def test_saved_http_response_is_split() -> None:
    raw = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        b"Link: <https://x>; rel=license\r\n\r\n<html>hi</html>"
    )
    split = split_http_response(raw)
    assert split is not None
    headers, body = split
    assert headers["link"] == ["<https://x>; rel=license"]
    assert body == b"<html>hi</html>"
    doc = load_document(raw, "https://ex.org/")
    assert doc.kind == "html"
    assert doc.header("Link") == ["<https://x>; rel=license"]


def test_yaml_cassette_bodies_are_parsed() -> None:
    cassette = (
        b'interactions:\n- response:\n    body:\n      string: \'<?xml version="1.0"?><rsp>'
        b'<photo id="1" license="3"/></rsp>\'\n'
    )
    doc = load_document(cassette, "https://ex.org/")
    assert doc.kind == "yaml"
    assert len(doc.parts) == 1
    assert doc.parts[0].find("photo").get("license") == "3"
