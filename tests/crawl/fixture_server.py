"""A hostile multi-site GLAM fixture served by real HTTP servers on 127.0.0.1 (port 0).

Reusable by any test: `with GlamSites() as sites:` starts two sites in threads (a museum with
every discovery path and trap of issue 6, and a small archive), records every request each
server receives, and serves a second version on `sites.version = 2` (object 3 gone, object 1
In Copyright).

Museum routes: robots.txt (disallows /private/, names a sitemap index), sitemap index → gzip
urlset + text sitemap, home, /collection/, object pages with a license in every method, a
policy page, IIIF v2 + v3 manifests and collections, OAI-PMH with three ListRecords pages,
a calendar trap, a redirect loop, a 500, a slow page (timeout), a 30 MB body, binary served as
HTML, a link and a redirect to a private address (127.0.0.2), session-id and tracking URLs.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Route = tuple[int, dict[str, str], bytes]

OBJECT_METHODS = {
    1: "rel-license",
    2: "jsonld",
    3: "rdfa",
    4: "microdata",
    5: "meta",
    6: "button-image",
    7: "text",
    8: "rel-license",
}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HUGE = 30 * 1024 * 1024


def _html(title: str, body: str, head: str = "") -> bytes:
    return (
        f"<!doctype html><html><head><title>{title}</title>{head}</head>"
        f"<body><main>{body}</main></body></html>"
    ).encode()


def object_page(n: int, base: str, version: int = 1) -> bytes:
    """Object n carries its license in one method (OBJECT_METHODS) and links its manifest;
    in version 2 object 1 is marked In Copyright (a regression)."""
    method = OBJECT_METHODS.get(n, "rel-license")
    lic = CC0 if n % 2 else CC_BY
    if version == 2 and n == 1:
        lic = IN_COPYRIGHT
    head = (
        f'<link rel="alternate" type="application/ld+json;profile=&quot;'
        f'http://iiif.io/api/presentation/{2 if n % 2 else 3}/context.json&quot;" '
        f'href="/iiif/{n}/manifest.json">'
    )
    body = f"<h1>Object {n}</h1>"
    if method == "rel-license":
        body += f'<p>License: <a rel="license" href="{lic}">licence</a></p>'
    elif method == "jsonld":
        head += (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            f'"@type":"VisualArtwork","name":"Object {n}","license":"{lic}"}}</script>'
        )
    elif method == "rdfa":
        body += (
            f'<div about="{base}/object/{n}" prefix="cc: http://creativecommons.org/ns#">'
            f'<a property="cc:license" href="{lic}">license</a></div>'
        )
    elif method == "microdata":
        body += (
            '<div itemscope itemtype="https://schema.org/VisualArtwork">'
            f'<link itemprop="license" href="{lic}"></div>'
        )
    elif method == "meta":
        head += f'<meta name="dcterms.license" content="{lic}">'
    elif method == "button-image":
        body += (
            f'<a href="{lic}"><img src="https://licensebuttons.net/l/by/4.0/88x31.png" '
            'alt="CC BY"></a>'
        )
    else:
        body += "<p>This image is released under CC BY 4.0.</p>"
    body += '<p><a href="/collection/">back</a> <a href="/rights">Rights and reuse</a></p>'
    return _html(f"Object {n}", body, head)


def iiif_manifest(n: int, base: str) -> bytes:
    if n % 2:
        return (
            '{"@context":"http://iiif.io/api/presentation/2/context.json",'
            f'"@id":"{base}/iiif/{n}/manifest.json","@type":"sc:Manifest",'
            f'"label":"Object {n}","license":"{CC0}"}}'
        ).encode()
    return (
        '{"@context":"http://iiif.io/api/presentation/3/context.json",'
        f'"id":"{base}/iiif/{n}/manifest.json","type":"Manifest",'
        f'"label":{{"en":["Object {n}"]}},"rights":"{CC_BY}"}}'
    ).encode()


OAI_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
    "<responseDate>2026-01-01T00:00:00Z</responseDate>"
)


def oai_response(
    query: dict[str, list[str]], base: str, *, first_resumption: str = "page2", sets: bool = True
) -> bytes:
    """Three ListRecords pages (tokens page2, page3); `set=…` → noRecordsMatch when `sets`;
    an unknown token → badResumptionToken (`first_resumption="bad-token"` walks into it)."""
    verb = query.get("verb", [""])[0]
    req = f'<request verb="{verb}">{base}/oai</request>'
    if verb == "Identify":
        inner = (
            "<Identify><repositoryName>Fixture Museum</repositoryName>"
            f"<baseURL>{base}/oai</baseURL><protocolVersion>2.0</protocolVersion></Identify>"
        )
    elif verb == "ListMetadataFormats":
        inner = "<ListMetadataFormats>" + "".join(
            f"<metadataFormat><metadataPrefix>{p}</metadataPrefix></metadataFormat>"
            for p in ("oai_dc", "edm")
        )
        inner += "</ListMetadataFormats>"
    elif verb == "ListRecords":
        token = query.get("resumptionToken", [""])[0]
        if token and token not in ("page2", "page3"):
            inner = '<error code="badResumptionToken">unknown token</error>'
        elif not token and query.get("metadataPrefix", [""])[0] != "edm":
            inner = '<error code="cannotDisseminateFormat">edm expected</error>'
        elif query.get("set") and sets:
            inner = '<error code="noRecordsMatch">empty set</error>'
        else:
            page = {"": 1, "page2": 2, "page3": 3}[token]
            records = "".join(
                "<record><header><identifier>oai:fixture:"
                f"{page}-{i}</identifier></header><metadata>"
                '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xmlns:edm="http://www.europeana.eu/schemas/edm/">'
                '<edm:ProvidedCHO rdf:about="x"/><edm:WebResource rdf:about="y">'
                f'<edm:rights rdf:resource="{CC0}"/></edm:WebResource></rdf:RDF>'
                "</metadata></record>"
                for i in range(2)
            )
            nxt = {1: first_resumption, 2: "page3", 3: ""}[page]
            records += f'<resumptionToken completeListSize="6">{nxt}</resumptionToken>'
            inner = f"<ListRecords>{records}</ListRecords>"
    else:
        inner = '<error code="badVerb">bad verb</error>'
    return (OAI_HEAD + req + inner + "</OAI-PMH>").encode()


class Site:
    """One site: a route function and the log of what was requested."""

    def __init__(self, name: str, routes: Callable[[Site, str, dict[str, list[str]]], Any]):
        self.name = name
        self.routes = routes
        self.log: list[str] = []  # path?query of every request, in order
        self.times: list[float] = []  # time.monotonic() of each request in `log`
        self.lock = threading.Lock()
        self.version = 1
        self.delay = 0.0  # seconds added to every page (to make a crawl interruptible)
        ThreadingHTTPServer.request_queue_size = 128  # many concurrent connects, no SYN drops
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.log)

    def paths(self) -> set[str]:
        with self.lock:
            return set(self.log)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with site.lock:
                    site.log.append(self.path)
                    site.times.append(time.monotonic())
                query = parse_qs(parts.query, keep_blank_values=True)
                result = site.routes(site, parts.path, query)
                if result == "slow":
                    time.sleep(8)  # well past the tests' DOWNLOAD_TIMEOUT
                    result = (200, {"Content-Type": "text/html"}, _html("slow", "late"))
                if result in ("huge", "huge-stream"):
                    self._huge(announce=result == "huge")
                    return
                if site.delay and parts.path != "/robots.txt":
                    time.sleep(site.delay)
                status, headers, body = result
                self.send_response(status)
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def _huge(self, announce: bool) -> None:
                """30 MB, announced by Content-Length or streamed until the connection closes."""
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                if announce:
                    self.send_header("Content-Length", str(HUGE))
                else:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                chunk = b"<p>" + b"x" * (1024 * 1024 - 3)
                try:
                    for _ in range(30):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass

        return Handler

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def museum_routes(site: Site, path: str, query: dict[str, list[str]]) -> Any:
    b = site.base
    objects = [n for n in range(1, 9) if not (site.version == 2 and n == 3)]
    html = {"Content-Type": "text/html; charset=utf-8"}
    if path == "/robots.txt":
        return (
            200,
            {"Content-Type": "text/plain"},
            (
                "User-agent: *\nDisallow: /private/\nDisallow: /iiif/9/\n"
                f"Sitemap: {b}/sitemap_index.xml\n"
            ).encode(),
        )
    if path == "/sitemap_index.xml":
        body = (
            '<?xml version="1.0"?><sitemapindex '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{b}/sitemap-objects.xml.gz</loc></sitemap>"
            f"<sitemap><loc>{b}/sitemap-pages.txt</loc></sitemap></sitemapindex>"
        )
        return 200, {"Content-Type": "application/xml"}, body.encode()
    if path == "/sitemap-objects.xml.gz":
        body = (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(f"<url><loc>{b}/object/{n}</loc></url>" for n in objects)
            + "</urlset>"
        )
        return 200, {"Content-Type": "application/x-gzip"}, gzip.compress(body.encode())
    if path == "/sitemap-pages.txt":
        return 200, {"Content-Type": "text/plain"}, f"{b}/about\n{b}/rights\n".encode()
    if path == "/":
        links = [
            '<a href="/collection/">Collection</a>',
            '<a href="/rights">Rights and reuse</a>',
            '<a href="/private/secret">Staff</a>',
            '<a href="/events/calendar?month=2024-01">Calendar</a>',
            '<a href="/loop/a">Loop</a>',
            '<a href="/broken">Broken</a>',
            '<a href="/slow">Slow</a>',
            '<a href="/huge">Huge</a>',
            '<a href="/huge-stream">Huge, streamed</a>',
            '<a href="/binary">Binary</a>',
            f'<a href="http://127.0.0.2:{site.port}/internal">Intranet</a>',
            '<a href="/go-private">Go private</a>',
            '<a href="/object/2;jsessionid=ABC123">Object 2 (session)</a>',
            '<a href="/object/4?utm_source=home">Object 4 (tracked)</a>',
            '<a href="/images/poster.jpg">Poster</a>',
            '<a href="/iiif/collection.json">IIIF collection</a>',
            '<a href="/c/1/view">Highlight</a>',
            '<a href="mailto:info@example.org">Mail</a>',
        ]
        return 200, html, _html("Fixture Museum", " ".join(links))
    if path == "/collection/":
        return (
            200,
            html,
            _html("Collection", " ".join(f'<a href="/object/{n}">Object {n}</a>' for n in objects)),
        )
    if path.startswith("/object/"):
        n = int(path.rsplit("/", 1)[-1].split(";")[0])
        if n not in objects:
            return 404, html, _html("Not found", "gone")
        return 200, html, object_page(n, b, site.version)
    if path in ("/c/1/view", "/c/2/view"):
        # /c/1/view says it is an object (schema.org type); /c/2/view says nothing: only the
        # URL shape learned from /c/1/view makes it an object
        head = (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            '"@type":"VisualArtwork","name":"highlight"}</script>'
            if path == "/c/1/view"
            else ""
        )
        return 200, html, _html("Highlight", '<a href="/c/2/view">next highlight</a>', head)
    if path in ("/rights", "/about"):
        text = "<p>All images are CC0 unless stated otherwise.</p>" if path == "/rights" else ""
        return 200, html, _html(path[1:], text + '<a href="/">home</a>')
    if path == "/events/calendar":
        month = query.get("month", ["2024-01"])[0]
        y, m = (int(x) for x in month.split("-"))
        nxt = f"{y + (m == 12)}-{m % 12 + 1:02d}"
        prv = f"{y - (m == 1)}-{(m - 2) % 12 + 1:02d}"
        return (
            200,
            html,
            _html(
                "Calendar",
                f'<a href="/events/calendar?month={nxt}">next</a>'
                f'<a href="/events/calendar?month={prv}">prev</a>',
            ),
        )
    if path == "/loop/a":
        return 302, {"Location": "/loop/b"}, b""
    if path == "/loop/b":
        return 302, {"Location": "/loop/a"}, b""
    if path == "/go-private":
        return 302, {"Location": f"http://127.0.0.2:{site.port}/secret"}, b""
    if path == "/broken":
        return 500, html, _html("error", "boom")
    if path == "/slow":
        return "slow"
    if path == "/huge":
        return "huge"
    if path == "/huge-stream":
        return "huge-stream"
    if path == "/binary":
        return 200, html, PNG
    if path == "/iiif/collection.json":
        body = (
            '{"@context":"http://iiif.io/api/presentation/2/context.json",'
            f'"@id":"{b}/iiif/collection.json","@type":"sc:Collection",'
            f'"manifests":[{{"@id":"{b}/iiif/1/manifest.json","@type":"sc:Manifest"}}],'
            f'"collections":[{{"@id":"{b}/iiif/collection3.json","@type":"sc:Collection"}}]}}'
        )
        return 200, {"Content-Type": "application/json"}, body.encode()
    if path == "/iiif/collection3.json":
        body = (
            '{"@context":"http://iiif.io/api/presentation/3/context.json",'
            f'"id":"{b}/iiif/collection3.json","type":"Collection",'
            f'"items":[{{"id":"{b}/iiif/2/manifest.json","type":"Manifest"}},'
            f'{{"id":"{b}/iiif/9/manifest.json","type":"Manifest"}}]}}'
        )
        return 200, {"Content-Type": "application/json"}, body.encode()
    if path.startswith("/iiif/") and path.endswith("/manifest.json"):
        n = int(path.split("/")[2])
        return 200, {"Content-Type": "application/ld+json"}, iiif_manifest(n, b)
    if path == "/oai":
        return 200, {"Content-Type": "text/xml"}, oai_response(query, b)
    return 404, html, _html("Not found", "nothing here")


def archive_routes(site: Site, path: str, query: dict[str, list[str]]) -> Any:
    html = {"Content-Type": "text/html; charset=utf-8"}
    if path == "/":
        return 200, html, _html("Archive", '<a href="/item/1">1</a> <a href="/item/2">2</a>')
    if path == "/oai":
        return 200, {"Content-Type": "text/xml"}, oai_response(query, site.base)
    if path == "/oai-broken":
        body = oai_response(query, site.base, first_resumption="bad-token", sets=False)
        return 200, {"Content-Type": "text/xml"}, body
    if path in ("/item/1", "/item/2"):
        head = '<meta name="dcterms.license" content="https://creativecommons.org/licenses/by-nc/4.0/">'
        return 200, html, _html(path, "<p>an archival item</p>", head)
    return 404, html, _html("Not found", "")


def paged_routes(site: Site, path: str, query: dict[str, list[str]]) -> Any:
    """A plain site of `site.pages` object pages: long enough to interrupt mid-way."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    n_pages = getattr(site, "pages", 30)
    if path == "/":
        return (
            200,
            html,
            _html(
                "Paged", " ".join(f'<a href="/object/{n}">o{n}</a>' for n in range(1, n_pages + 1))
            ),
        )
    if path.startswith("/object/"):
        n = int(path.rsplit("/", 1)[-1])
        if 1 <= n <= n_pages:
            return 200, html, object_page(1, site.base)
    return 404, html, _html("Not found", "")


class GlamSites:
    """The museum and the archive, started together; `with GlamSites() as sites: …`."""

    def __init__(self) -> None:
        self.museum = Site("museum", museum_routes)
        self.archive = Site("archive", archive_routes)

    def __enter__(self) -> GlamSites:
        self.museum.start()
        self.archive.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.museum.stop()
        self.archive.stop()

    def set_version(self, version: int) -> None:
        self.museum.version = version
        self.archive.version = version


def crawl_delay_routes(site: Site, path: str, query: dict[str, list[str]]) -> Any:
    """A site whose robots.txt asks for `Crawl-delay: 0.4`; five pages."""
    html = {"Content-Type": "text/html; charset=utf-8"}
    if path == "/robots.txt":
        return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 0.4\n"
    if path == "/":
        links = " ".join(f'<a href="/p{n}">p{n}</a>' for n in range(1, 5))
        return 200, html, _html("Slow please", links)
    if path in ("/p1", "/p2", "/p3", "/p4"):
        return 200, html, _html(path, "a page")
    return 404, html, _html("Not found", "")


def moved_routes(site: Site, path: str, query: dict[str, list[str]]) -> Any:
    """A site that moved: every path answers 301 to the same path on `site.target`."""
    target: str = getattr(site, "target", "")
    suffix = path + (("?" + "&".join(f"{k}={v[0]}" for k, v in query.items())) if query else "")
    return 301, {"Location": target + suffix}, b""
