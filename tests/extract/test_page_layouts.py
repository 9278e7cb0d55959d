"""Whole-page layouts seen on GLAM sites: the scope rules must pick the object's statement."""

from __future__ import annotations

import json

from rules.extract import extract_all

BY = "https://creativecommons.org/licenses/by/4.0/"
BYSA4 = "//creativecommons.org/licenses/by-sa/4.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
NOCUS = "http://rightsstatements.org/vocab/NoC-US/1.0/"


def test_mediawiki_file_page_head_link_and_footer_are_site() -> None:
    """A MediaWiki file page: `<head>` rel=license and the footer speak about the wiki text,
    the license template in the content speaks about the file."""
    html = f"""<!DOCTYPE html><html><head><title>File:Vase.jpg</title>
    <link rel="license" href="{BYSA4}"></head><body>
    <div id="mw-navigation"><div id="p-navigation" role="navigation"><ul><li>Main page</li></ul>
    </div></div>
    <div id="content" class="mw-body" role="main"><h1>File:Vase.jpg</h1>
      <table class="licensetpl"><tr><td>This work is in the <b>public domain</b> in its country
      of origin.</td></tr></table></div>
    <footer id="footer" role="contentinfo">Text is available under the Creative Commons
      Attribution-ShareAlike License; additional terms may apply.</footer></body></html>"""
    r = extract_all(html.encode(), "https://commons.wikimedia.org/wiki/File:Vase.jpg")
    assert r.licenses == ("PDM-1.0",)
    assert r.verdict == "open"
    head = [a for a in r.assertions if a.position == "head"]
    assert [(a.license, a.scope) for a in head] == [("CC-BY-SA-4.0", "site")]


def test_museum_page_jsonld_object_in_copyright_site_cc_by() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Museum", "name": "Example Museum", "license": BY},
            {
                "@type": "WebPage",
                "license": BY,
                "mainEntity": {"@type": "VisualArtwork", "name": "Portrait", "license": INC},
            },
        ],
    }
    html = f"""<html><head><script type="application/ld+json">{json.dumps(graph)}</script>
    </head><body><header class="site-header"><nav class="navbar">Collection</nav></header>
    <main><h1>Portrait</h1><p>Oil on canvas.</p></main>
    <div class="site-footer">All content CC BY 4.0 unless stated otherwise.</div></body></html>"""
    r = extract_all(html.encode(), "https://museum.example/objects/1")
    assert r.licenses == ("RS-InC-1.0",)
    assert r.verdict == "not-open"
    by_scope = {(a.license, a.scope) for a in r.assertions}
    assert ("CC-BY-4.0", "site") in by_scope
    assert ("CC-BY-4.0", "object") not in by_scope


def test_object_page_title_block_is_not_chrome() -> None:
    """`page-header` / `object-header` title blocks belong to the object, not the site."""
    html = f"""<html><body><div class="page-header"><h1>Map of Delft</h1>
    <a rel="license" href="{CC0}">CC0</a></div>
    <div id="footer"><a rel="license" href="{BY}">site text CC BY</a></div></body></html>"""
    r = extract_all(html.encode(), "https://archive.example/item/9")
    assert r.licenses == ("CC0-1.0",)
    assert {(a.license, a.scope) for a in r.assertions if a.method == "rel-license"} == {
        ("CC0-1.0", "object"),
        ("CC-BY-4.0", "site"),
    }


def test_omeka_style_dublin_core_meta_only() -> None:
    html = f"""<html><head><meta name="DC.rights" content="{NOCUS}">
    <meta name="copyright" content="© 2024 Example Library"></head>
    <body><div id="primary"><h1>Letter, 1862</h1></div>
    <footer>© 2024 Example Library. All rights reserved.</footer></body></html>"""
    r = extract_all(html.encode(), "https://library.example/items/show/5")
    assert r.licenses == ("RS-NoC-US-1.0",)
    arr = [a for a in r.assertions if a.license == "ARR"]
    assert arr
    assert all(a.scope == "site" for a in arr)


def test_article_footer_speaks_about_the_article() -> None:
    html = f"""<html><body><article><h1>Glass negative</h1>
    <footer><a rel="license" href="{CC0}">CC0</a></footer></article>
    <footer><a rel="license" href="{BY}">Site CC BY</a></footer></body></html>"""
    r = extract_all(html.encode(), "https://archive.example/item/10")
    assert r.licenses == ("CC0-1.0",)
    positions = {a.license: a.position for a in r.assertions if a.method == "rel-license"}
    assert positions == {"CC0-1.0": "article>footer", "CC-BY-4.0": "footer"}


def test_license_deed_page_describes_a_license_and_applies_none() -> None:
    html = """<html><body><main><h1>Attribution 4.0 International</h1>
    <p>This is a human-readable summary of (and not a substitute for) the license.
    Creative Commons Attribution 4.0 International.</p></main></body></html>"""
    r = extract_all(html.encode(), "https://creativecommons.org/licenses/by/4.0/deed.en")
    assert r.licenses == ()
    assert r.verdict == "unknown"
    assert all(a.scope == "unknown" for a in r.assertions)


def test_head_link_repeating_the_footer_license_is_the_sites() -> None:
    """A CMS-wide head link + footer badge (CC BY) on a page whose text marks the object In
    Copyright, without any landmark: the object is not open."""
    html = f"""<html><head><link rel="license" href="{BY}"></head><body>
    <div class="record"><h1>Portrait</h1><p>Rights: In Copyright</p></div>
    <div id="footer"><a rel="license" href="{BY}">CC BY 4.0</a></div></body></html>"""
    r = extract_all(html.encode(), "https://museum.example/objects/2")
    assert r.licenses == ("RS-InC-1.0",)
    assert r.verdict == "not-open"
    assert {(a.license, a.scope) for a in r.assertions if a.method == "rel-license"} == {
        ("CC-BY-4.0", "site")
    }


def test_head_link_alone_on_a_page_with_other_site_license_stays_the_object() -> None:
    html = f"""<html><head><link rel="license" href="{CC0}"></head><body><h1>Map</h1>
    <footer><a rel="license" href="{BY}">Site text CC BY</a></footer></body></html>"""
    r = extract_all(html.encode(), "https://museum.example/objects/3")
    assert r.licenses == ("CC0-1.0",)


def test_plain_link_to_a_rights_statement_counts_where_text_is_read() -> None:
    html = f"""<html><body><div class="record"><h1>Letter</h1>
    <p>Rights: <a href="{INC}">see statement</a></p></div>
    <div id="footer"><a href="{BY}">Website text CC BY</a></div></body></html>"""
    r = extract_all(html.encode(), "https://library.example/item/4")
    assert r.licenses == ("RS-InC-1.0",)
    links = {(a.license, a.scope) for a in r.assertions if a.method == "text"}
    assert ("RS-InC-1.0", "object") in links
    assert ("CC-BY-4.0", "site") in links


def test_plain_links_are_ignored_where_markup_states_the_license() -> None:
    """A guide that links to many licenses but marks its own with rel=license."""
    html = f"""<html><body><main><p>Choose: <a href="{CC0}">CC0</a>,
    <a href="https://creativecommons.org/licenses/by-nc-sa/3.0/">BY-NC-SA</a></p>
    <p>This guide: <a rel="license" href="{BY}">CC BY</a></p></main></body></html>"""
    r = extract_all(html.encode(), "https://guide.example/")
    assert r.licenses == ("CC-BY-4.0",)
