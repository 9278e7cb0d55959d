"""The demo server: real loopback HTTP, one port per site, version 2 overlaid on version 1."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from crawler.demo.server import SITES, DemoSites


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - loopback http only
            return resp.status, resp.read(), resp.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        return exc.code, b"", ""


@pytest.fixture
def sites():
    with DemoSites() as running:
        yield running


def test_each_site_has_its_own_loopback_origin(sites: DemoSites) -> None:
    bases = sites.base_urls
    assert sorted(bases) == sorted(SITES)
    assert len(set(bases.values())) == len(SITES)
    for base in bases.values():
        assert base.startswith("http://127.0.0.1:")
        status, body, ctype = get(base + "/robots.txt")
        assert status == 200
        assert ctype.startswith("text/plain")
        assert f"Sitemap: {base}/sitemap.xml".encode() in body  # {{BASE}} substituted


def test_version_two_overlays_version_one(sites: DemoSites) -> None:
    museum, archive = sites.base_urls["museum"], sites.base_urls["archive"]
    before = {p: get(museum + p) for p in ("/object/1", "/object/4", "/object/6")}
    record_v1 = get(archive + "/records/7")[1]
    sites.set_version("v2")
    assert get(museum + "/object/1") == before["/object/1"]  # unchanged: served from v1
    assert b"by-nc/4.0" in get(museum + "/object/4")[1]
    assert b"zero/1.0" in before["/object/4"][1]
    assert before["/object/6"][0] == 200
    assert get(museum + "/object/6")[0] == 404  # listed in v2/museum/REMOVED
    assert b"/object/6" not in get(museum + "/sitemap.xml")[1]
    assert b"cc:license" in record_v1
    assert b"cc:license" not in get(archive + "/records/7")[1]


@pytest.mark.parametrize("path", ["/REMOVED", "/../v1/museum/index.html", "/.hidden", "/nope"])
def test_unknown_and_escaping_paths_are_404(sites: DemoSites, path: str) -> None:
    sites.set_version("v2")
    assert get(sites.base_urls["museum"] + path)[0] == 404


def test_unknown_version_is_refused(sites: DemoSites) -> None:
    with pytest.raises(ValueError, match="unknown demo version"):
        sites.set_version("v3")
