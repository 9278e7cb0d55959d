"""The registry of institutions and their sites: per-site differences as data, not spiders.

YAML shape (a list under `institutions:`):

    institutions:
      - name: Example Museum
        country: Netherlands
        type: Museum
        wikidata: Q190804
        survey: listed            # listed | candidate | null
        sites:
          - base_url: https://example.org
            seeds: [https://example.org/collection]
            allow: ['/collection/']        # regex on the URL path, optional
            deny: ['/search']              # optional
            object_patterns: ['/object/']  # URL shapes of collection items, optional
            iiif: [https://example.org/iiif/collection.json]
            oai: [https://example.org/oai]
            max_pages: 200
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml


class RegistryError(ValueError):
    """The registry file cannot be read or has an invalid entry (message says which)."""


def site_base(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased: the unit a crawl stays inside."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}"


@dataclass
class SiteEntry:
    base_url: str
    seeds: list[str] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)
    deny: list[str] = field(default_factory=list)
    object_patterns: list[str] = field(default_factory=list)
    iiif: list[str] = field(default_factory=list)
    oai: list[str] = field(default_factory=list)
    oai_set: str | None = None
    max_pages: int | None = None
    notify: str | None = None  # webhook URL for alerts after a run
    download_delay: float | None = None  # seconds between requests to this site (DOWNLOAD_SLOTS)

    def start_urls(self) -> list[str]:
        return self.seeds or [self.base_url.rstrip("/") + "/"]


@dataclass
class InstitutionEntry:
    name: str
    country: str | None = None
    type: str | None = None
    wikidata: str | None = None
    website: str | None = None
    survey: str | None = None  # listed | candidate | None
    survey_url: str | None = None
    sites: list[SiteEntry] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Registry:
    institutions: list[InstitutionEntry] = field(default_factory=list)

    def sites(self) -> list[tuple[InstitutionEntry, SiteEntry]]:
        return [(inst, site) for inst in self.institutions for site in inst.sites]

    def to_yaml(self) -> str:
        data = {"institutions": [_prune(asdict(i)) for i in self.institutions]}
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


_SITE_KEYS = set(SiteEntry.__dataclass_fields__)
_INST_KEYS = set(InstitutionEntry.__dataclass_fields__)


def parse_registry(data: Any, origin: str = "<registry>") -> Registry:
    if not isinstance(data, dict) or not isinstance(data.get("institutions"), list):
        raise RegistryError(f"{origin}: expected a mapping with an 'institutions' list")
    out: list[InstitutionEntry] = []
    for n, raw in enumerate(data["institutions"]):
        if not isinstance(raw, dict) or not raw.get("name"):
            raise RegistryError(f"{origin}: institution #{n + 1} has no name")
        unknown = set(raw) - _INST_KEYS
        if unknown:
            raise RegistryError(f"{origin}: {raw['name']}: unknown keys {sorted(unknown)}")
        sites = []
        for s in raw.get("sites") or []:
            if not isinstance(s, dict) or not s.get("base_url"):
                raise RegistryError(f"{origin}: {raw['name']}: a site has no base_url")
            bad = set(s) - _SITE_KEYS
            if bad:
                raise RegistryError(f"{origin}: {raw['name']}: unknown site keys {sorted(bad)}")
            entry = SiteEntry(**s)
            entry.base_url = site_base(entry.base_url)
            sites.append(entry)
        fields = {k: v for k, v in raw.items() if k != "sites"}
        out.append(InstitutionEntry(**fields, sites=sites))
    return Registry(out)


def load_registry(path: str | Path) -> Registry:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RegistryError(f"{p}: cannot read registry: {exc}") from exc
    return parse_registry(data, str(p))
