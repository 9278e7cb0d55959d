"""Each HTML method on small strings: what it reads, the scope it gives, the evidence it keeps."""

from __future__ import annotations

from rules.extract import extract_all
from rules.model import PageResult

URL = "https://museum.example/object/42"
BY = "https://creativecommons.org/licenses/by/4.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def run(html: str, **kw: object) -> PageResult:
    return extract_all(html.encode("utf-8"), URL, **kw)  # type: ignore[arg-type]


def by_method(result: PageResult, method: str) -> list[tuple[str | None, str]]:
    return [(a.license, a.scope) for a in result.assertions if a.method == method]


def test_rel_license_token_list_any_case_anchor_and_link() -> None:
    r = run(
        f'<html><head><link rel="License" href="{BY}"></head><body><main>'
        f'<a rel="noopener LICENSE noreferrer" href="{CC0}">CC0</a></main></body></html>'
    )
    got = by_method(r, "rel-license")
    assert ("CC0-1.0", "object") in got
    # the head link is page level, beside an object statement in <main> it is the site's
    assert ("CC-BY-4.0", "site") in got
    assert r.licenses == ("CC0-1.0",)
    assert r.verdict == "open"


def test_head_link_alone_is_the_object_license() -> None:
    r = run(f'<html><head><link rel="license" href="{BY}"></head><body><p>Vase</p></body></html>')
    assert r.licenses == ("CC-BY-4.0",)
    (a,) = [a for a in r.assertions if a.method == "rel-license"]
    assert a.position == "head"


def test_footer_cc_by_beside_in_copyright_object_is_not_open() -> None:
    """The classic error: a site footer CC BY does not open an object marked In Copyright."""
    r = run(
        f'<html><body><main><h1>Portrait</h1><a rel="license" href="{INC}">In Copyright</a>'
        f'</main><footer>Website text <a rel="license" href="{BY}">CC BY 4.0</a></footer>'
        "</body></html>"
    )
    assert r.licenses == ("RS-InC-1.0",)
    assert r.verdict == "not-open"
    scopes = {a.license: a.scope for a in r.assertions if a.method == "rel-license"}
    assert scopes == {"RS-InC-1.0": "object", "CC-BY-4.0": "site"}


def test_object_signals_that_disagree_are_a_conflict() -> None:
    r = run(
        f'<html><body><main><a rel="license" href="{CC0}">CC0</a>'
        f'<a rel="license" href="{INC}">InC</a></main></body></html>'
    )
    assert r.verdict == "conflict"
    assert set(r.licenses) == {"CC0-1.0", "RS-InC-1.0"}


def test_unknown_url_in_a_license_slot_is_kept_raw() -> None:
    r = run('<html><body><a rel="license" href="/terms-of-use">Terms</a></body></html>')
    (a,) = r.assertions
    assert a.license is None
    assert a.raw == "https://museum.example/terms-of-use"
    assert r.verdict == "unknown"


def test_jsonld_main_entity_vs_website_and_broken_block() -> None:
    html = f"""<html><head>
    <script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [
      {{"@type": "WebSite", "license": "{BY}"}},
      {{"@type": "ItemPage", "mainEntity": {{"@type": "VisualArtwork", "name": "Vase",
        "image": {{"@type": "ImageObject", "license": "{CC0}"}}}}}}]}}</script>
    <script type="application/ld+json">{{"license": </script>
    </head><body><a rel="license" href="{CC0}">CC0</a></body></html>"""
    r = run(html)
    got = by_method(r, "jsonld")
    assert ("CC-BY-4.0", "site") in got
    assert ("CC0-1.0", "object") in got
    assert any(e.method == "jsonld" for e in r.errors), "broken JSON-LD is recorded"
    # the body link agrees with the main entity's license: it stays the object's
    assert by_method(r, "rel-license") == [("CC0-1.0", "object")]
    assert r.licenses == ("CC0-1.0",)


def test_jsonld_tolerant_parse_and_license_object() -> None:
    html = (
        '<html><head><script type="application/ld+json"><!--\n{"@type": "Photograph", '
        f'"license": {{"@type": "CreativeWork", "url": "{BY}"}},}}\n--></script></head></html>'
    )
    r = run(html)
    assert by_method(r, "jsonld") == [("CC-BY-4.0", "object")]
    assert r.errors == ()


def test_rdfa_prefixed_properties_and_about() -> None:
    html = f"""<html xmlns:cc="http://creativecommons.org/ns#"><body>
    <div about="photo.jpg"><span rel="cc:license" resource="{CC0}"></span></div>
    <div prefix="dct: http://purl.org/dc/terms/" about="#x">
      <span property="dct:rights" content="{INC}"></span></div>
    <div vocab="http://schema.org/" typeof="Photograph">
      <link property="license" href="{BY}"></div>
    </body></html>"""
    got = by_method(run(html), "rdfa")
    assert ("CC0-1.0", "object") in got
    assert ("RS-InC-1.0", "object") in got
    assert ("CC-BY-4.0", "object") in got


def test_rdfa_unknown_prefix_is_ignored() -> None:
    html = f'<html><body><span rel="foo:license" href="{BY}">x</span></body></html>'
    assert by_method(run(html), "rdfa") == []


def test_microdata_itemprop_license_in_item() -> None:
    html = f"""<html><body>
    <div itemscope itemtype="https://schema.org/VisualArtwork">
      <a itemprop="license" href="{CC0}">CC0</a></div>
    <div itemscope itemtype="https://schema.org/Organization">
      <meta itemprop="license" content="{BY}"></div></body></html>"""
    got = by_method(run(html), "microdata")
    assert ("CC0-1.0", "object") in got
    assert ("CC-BY-4.0", "site") in got


def test_meta_dublin_core_names_and_schema_prefix() -> None:
    html = f"""<html><head>
    <link rel="schema.DCTERMS" href="http://purl.org/dc/terms/">
    <meta name="DCTERMS.license" content="{CC0}">
    <meta name="dc.Rights" content="{INC}">
    <link rel="DCTERMS.rights" href="{INC}">
    <meta name="copyright" content="All rights reserved">
    </head><body></body></html>"""
    r = run(html)
    got = by_method(r, "meta")
    assert ("CC0-1.0", "object") in got
    assert ("RS-InC-1.0", "object") in got
    assert all(a.snippet.startswith("<") for a in r.assertions if a.method == "meta")


def test_button_image_inside_rel_license_anchor() -> None:
    html = (
        '<html><body><a rel="license" href="http://creativecommons.org/licenses/by/3.0/">'
        '<img src="http://i.creativecommons.org/l/by/3.0/us/88x31.png"></a></body></html>'
    )
    r = run(html)
    buttons = [a for a in r.assertions if a.method == "button-image"]
    assert [b.license for b in buttons] == ["CC-BY-3.0"]
    assert r.licenses == ("CC-BY-3.0",)


def test_ordinary_images_are_not_signals() -> None:
    r = run(
        '<html><body><img src="/img/vase.jpg"><img src="data:image/png;base64,AAAA"></body></html>'
    )
    assert r.assertions == ()
    assert r.verdict == "unknown"


def test_http_link_header() -> None:
    r = run("<html><body>x</body></html>", headers={"Link": f'<{BY}>; rel="license"'})
    assert by_method(r, "http-header") == [("CC-BY-4.0", "object")]


def test_text_only_where_no_markup_and_footer_text_is_site() -> None:
    html = (
        "<html><body><div class='content'><p>This photograph is in the public domain.</p></div>"
        "<div id='footer'>© 2024 Example Museum. All rights reserved.</div></body></html>"
    )
    r = run(html)
    text = [(a.license, a.scope) for a in r.assertions if a.method == "text"]
    assert ("PDM-1.0", "object") in text
    assert ("ARR", "site") in text
    assert r.verdict == "open"


def test_text_is_not_read_where_markup_states_the_object_license() -> None:
    html = (
        f'<html><body><main><a rel="license" href="{CC0}">CC0</a>'
        "<p>Example: CC BY-NC 4.0 is a license we do not use.</p></main></body></html>"
    )
    r = run(html)
    assert [a for a in r.assertions if a.method == "text"] == []
    assert r.licenses == ("CC0-1.0",)


def test_escaped_markup_is_text_not_a_signal() -> None:
    html = (
        f'<html><body><main><a rel="license" href="{BY}">x</a><pre>&lt;a rel="license" '
        'href="https://creativecommons.org/licenses/by-nc-sa/3.0/"&gt;</pre></main></body></html>'
    )
    assert run(html).licenses == ("CC-BY-4.0",)


def test_malformed_html_still_yields_signals() -> None:
    html = f'<html><body><div><p><a rel=license href="{BY}">x<table><tr><td></div></span>'
    assert run(html).licenses == ("CC-BY-4.0",)


def test_every_assertion_keeps_method_raw_scope_snippet() -> None:
    html = f'<html><body><main><a rel="license" href="{BY}">CC BY</a></main></body></html>'
    (a,) = [a for a in run(html).assertions if a.method == "rel-license"]
    assert a.raw == BY
    assert a.scope == "object"
    assert a.position == "main"
    assert 'rel="license"' in a.snippet
    assert len(a.snippet) <= 300
    assert a.source_url == URL


def test_sprite_image_inside_a_link_to_a_license_is_that_badge() -> None:
    # Flickr-style CSS sprites: a spacer GIF with an icon class, wrapped in a link to the deed
    nd = "http://creativecommons.org/licenses/by-nc-nd/2.0/"
    r = run(
        f'<html><body><main><span class="ccIcn"><a href="{nd}">'
        '<img src="/spaceout.gif" alt="Attribution" class="f-sprite fs-cc_icon_attribution_small">'
        '<img src="/spaceout.gif" alt="Noncommercial" class="f-sprite fs-cc_icon_noncomm_small">'
        '</a></span><a href="/object/7"><img src="/thumb/7.jpg" alt="next"></a>'
        "</main></body></html>"
    )
    got = by_method(r, "button-image")
    assert got
    assert set(got) == {("CC-BY-NC-ND-2.0", "object")}
    assert r.licenses == ("CC-BY-NC-ND-2.0",)


def test_cc_element_icons_side_by_side_spell_a_family_only() -> None:
    # Wikimedia Commons license templates: element icons named in their file names
    up = "//upload.wikimedia.org/wikipedia/commons/thumb"
    r = run(
        "<html><body><table><tr><td>"
        f'<img alt="w:en:Creative Commons" src="{up}/7/79/CC_some_rights_reserved.svg/90px-x.png">'
        f'<img alt="attribution" src="{up}/1/11/Cc-by_new_white.svg/24px-Cc-by_new_white.svg.png">'
        f'<img alt="share alike" src="{up}/d/df/Cc-sa_white.svg/24px-Cc-sa_white.svg.png">'
        "</td><td>This file is licensed under the Creative Commons "
        '<a href="//creativecommons.org/licenses/by-sa/3.0/deed.en">Attribution-Share Alike 3.0'
        "</a> license.</td></tr></table></body></html>"
    )
    assert by_method(r, "button-image") == [("CC-BY-SA", "object")]
    (badge,) = [a for a in r.assertions if a.method == "button-image"]
    assert "Cc-by_new_white" in badge.raw
    assert "Cc-sa_white" in badge.raw
    # the family the icons spell is the versioned license the words name: listed once
    assert r.licenses == ("CC-BY-SA-3.0",)


def test_public_domain_and_zero_icons_alone() -> None:
    up = "//upload.wikimedia.org/wikipedia/commons/thumb"
    pd = run(
        "<html><body><div>"
        f'<img alt="Public domain" src="{up}/6/62/PD-icon.svg/64px-PD-icon.svg.png">'
        "</div></body></html>"
    )
    assert by_method(pd, "button-image") == [("PDM-1.0", "object")]
    zero = run(
        f'<html><body><p><img alt="" src="{up}/6/69/Cc-zero.svg/64px-Cc-zero.svg.png">'
        "</p></body></html>"
    )
    assert by_method(zero, "button-image") == [("CC0-1.0", "object")]


def test_icons_that_spell_no_license_are_pictures() -> None:
    up = "//upload.wikimedia.org/wikipedia/commons/thumb"
    r = run(
        "<html><body><div>"
        f'<img src="{up}/7/79/CC_some_rights_reserved.svg/90px-CC_some_rights_reserved.svg.png">'
        f'<img src="{up}/d/df/Cc-sa_white.svg/24px-Cc-sa_white.svg.png">'  # SA without BY
        '<img class="pd-3 card" src="/img/pd-logo-museum.jpg">'
        "</div></body></html>"
    )
    assert by_method(r, "button-image") == []


def test_license_of_a_compilation_is_not_the_objects() -> None:
    # Commons PD-Art/Yorck: the reproduction is PD, the *compilation* is GFDL
    r = run(
        "<html><body><table><tr><td><i>The work of art depicted in this image and the "
        "reproduction thereof are in the <b>public domain</b> worldwide. The compilation "
        "copyright is held by Zenodot Verlagsgesellschaft mbH and licensed under the "
        "GNU Free Documentation License.</i></td></tr></table></body></html>"
    )
    got = {(a.license, a.scope) for a in r.assertions if a.method == "text"}
    assert ("PDM-1.0", "object") in got
    assert ("GFDL", "metadata") in got
    assert r.licenses == ("PDM-1.0",)
    # the same words about the work itself stay the object's
    r2 = run("<html><body><p>This photo is licensed under the GNU Free Documentation License.</p>")
    assert r2.licenses == ("GFDL",)


def test_a_version_less_family_alone_is_kept_and_beside_its_version_folded() -> None:
    from rules.extract import subsume_families

    assert subsume_families(["CC-BY-SA", "CC-BY-SA-3.0"]) == ["CC-BY-SA-3.0"]
    assert subsume_families(["CC-BY-SA"]) == ["CC-BY-SA"]
    # a different family is a different statement: both stay
    assert subsume_families(["CC-BY", "CC-BY-SA-3.0"]) == ["CC-BY", "CC-BY-SA-3.0"]
