"""IIIF collection walking and OAI-PMH response reading, on documents served by the fixture."""

from __future__ import annotations

from crawler.iiif_walk import parse_iiif
from crawler.oai_harvest import choose_prefix, list_records_url, oai_url, parse_oai
from tests.crawl.fixture_server import iiif_manifest, oai_response


def test_iiif_v2_collection_with_manifests_members_and_paging() -> None:
    doc = parse_iiif(
        b'{"@context":"http://iiif.io/api/presentation/2/context.json","@id":"c",'
        b'"@type":"sc:Collection","manifests":[{"@id":"m1","@type":"sc:Manifest"},"m2"],'
        b'"members":[{"@id":"c2","@type":"sc:Collection"},{"@id":"m3","@type":"sc:Manifest"}],'
        b'"next":"c-page2"}'
    )
    assert (doc.kind, doc.version) == ("collection", 2)
    assert doc.manifests == ("m3", "m1", "m2")
    assert doc.collections == ("c2", "c-page2")


def test_iiif_v3_collection_items() -> None:
    doc = parse_iiif(
        b'{"@context":"http://iiif.io/api/presentation/3/context.json","id":"c",'
        b'"type":"Collection","items":[{"id":"m1","type":"Manifest"},'
        b'{"id":"c2","type":"Collection"},{"id":"x","type":"Canvas"}]}'
    )
    assert (doc.kind, doc.version, doc.manifests, doc.collections) == (
        "collection",
        3,
        ("m1",),
        ("c2",),
    )


def test_iiif_manifests_and_garbage() -> None:
    assert parse_iiif(iiif_manifest(1, "http://x")).kind == "manifest"
    assert parse_iiif(iiif_manifest(2, "http://x")).version == 3
    bad = parse_iiif(b"\x89PNG")
    assert bad.kind == "other"
    assert bad.error


def test_oai_urls() -> None:
    assert oai_url("https://r.example/oai", "Identify") == "https://r.example/oai?verb=Identify"
    assert list_records_url("https://r.example/oai", "edm", "s1") == (
        "https://r.example/oai?verb=ListRecords&metadataPrefix=edm&set=s1"
    )
    assert list_records_url("https://r.example/oai", "edm", "s1", token="a b") == (  # noqa: S106
        "https://r.example/oai?verb=ListRecords&resumptionToken=a+b"
    )


def test_oai_harvest_sequence_of_the_fixture() -> None:
    """Identify → formats → three ListRecords pages, then the errors the fixture can return."""
    base = "http://r.example"
    ident = parse_oai(oai_response({"verb": ["Identify"]}, base))
    assert (ident.verb, ident.repository_name) == ("Identify", "Fixture Museum")
    formats = parse_oai(oai_response({"verb": ["ListMetadataFormats"]}, base))
    assert formats.prefixes == ("oai_dc", "edm")
    assert choose_prefix(formats.prefixes) == "edm"
    tokens = []
    query = {"verb": ["ListRecords"], "metadataPrefix": ["edm"]}
    for _ in range(3):
        page = parse_oai(oai_response(query, base))
        assert page.records == 2
        tokens.append(page.token)
        query = {"verb": ["ListRecords"], "resumptionToken": [page.token or ""]}
    assert tokens == ["page2", "page3", None]
    bad = parse_oai(oai_response({"verb": ["ListRecords"], "resumptionToken": ["zz"]}, base))
    assert bad.error_code == "badResumptionToken"
    empty = parse_oai(
        oai_response({"verb": ["ListRecords"], "metadataPrefix": ["edm"], "set": ["x"]}, base)
    )
    assert empty.error_code == "noRecordsMatch"
    assert parse_oai(b"<html/>").invalid == "not an OAI-PMH response"


def test_choose_prefix_preference_and_aliases() -> None:
    assert choose_prefix(["oai_dc", "mods"]) == "mods"
    assert choose_prefix(["oai_dc", "ESE"]) == "ESE"
    assert choose_prefix(["marc21"]) is None
    assert choose_prefix(["oai_dc", "edm"], ["oai_dc"]) == "oai_dc"
