"""Four small fictional GLAM sites in two versions, for the report tests.

Real HTML (and one IIIF manifest) that goes through `rules.extract.extract_all`, either directly
(Store API) or through a loopback crawl. What each site plants:

- museum (Survey-listed): objects CC0 (rel=license + JSON-LD) under a CC BY site footer; in v2
  objects 1-2 turn CC BY-NC (regressions), object 5 appears, object 6 fails to fetch (outage).
- library (Survey-listed as Public Domain Mark): items In Copyright under a CC BY footer, so
  none is open — a regression against the Survey listing, and a footer conflict.
- archive (not listed): records CC0 in JSON-LD; its IIIF manifest has no rights (a candidate).
- hostile (not listed): `<script>` and `"><img onerror=…>` in the title, license text and URL.
"""

from __future__ import annotations

import json
from html import escape

CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_NC = "https://creativecommons.org/licenses/by-nc/4.0/"
INC = "http://rightsstatements.org/vocab/InC/1.0/"
HOSTILE_PATH = '/object/"><img src=x onerror=alert(3)>'
HOSTILE_TITLE = '<script>document.title="PWNED"</script> Vase'
HOSTILE_LICENSE_TEXT = '"><img src=x onerror=alert(2)>'
HOSTILE_NAME = "Hostile <script>alert('name')</script> Gallery"

BASES = {
    "museum": "http://museum.test",
    "library": "http://library.test",
    "archive": "http://archive.test",
    "hostile": "http://hostile.test",
}

INSTITUTIONS = {
    "museum": {
        "name": "Harbour Museum",
        "country": "Netherlands",
        "type": "Museum",
        "survey": "listed",
        "survey_url": "https://survey.glamelab.org/institutions/harbour-museum",
        "platforms": [{"name": "Own website", "url": "/", "rs": ["CC0"]}],
    },
    "library": {
        "name": "Listed Library",
        "country": "United Kingdom",
        "type": "Library",
        "survey": "listed",
        "survey_url": "https://survey.glamelab.org/institutions/listed-library",
        "platforms": [{"name": "Own website", "url": "/", "rs": ["Public Domain Mark"]}],
    },
    "archive": {"name": "Candidate Archive", "country": "Sweden", "type": "Archive"},
    "hostile": {"name": HOSTILE_NAME, "country": "Nowhere", "type": "Gallery"},
}


def _page(title: str, main: str, footer: str, jsonld: dict[str, object] | None = None) -> bytes:
    ld = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    return (
        f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{title}</title>{ld}"
        f"</head><body><header><nav><a href=/>Home</a></nav></header>"
        f"<main>{main}</main><footer>{footer}</footer></body></html>"
    ).encode()


def _footer() -> str:
    return f'<p>Website text: <a rel="license" href="{CC_BY}">CC BY 4.0</a></p>'


def _object(base: str, path: str, title: str, lic: str, label: str) -> bytes:
    ld = {
        "@context": "https://schema.org",
        "@type": "VisualArtwork",
        "@id": base + path,
        "name": title,
        "license": lic,
    }
    main = (
        f"<article><h1>{escape(title)}</h1><p>Oil on canvas.</p>"
        f'<p>Image rights: <a rel="license" href="{lic}">{label}</a></p></article>'
    )
    return _page(escape(title), main, _footer(), ld)


def index_page(links: list[str]) -> bytes:
    items = "".join(f'<li><a href="{escape(h)}">{escape(h)}</a></li>' for h in links)
    return _page("Collection", f"<ul>{items}</ul>", "<p>Contact us</p>")


def site_pages(key: str, version: int, base: str) -> dict[str, tuple[str, bytes]]:
    """path -> (content type, body) of one site in one version (1 or 2)."""
    html = "text/html; charset=utf-8"
    pages: dict[str, tuple[str, bytes]] = {}
    if key == "museum":
        n_objects = 6 if version == 2 else 4
        for n in range(1, n_objects + 1):
            if version == 2 and n == 6:
                continue  # object 6 is linked but the fetch fails (the store gets an error)
            lic, label = (CC_BY_NC, "CC BY-NC 4.0") if version == 2 and n <= 2 else (CC0, "CC0")
            pages[f"/object/{n}"] = (
                html,
                _object(base, f"/object/{n}", f"Painting {n}", lic, label),
            )
        links = [f"/object/{n}" for n in range(1, n_objects + 1)]
    elif key == "library":
        for n in range(1, 4):
            pages[f"/item/{n}"] = (
                html,
                _object(base, f"/item/{n}", f"Letter {n}", INC, "In Copyright"),
            )
        links = [f"/item/{n}" for n in range(1, 4)]
    elif key == "archive":
        for n in range(1, 4):
            ld = {
                "@context": "https://schema.org",
                "@type": "Photograph",
                "name": f"Photo {n}",
                "license": CC0,
            }
            main = f"<article><h1>Photo {n}</h1><p>Glass negative, 1911.</p></article>"
            pages[f"/record/{n}"] = (html, _page(f"Photo {n}", main, "<p>Contact</p>", ld))
        manifest = {
            "@context": "http://iiif.io/api/presentation/3/context.json",
            "id": base + "/iiif/1/manifest.json",
            "type": "Manifest",
            "label": {"en": ["Photo 1"]},
            "items": [],
        }
        pages["/iiif/1/manifest.json"] = ("application/ld+json", json.dumps(manifest).encode())
        links = [f"/record/{n}" for n in range(1, 4)] + ["/iiif/1/manifest.json"]
    else:
        # the hostile-URL object stays CC0; object 2 turns to a hostile, unrecognised URL in v2
        hostile_lic = 'https://creativecommons.org/licenses/"><script>x</script>/'
        for path, lic in ((HOSTILE_PATH, CC0), ("/object/2", CC0 if version == 1 else hostile_lic)):
            main = (
                f"<article><h1>{HOSTILE_TITLE}</h1>"
                f'<p>Rights: <a rel="license" href="{escape(lic)}">CC0 {HOSTILE_LICENSE_TEXT}</a>'
                "</p></article>"
            )
            pages[path] = (html, _page(HOSTILE_TITLE, main, "<p>Contact</p>"))
        links = [HOSTILE_PATH, "/object/2"]
    pages["/"] = (html, index_page(links))
    return pages
