"""Settings: polite defaults, every GLAMWATCH_* setting declared once and documented, the
environment/--set overlay, and components that switch themselves off with NotConfigured."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

import crawler.settings as settings_module
from crawler.cli.crawl import parse_sets
from crawler.extensions import ProgressExtension, progress_line
from crawler.middlewares import ResponseAddressMiddleware, SafetyMiddleware
from crawler.runner import build_settings
from crawler.settings import GLAMWATCH_SETTINGS


def test_polite_defaults() -> None:
    s = build_settings(environ={})
    assert s.getbool("ROBOTSTXT_OBEY")
    assert s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getfloat("DOWNLOAD_DELAY") >= 1
    assert 1 <= s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert "OpenGLAM-Watch" in s["USER_AGENT"]
    assert s["GLAMWATCH_CONTACT_URL"] in s["USER_AGENT"]
    assert 0 < s.getint("DOWNLOAD_MAXSIZE") <= 64 * 1024 * 1024
    assert 0 < s.getint("DOWNLOAD_WARNSIZE") < s.getint("DOWNLOAD_MAXSIZE")
    assert s.getint("DEPTH_LIMIT") > 0
    assert s.getint("GLAMWATCH_MAX_PAGES") > 0
    assert not s.getbool("GLAMWATCH_ALLOW_PRIVATE")


def test_every_glamwatch_setting_is_declared_once_and_documented() -> None:
    """Each row of the settings table names the setting and its default, in declaration order."""
    names = [s.name for s in GLAMWATCH_SETTINGS]
    assert len(names) == len(set(names))
    doc = settings_module.__doc__ or ""
    table = re.findall(r"^\| (GLAMWATCH_\w+) \| (.+?) \|", doc, re.MULTILINE)
    assert [n for n, _ in table] == names
    for setting, (_, default) in zip(GLAMWATCH_SETTINGS, table, strict=True):
        shown = setting.default
        if isinstance(shown, list):
            shown = "[" + ", ".join(shown) + "]"
        assert default == str(shown), setting.name
    # and the module really exposes each default under its name (what Scrapy reads)
    for setting in GLAMWATCH_SETTINGS:
        assert getattr(settings_module, setting.name) == setting.default


def test_environment_then_set_overrides() -> None:
    """GLAMWATCH_* variables override the module; --set overrides both; others are ignored."""
    env = {"GLAMWATCH_MAX_PAGES": "7", "GLAMWATCH_REVISIT": "0", "DOWNLOAD_DELAY": "9"}
    s = build_settings({"GLAMWATCH_REVISIT": "1"}, environ=env)
    assert s.getint("GLAMWATCH_MAX_PAGES") == 7
    assert s.getbool("GLAMWATCH_REVISIT") is True
    assert s.getfloat("DOWNLOAD_DELAY") == 1.0


def test_parse_sets() -> None:
    assert parse_sets(["DOWNLOAD_DELAY=0", "X=a=b"]) == {"DOWNLOAD_DELAY": "0", "X": "a=b"}
    with pytest.raises(ValueError, match="NAME=VALUE"):
        parse_sets(["DOWNLOAD_DELAY"])


def test_safety_middlewares_switch_off_only_when_private_is_allowed() -> None:
    on = get_crawler(settings_dict={"GLAMWATCH_PRIVATE_ALLOWLIST": "127.0.0.1/32"})
    mw = SafetyMiddleware.from_crawler(on)
    assert [str(n) for n in mw.allowlist] == ["127.0.0.1/32"]
    off = get_crawler(settings_dict={"GLAMWATCH_ALLOW_PRIVATE": True})
    for cls in (SafetyMiddleware, ResponseAddressMiddleware):
        with pytest.raises(NotConfigured):
            cls.from_crawler(off)
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(get_crawler(settings_dict={"GLAMWATCH_PROGRESS": False}))


def test_progress_line_sums_the_namespaced_stats() -> None:
    stats = {
        "glamwatch/pages": 10,
        "glamwatch/errors/timeout": 2,
        "glamwatch/errors/http-500": 1,
        "glamwatch/assertions/jsonld": 4,
        "glamwatch/assertions/rel-license": 3,
        "glamwatch/refused/trap:calendar": 5,
    }
    line = progress_line(stats, sites=2, elapsed=4.0)
    assert line == ("sites 2  pages 10  assertions 7  errors 3  refused 5  2.5 pages/s")


def test_registry_download_delay_becomes_a_download_slot() -> None:
    """Per-site pace is registry data: `download_delay` → Scrapy DOWNLOAD_SLOTS by host."""
    from crawler.registry import parse_registry
    from crawler.runner import site_download_slots
    from crawler.sites import plans_from_args

    reg = parse_registry(
        {
            "institutions": [
                {
                    "name": "Slow Museum",
                    "sites": [{"base_url": "https://Slow.Example/", "download_delay": 5}],
                },
                {"name": "Other", "sites": [{"base_url": "https://other.example"}]},
            ]
        }
    )
    plans = plans_from_args(["https://adhoc.example/x"], reg.sites())
    assert site_download_slots(plans) == {"slow.example": {"delay": 5.0}}
    assert [p.base for p in plans] == [
        "https://slow.example",
        "https://other.example",
        "https://adhoc.example",
    ]
    assert plans[2].site.seeds == ["https://adhoc.example/x"]


def test_docs_list_every_setting_with_its_default_and_every_stat() -> None:
    """docs/CRAWLING.md has a `Default:` line for each GLAMWATCH setting and names each stat
    prefix the crawl code counts."""
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "CRAWLING.md").read_text(encoding="utf-8")
    for s in GLAMWATCH_SETTINGS:
        assert f"| `{s.name}` | Default: `{s.default}` |" in doc, s.name
    code = "".join(
        (root / p).read_text(encoding="utf-8")
        for p in ("spiders/site.py", "crawler/middlewares.py", "crawler/pipelines.py")
    )
    prefixes = set(re.findall(r'(?:_stat\(f?"|"glamwatch/)([a-z_]+)', code))
    for prefix in prefixes:
        assert f"`glamwatch/{prefix}" in doc, prefix


def test_contact_url_setting_reaches_the_user_agent() -> None:
    """GLAMWATCH_CONTACT_URL changes the User-Agent; an explicit USER_AGENT wins."""
    from crawler.settings import CONTACT_URL, user_agent

    base = {"ADDONS": {"crawler.addon.GlamwatchAddon": 0}, "USER_AGENT": user_agent(CONTACT_URL)}
    c = get_crawler(settings_dict={**base, "GLAMWATCH_CONTACT_URL": "https://museum.example/bot"})
    assert c.settings["USER_AGENT"] == user_agent("https://museum.example/bot")
    c = get_crawler(
        settings_dict={**base, "GLAMWATCH_CONTACT_URL": "https://x.example/", "USER_AGENT": "Mine"}
    )
    assert c.settings["USER_AGENT"] == "Mine"
    c = get_crawler(settings_dict={**base, "GLAMWATCH_CONTACT_URL": CONTACT_URL})
    assert c.settings["USER_AGENT"] == user_agent(CONTACT_URL)
