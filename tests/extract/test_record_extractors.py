"""IIIF, OAI-PMH/EDM/MODS/LIDO, API fields and self-describing license tables, on small strings."""

from __future__ import annotations

import json

from rules.extract import extract_all
from rules.model import PageResult

URL = "https://api.example/record/1"
PDM = "http://creativecommons.org/publicdomain/mark/1.0/"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
BY = "http://creativecommons.org/licenses/by/4.0/"


def run_json(data: object) -> PageResult:
    return extract_all(json.dumps(data).encode(), URL)


def pairs(r: PageResult, method: str | None = None) -> list[tuple[str | None, str, str | None]]:
    return [
        (a.license, a.scope, a.position)
        for a in r.assertions
        if method is None or a.method == method
    ]


def test_iiif2_manifest_and_canvas_levels_and_empty_license() -> None:
    manifest = {
        "@context": "http://iiif.io/api/presentation/2/context.json",
        "@type": "sc:Manifest",
        "license": [PDM, ""],
        "attribution": f"Public Domain Mark - {PDM}",
        "sequences": [
            {"@type": "sc:Sequence", "canvases": [{"@type": "sc:Canvas", "license": CC0}]}
        ],
    }
    r = run_json(manifest)
    assert r.kind == "iiif"
    got = pairs(r, "iiif")
    assert ("PDM-1.0", "object", "manifest") in got
    assert ("CC0-1.0", "object", "canvas") in got
    assert all(a.raw for a in r.assertions), "the empty string is not a license"


def test_iiif3_rights_and_metadata_rights_label() -> None:
    manifest = {
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "type": "Manifest",
        "rights": INC,
        "requiredStatement": {"label": {"en": ["Attribution"]}, "value": {"en": ["© Museum"]}},
        "metadata": [{"label": {"en": ["Licence"]}, "value": {"en": ["Custom terms apply"]}}],
    }
    r = run_json(manifest)
    got = pairs(r)
    assert ("RS-InC-1.0", "object", "manifest") in got
    unrecognised = [a for a in r.assertions if a.license is None]
    assert [a.raw for a in unrecognised] == ["Custom terms apply"]
    assert r.verdict == "not-open"


def test_iiif_without_rights_is_unknown() -> None:
    r = run_json(
        {
            "@context": "http://iiif.io/api/presentation/2/context.json",
            "@type": "sc:Manifest",
            "license": "",
            "attribution": "Provided by the Library",
        }
    )
    assert r.assertions == ()
    assert r.verdict == "unknown"


def test_edm_aggregation_and_web_resource() -> None:
    xml = f"""<?xml version="1.0"?>
    <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns:edm="http://www.europeana.eu/schemas/edm/"
             xmlns:ore="http://www.openarchives.org/ore/terms/"
             xmlns:dc="http://purl.org/dc/elements/1.1/">
      <edm:WebResource rdf:about="https://img/1.jpg"><edm:rights rdf:resource="{PDM}"/>
        <dc:rights>Public Domain</dc:rights></edm:WebResource>
      <ore:Aggregation rdf:about="x"><edm:rights rdf:resource="{PDM}"/></ore:Aggregation>
    </rdf:RDF>""".encode()
    r = extract_all(xml, URL)
    assert r.kind == "oai"
    got = pairs(r, "oai")
    assert ("PDM-1.0", "object", "web-resource") in got
    assert ("PDM-1.0", "object", "aggregation") in got
    assert r.licenses == ("PDM-1.0",)


def test_oai_pmh_dc_record_and_about_section_is_metadata() -> None:
    xml = f"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><GetRecord><record>
      <header><identifier>oai:x:1</identifier></header>
      <metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:rights>{INC}</dc:rights>
        <dc:rights>Rights reserved by the photographer</dc:rights></oai_dc:dc></metadata>
      <about><x xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:rights>{CC0}</dc:rights></x></about>
    </record></GetRecord></OAI-PMH>""".encode()
    r = extract_all(xml, URL)
    got = pairs(r, "oai")
    assert ("RS-InC-1.0", "object", "record") in got
    assert ("CC0-1.0", "metadata", "oai-about") in got
    assert r.licenses == ("RS-InC-1.0",)


def test_mods_access_condition_use_vs_access() -> None:
    xml = f"""<mods xmlns="http://www.loc.gov/mods/v3" xmlns:xlink="http://www.w3.org/1999/xlink">
      <accessCondition type="use and reproduction" xlink:href="{CC0}">CC0</accessCondition>
      <accessCondition type="restriction on access">Open Access</accessCondition></mods>"""
    r = extract_all(xml.encode(), URL)
    assert [a.license for a in r.assertions] == ["CC0-1.0"]


def test_lido_resource_vs_record_rights() -> None:
    xml = f"""<lido:lido xmlns:lido="http://www.lido-schema.org">
    <lido:administrativeMetadata>
      <lido:recordWrap><lido:recordRights><lido:rightsType>
        <lido:conceptID lido:type="uri">{CC0}</lido:conceptID></lido:rightsType></lido:recordRights>
      </lido:recordWrap>
      <lido:resourceWrap><lido:resourceSet><lido:rightsResource><lido:rightsType>
        <lido:conceptID lido:type="uri">{BY}</lido:conceptID></lido:rightsType>
      </lido:rightsResource>
      </lido:resourceSet></lido:resourceWrap></lido:administrativeMetadata></lido:lido>"""
    r = extract_all(xml.encode(), URL)
    got = pairs(r, "oai")
    assert ("CC-BY-4.0", "object", "lido-resource") in got
    assert ("CC0-1.0", "metadata", "lido-record") in got


def test_api_fields_generic_names_and_metadata_scope() -> None:
    data = {
        "content": {
            "metadata_usage": {"access": "CC0"},
            "media": [{"usage": {"access": "CC0"}}],
        },
        "extmetadata": {"LicenseUrl": {"value": BY, "source": "commons"}},
    }
    r = run_json(data)
    got = [(a.license, a.scope) for a in r.assertions]
    assert ("CC0-1.0", "metadata") in got
    assert ("CC0-1.0", "object") in got
    assert ("CC-BY-4.0", "object") in got


def test_public_domain_flag_only_without_a_license_value() -> None:
    assert run_json({"isPublicDomain": True}).licenses == ("PDM-1.0",)
    beside = run_json({"public_domain": True, "rights": CC0})
    assert beside.licenses == ("CC0-1.0",)
    assert run_json({"isPublicDomain": False}).assertions == ()


def test_numeric_license_resolved_by_the_documents_own_table() -> None:
    xml = b"""<rsp><photo id="1" license="7"/><licenses>
      <license id="0" name="All Rights Reserved" url="https://help.example/arr"/>
      <license id="7" name="No known copyright restrictions" url="https://www.flickr.com/commons/usage/"/>
      </licenses></rsp>"""
    r = extract_all(xml, URL)
    assert r.licenses == ("NKC",)
    no_table = extract_all(b'<rsp><photo id="1" license="7"/></rsp>', URL)
    (a,) = no_table.assertions
    assert a.license is None
    assert a.raw == "license=7"


def test_json_numeric_license_with_table() -> None:
    data = {
        "photo": {"id": "1", "license": "4"},
        "licenses": {
            "license": [
                {
                    "id": 4,
                    "name": "CC BY 2.0",
                    "url": "https://creativecommons.org/licenses/by/2.0/",
                }
            ]
        },
    }
    assert run_json(data).licenses == ("CC-BY-2.0",)


def test_unrecognised_api_rights_text_is_kept_raw() -> None:
    r = run_json({"sourceResource": {"rights": ["Contact the estate for permission"]}})
    (a,) = r.assertions
    assert a.license is None
    assert a.method == "api-field"
    assert r.verdict == "unknown"


def test_schema_org_jsonld_document_is_read_as_jsonld() -> None:
    data = {
        "@context": "https://schema.org",
        "@type": "VisualArtwork",
        "license": CC0,
        "publisher": {"@type": "Museum", "license": BY},
    }
    r = run_json(data)
    assert [(a.method, a.license, a.scope) for a in r.assertions] == [
        ("jsonld", "CC0-1.0", "object"),
        ("jsonld", "CC-BY-4.0", "site"),
    ]


def test_rights_objects_language_maps_and_prose() -> None:
    data = {
        "object": {
            "imageRights": {"copyright": "Museum", "link": BY, "description": ["Kuva"]},
            "edmRights": {"def": [CC0]},
        },
        "other": {"rights": "This photograph is in the public domain."},
    }
    r = run_json(data)
    got = {(a.method, a.license) for a in r.assertions}
    assert ("api-field", "CC-BY-4.0") in got
    assert ("api-field", "CC0-1.0") in got
    assert {("text", "PDM-1.0"), ("api-field", "PDM-1.0")} & got


def test_iiif_credit_lines_count_only_when_they_name_a_license() -> None:
    base = {"@context": "http://iiif.io/api/presentation/2/context.json", "@type": "sc:Manifest"}
    assert run_json({**base, "attribution": "Public Domain"}).licenses == ("PDM-1.0",)
    credit = run_json({**base, "attribution": "© The Example Museum"})
    assert credit.assertions == ()
    assert credit.verdict == "unknown"


def test_marcxml_540_terms_governing_use() -> None:
    xml = """<record xmlns="http://www.loc.gov/MARC21/slim">
      <datafield tag="245" ind1="0" ind2="0"><subfield code="a">Map of Delft</subfield></datafield>
      <datafield tag="540" ind1=" " ind2=" "><subfield code="a">No Copyright - United States
      </subfield><subfield code="u">http://rightsstatements.org/vocab/NoC-US/1.0/</subfield>
      </datafield></record>"""
    r = extract_all(xml.encode(), URL)
    assert r.kind == "oai"
    assert "RS-NoC-US-1.0" in r.licenses


def test_feeds_atom_link_and_rss_license_elements() -> None:
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom"><link rel="license" href="{BY}"/>
      <entry><title>Map</title><link rel="license" href="{CC0}"/></entry></feed>"""
    r = extract_all(atom.encode(), URL)
    assert {(a.license, a.scope, a.method) for a in r.assertions} == {
        ("CC-BY-4.0", "site", "rel-license"),
        ("CC0-1.0", "object", "rel-license"),
    }
    rss = f"""<rss version="2.0" xmlns:creativeCommons="http://backend.userland.com/creativeCommonsRssModule"
      xmlns:media="http://search.yahoo.com/mrss/"><channel><title>New items</title>
      <creativeCommons:license>{BY}</creativeCommons:license>
      <item><title>Vase</title><media:license href="{CC0}">CC0</media:license></item>
      </channel></rss>"""
    r = extract_all(rss.encode(), URL)
    assert r.licenses == ("CC0-1.0",)
    assert ("CC-BY-4.0", "site") in {(a.license, a.scope) for a in r.assertions}


def run_xml(text: str) -> PageResult:
    return extract_all(text.encode(), URL)


def test_api_field_names_with_rights_words_are_slots_but_holders_and_flags_are_not() -> None:
    r = run_json(
        {
            "rights_type": {
                "public_name": "Creative Commons-BY",
                "description": f'<a href="{BY}">x</a>',
            },
            "dc_right_display": [INC],
            "dcterms_rights_holder_display": ["Only for non-commercial use, says the holder"],
            "copyright_restricted": 0,
        }
    )
    got = {a.license for a in r.assertions}
    assert "RS-InC-1.0" in got
    assert "CC-BY-4.0" in got
    assert not any("holder" in (a.position or "") for a in r.assertions)
    assert not any("restricted" in (a.position or "") for a in r.assertions)


def test_api_versionless_name_is_settled_by_the_versioned_uri_of_the_same_record() -> None:
    r = run_json(
        {"licence": {"shortName": "CC BY", "uri": BY}, "rightsStatement": "© Museum / CC BY"}
    )
    assert r.licenses == ("CC-BY-4.0",)
    raws = sorted(a.raw for a in r.assertions if a.license == "CC-BY-4.0")
    assert "CC BY" in raws, "the versionless evidence is kept, with its id completed"


def test_api_versionless_name_stays_versionless_when_two_versions_are_named() -> None:
    r = run_json({"rights": ["CC BY", BY, "http://creativecommons.org/licenses/by/3.0/"]})
    assert [a.license for a in r.assertions if a.raw == "CC BY"] == ["CC-BY"]


def test_oai_undeclared_prefixes_are_read_as_their_usual_namespaces() -> None:
    r = run_xml(
        "<record><metadata><qdc><edm:rights>http://rightsstatements.org/vocab/InC-EDU/1.0/"
        "</edm:rights></qdc></metadata></record>"
    )
    assert [(a.method, a.license) for a in r.assertions] == [("oai", "RS-InC-EDU-1.0")]
    m = run_xml(
        '<mods xmlns="http://www.loc.gov/mods/v3"><accessCondition type="use and reproduction" '
        f'xlink:href="{CC0}">Rights statement.</accessCondition></mods>'
    )
    assert m.licenses == ("CC0-1.0",)


def test_mets_dfg_viewer_license_code() -> None:
    r = run_xml(
        '<mets:mets xmlns:mets="http://www.loc.gov/METS/" xmlns:dv="http://dfg-viewer.de/">'
        "<mets:amdSec><mets:rightsMD><mets:mdWrap><mets:xmlData><dv:rights><dv:owner>Lib</dv:owner>"
        "<dv:license>cc0</dv:license></dv:rights></mets:xmlData></mets:mdWrap></mets:rightsMD>"
        "</mets:amdSec></mets:mets>"
    )
    assert r.licenses == ("CC0-1.0",)
    assert r.verdict == "open"


def _list_records(*records: tuple[str, str]) -> str:
    body = "".join(
        f"<record><header><identifier>{ident}</identifier></header><metadata>"
        f'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:rights>{rights}</dc:rights>'
        "</oai_dc:dc></metadata></record>"
        for ident, rights in records
    )
    return f'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>{body}</ListRecords></OAI-PMH>'


def test_list_records_keep_every_record_with_its_identifier() -> None:
    agree = run_xml(_list_records(("oai:x:1", CC0), ("oai:x:2", CC0)))
    assert agree.verdict == "open"
    assert sorted(a.position or "" for a in agree.assertions) == [
        "record[oai:x:1]/record",
        "record[oai:x:2]/record",
    ]
    differ = run_xml(_list_records(("oai:x:1", CC0), ("oai:x:2", INC)))
    assert differ.licenses == ("CC0-1.0", "RS-InC-1.0")
    assert differ.verdict == "conflict"
    by_record = {a.position: a.license for a in differ.assertions}
    assert by_record == {
        "record[oai:x:1]/record": "CC0-1.0",
        "record[oai:x:2]/record": "RS-InC-1.0",
    }


def test_single_record_positions_are_unchanged() -> None:
    r = run_xml(_list_records(("oai:x:1", CC0)))
    assert [a.position for a in r.assertions] == ["record"]


def test_holder_notice_beside_a_licence_is_not_all_rights_reserved() -> None:
    r = run_json(
        {"rights": [{"details": "© The Board of Trustees", "usage_terms": "CC BY-SA 4.0"}]}
    )
    assert r.licenses == ("CC-BY-SA-4.0",)
    assert r.verdict == "open"
    assert [a.raw for a in r.assertions if a.license is None] == ["© The Board of Trustees"]
    alone = run_json({"rights": [{"details": "© The Board of Trustees"}]})
    assert alone.licenses == ("ARR",)
    spelled = run_json(
        {"rights": [{"details": "© Museum. All rights reserved", "terms": "CC BY 4.0"}]}
    )
    assert "ARR" in spelled.licenses


def test_lido_concept_id_cc_url_without_licenses_segment() -> None:
    r = run_xml(
        '<lido:lido xmlns:lido="http://www.lido-schema.org"><lido:administrativeMetadata>'
        "<lido:resourceWrap><lido:resourceSet><lido:rightsResource><lido:rightsType>"
        '<lido:conceptID lido:type="URI">http://creativecommons.org/by-nc-sa/4.0/</lido:conceptID>'
        "</lido:rightsType></lido:rightsResource></lido:resourceSet></lido:resourceWrap>"
        "</lido:administrativeMetadata></lido:lido>"
    )
    assert r.licenses == ("CC-BY-NC-SA-4.0",)
    assert [a.raw for a in r.assertions] == ["http://creativecommons.org/by-nc-sa/4.0/"]
    assert r.verdict == "not-open"


def test_iiif_metadata_labels_in_compound_and_other_languages() -> None:
    for label in ("Rechtehinweis", "Nutzungsrechte", "Conditions d'utilisation", "Lizenzangabe"):
        manifest = {
            "@context": "http://iiif.io/api/presentation/3/context.json",
            "type": "Manifest",
            "metadata": [
                {"label": {"de": ["Datierung"]}, "value": {"none": ["CC BY 4.0"]}},
                {"label": {"de": [label]}, "value": {"none": [f'<a href="{PDM}">PDM</a>']}},
            ],
        }
        r = run_json(manifest)
        assert r.licenses == ("PDM-1.0",), label


def test_plain_xml_license_in_an_attribute_and_rights_words_in_element_names() -> None:
    r = run_xml(f'<item><title>x</title><license url="{CC0}"/></item>')
    assert r.licenses == ("CC0-1.0",)
    named = run_xml(
        f"<item><image_rights_uri>{INC}</image_rights_uri><rights_holder>Me</rights_holder></item>"
    )
    assert named.licenses == ("RS-InC-1.0",)
    assert not any("holder" in (a.position or "") for a in named.assertions)


def test_oai_conventional_prefix_bound_to_a_wrong_namespace() -> None:
    r = run_xml(
        '<ore:Aggregation xmlns:edm="http://rs.org/" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns">'
        f'<edm:rights rdf:resource="{INC}"/><edm:dataProvider>Lib</edm:dataProvider>'
        "</ore:Aggregation>"
    )
    assert r.licenses == ("RS-InC-1.0",)
    assert [a.method for a in r.assertions] == ["oai"]


def test_api_licence_block_about_the_response_data_is_metadata() -> None:
    r = run_json(
        {
            "data": [{"id": 1, "title": "Pan", "is_public_domain": True}],
            "info": {
                "license_text": "The data in this response is licensed under a Creative Commons "
                "Zero (CC0) 1.0 designation and the Terms and Conditions of example.org.",
                "license_links": [CC0, "https://www.example.org/terms"],
            },
        }
    )
    assert r.licenses == ("PDM-1.0",)
    cc0 = [a for a in r.assertions if a.license == "CC0-1.0"]
    assert cc0
    assert all(a.scope == "metadata" for a in cc0)


def test_ead_userestrict_without_its_heading_and_accessrestrict_ignored() -> None:
    r = run_xml(
        '<ead xmlns="urn:isbn:1-931666-22-9"><archdesc level="collection">'
        "<accessrestrict><p>Open for research; no licence here.</p></accessrestrict>"
        "<userestrict><head>Conditions Governing Use</head>"
        "<p>This collection is licensed under CC BY 4.0.</p></userestrict></archdesc></ead>"
    )
    assert r.licenses == ("CC-BY-4.0",)
    assert [a.raw for a in r.assertions] == ["This collection is licensed under CC BY 4.0."]


def test_iiif_credit_all_rights_reserved_is_terms_but_bare_copyright_is_a_holder() -> None:
    def manifest(credit: str) -> dict[str, object]:
        return {
            "@context": "http://iiif.io/api/presentation/3/context.json",
            "type": "Manifest",
            "requiredStatement": {"label": {"en": ["Attribution"]}, "value": {"en": [credit]}},
        }

    assert run_json(manifest("© Example Museum. All rights reserved.")).licenses == ("ARR",)
    assert run_json(manifest("© Example Museum")).licenses == ()


def test_api_no_known_copyright_flag() -> None:
    assert run_json({"id": "18", "has_no_known_copyright": 1}).licenses == ("NKC",)
    assert run_json({"id": "18", "has_no_known_copyright": None}).licenses == ()
    assert run_json({"id": "18", "has_no_known_copyright": 0}).licenses == ()
    assert run_json({"id": "18", "isPublicDomain": "true"}).licenses == ("PDM-1.0",)
