"""Crawl throughput: the full `glamwatch crawl` stack against bare Scrapy, same run, same site.

    .venv/bin/python bench/crawl.py [--pages 300] [--kb 40]

Serves a loopback site of N museum-shaped object pages (each with a rel=license link, JSON-LD
and a footer) and crawls it twice, each in its own process (the reactor runs once per
process): (1) a bare Scrapy spider that only follows links (the baseline), (2) `glamwatch
crawl` with extraction, discovery policy, the SSRF guard, budgets and the SQLite store, with
politeness off so both measure CPU (DOWNLOAD_DELAY=0, no AutoThrottle, 16 per domain).
Prints pages/s from Scrapy's own `elapsed_time_seconds` and the ratio (ours / baseline).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLITENESS_OFF = (
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "LOG_LEVEL=INFO",
)


def page(n: int, total: int, kb: int) -> bytes:
    links = " ".join(f'<a href="/object/{(n * 7 + k) % total + 1}">o</a>' for k in range(5))
    filler = "<p>" + "Lorem ipsum dolor sit amet. " * (kb * 36) + "</p>"
    return (
        "<!doctype html><html><head><title>Object</title>"
        '<script type="application/ld+json">{"@context":"https://schema.org",'
        '"@type":"VisualArtwork","license":"https://creativecommons.org/publicdomain/zero/1.0/"}'
        "</script></head><body><main><h1>Object</h1>"
        '<a rel="license" href="https://creativecommons.org/publicdomain/zero/1.0/">CC0</a>'
        f"{filler}{links}</main><footer>© Museum, CC BY 4.0</footer></body></html>"
    ).encode()


def serve(total: int, kb: int) -> ThreadingHTTPServer:
    pages = {f"/object/{n}": page(n, total, kb) for n in range(1, total + 1)}
    pages["/"] = (
        "<html><body>" + "".join(f'<a href="/object/{n}">o</a>' for n in range(1, total + 1))
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body else 404)
            body = body or b"not found"
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


BASELINE = """
import sys
import scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        yield scrapy.Request(sys.argv[1])
    def parse(self, response):
        for href in response.xpath("//a/@href").getall():
            yield response.follow(href)

p = CrawlerProcess({"LOG_LEVEL": "INFO", "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
                    "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False})
p.crawl(Bare)
p.start()
"""


def elapsed_and_count(log: str, key: str) -> tuple[float, int]:
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log).group(1))  # type: ignore[union-attr]
    count = int(re.search(rf"'{re.escape(key)}': (\d+)", log).group(1))  # type: ignore[union-attr]
    return elapsed, count


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--kb", type=int, default=40, help="approximate page size in KB")
    args = ap.parse_args()
    server = serve(args.pages, args.kb)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        bare = subprocess.run(
            [sys.executable, "-c", BASELINE, base], capture_output=True, text=True, check=False
        )
        if "'elapsed_time_seconds'" not in bare.stderr:
            sys.exit(f"baseline crawl failed:\n{bare.stderr[-2000:]}")
        b_elapsed, b_pages = elapsed_and_count(bare.stderr, "response_received_count")
        with tempfile.TemporaryDirectory() as tmp:
            argv = [sys.executable, "-m", "crawler", "crawl", base, "--allow-private"]
            argv += ["--db", str(Path(tmp) / "bench.db"), "--no-progress"]
            argv += ["--max-pages", str(args.pages + 10)]
            for s in POLITENESS_OFF:
                argv += ["--set", s]
            ours = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=ROOT)
        o_elapsed, o_pages = elapsed_and_count(ours.stderr, "glamwatch/pages")
    finally:
        server.shutdown()
    b_rate, o_rate = b_pages / b_elapsed, o_pages / o_elapsed
    print(f"pages: {args.pages} × ~{args.kb} KB on 127.0.0.1")
    print(
        f"bare scrapy      : {b_pages:5d} responses in {b_elapsed:6.2f} s = {b_rate:7.1f} pages/s"
    )
    print(
        f"glamwatch crawl  : {o_pages:5d} pages     in {o_elapsed:6.2f} s = {o_rate:7.1f} pages/s"
    )
    print(f"cost ratio (time per page, ours / bare): {b_rate / o_rate:.2f}×")


if __name__ == "__main__":
    main()
