"""A real HTTP server for the bundled demo sites, one loopback port per site.

Each site is served from package data (`crawler/demo/sites/<version>/<site>/`); a later version
holds only the files that changed and a `REMOVED` list, and falls back to `v1` for the rest (see
`sites/README.md`). `{{BASE}}` in a text file is replaced by the site's own origin so sitemaps and
JSON-LD ids are absolute. The version can be switched while the servers run, so a second crawl
sees the same URLs change.
"""

from __future__ import annotations

import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from importlib.resources.abc import Traversable
from types import TracebackType
from urllib.parse import unquote, urlsplit

SITES = ("museum", "library", "archive")
VERSIONS = ("v1", "v2")
BASE_VERSION = "v1"
_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/ld+json")


def sites_root() -> Traversable:
    return resources.files("crawler.demo") / "sites"


def _removed(root: Traversable) -> set[str]:
    listing = root / "REMOVED"
    if not listing.is_file():
        return set()
    lines = listing.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def resolve(version: str, site: str, path: str) -> Traversable | None:
    """The file a site serves for `path` in `version`: its own, else v1's, unless removed."""
    root = sites_root() / version / site
    if version != BASE_VERSION:
        if path.rstrip("/") in _removed(root):
            return None
        found = _resolve(root, path)
        if found is not None:
            return found
    return _resolve(sites_root() / BASE_VERSION / site, path)


def _resolve(root: Traversable, path: str) -> Traversable | None:
    """Map a URL path to a file: `/a/b` → `a/b`, `a/b.html` or `a/b/index.html`."""
    parts = [p for p in unquote(path).split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    node = root
    for part in parts:
        node = node / part
    candidates = [node / "index.html"] if not parts or path.endswith("/") else []
    if parts:
        candidates += [node, root.joinpath(*parts[:-1], parts[-1] + ".html"), node / "index.html"]
    for c in candidates:
        if c.is_file() and c.name != "REMOVED":
            return c
    return None


class _Handler(BaseHTTPRequestHandler):
    server: _SiteServer
    server_version = "GLAMWatchDemo/1.0"

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        srv = self.server
        found = resolve(srv.owner.version, srv.site, urlsplit(self.path).path)
        if found is None:
            data = b"<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>"
            self._send(404, "text/html; charset=utf-8", data, body)
            return
        ctype = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        data = found.read_bytes()
        if ctype.startswith(_TEXT_TYPES):
            data = data.replace(b"{{BASE}}", srv.base_url.encode("ascii"))
            ctype += "; charset=utf-8"
        self._send(200, ctype, data, body)

    def _send(self, status: int, ctype: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        self.server.owner.hits.append(self.path)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: DemoSites, site: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner
        self.site = site
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"


class DemoSites:
    """Serve every demo site on its own OS-chosen loopback port; switch versions live."""

    def __init__(self, version: str = "v1") -> None:
        self.version = version
        self.hits: list[str] = []
        self._servers: dict[str, _SiteServer] = {}
        self._threads: list[threading.Thread] = []

    @property
    def base_urls(self) -> dict[str, str]:
        return {name: srv.base_url for name, srv in self._servers.items()}

    def set_version(self, version: str) -> None:
        if version not in VERSIONS:
            raise ValueError(f"unknown demo version {version!r}")
        self.version = version

    def start(self) -> DemoSites:
        for site in SITES:
            srv = _SiteServer(self, site)
            thread = threading.Thread(target=srv.serve_forever, name=f"demo-{site}", daemon=True)
            thread.start()
            self._servers[site] = srv
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for srv in self._servers.values():
            srv.shutdown()
            srv.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoSites:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
