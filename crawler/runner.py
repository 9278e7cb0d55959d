"""`run_crawl`: one crawl run in this process (Scrapy `CrawlerProcess`), returning its run id.

The Twisted reactor can run once per process, so a caller that needs two crawls uses two
processes (the demo and the tests do). The store is opened here first, so that a database that
cannot open fails with one clear error before Scrapy starts; the run is created (or, with
`resume=True`, reopened from the id saved in the JOBDIR) and handed to the pipeline through
`GLAMWATCH_RUN_ID`. Settings: `crawler/settings.py`, then `GLAMWATCH_*` environment variables
(only names declared there), then `settings=` (the CLI's `--set`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from crawler.registry import Registry, RegistryError, site_base
from crawler.settings import GLAMWATCH_SETTINGS

RUN_FILE = "glamwatch-run.json"


class CrawlError(Exception):
    """The crawl cannot start (no sites, bad seed, store or JOBDIR problem); message says why."""


def build_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Project settings + declared GLAMWATCH_* environment variables + overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    env = os.environ if environ is None else environ
    for s in GLAMWATCH_SETTINGS:
        if s.name in env:
            settings.set(s.name, env[s.name], priority="project")
    if overrides:
        settings.update(dict(overrides), priority="cmdline")
    return settings


def _plans(seeds: Sequence[str], registry: Registry | None, institution: str | None) -> list[Any]:
    from crawler.sites import plans_from_args

    pairs = registry.sites() if registry else []
    if institution and pairs:
        pairs = [(i, s) for i, s in pairs if i.name == institution]
        if not pairs and not seeds:
            raise CrawlError(f"no institution named {institution!r} in the registry")
    try:
        for url in seeds:
            site_base(url)
    except RegistryError as exc:
        raise CrawlError(f"bad seed: {exc}") from exc
    plans = plans_from_args(seeds, pairs, institution)
    if not plans:
        raise CrawlError("nothing to crawl: give seed URLs or a registry with sites")
    return plans


def run_crawl(
    seeds: Sequence[str] = (),
    *,
    registry: Registry | None = None,
    db_url: str,
    allow_private: bool = False,
    max_pages: int | None = None,
    resume: bool = False,
    jobdir: str | None = None,
    institution: str | None = None,
    settings: Mapping[str, Any] | None = None,
    progress: bool = False,
) -> int:
    """Crawl the seeds and/or the registry's sites into one run; return the run id."""
    from scrapy.crawler import CrawlerProcess

    from db.errors import StoreError
    from db.store import Store
    from spiders.site import SiteSpider

    run_file = Path(jobdir) / RUN_FILE if jobdir else None
    saved: dict[str, Any] = {}
    if resume:
        if run_file is None or not run_file.exists():
            raise CrawlError("--resume needs the --jobdir of an interrupted crawl")
        saved = json.loads(run_file.read_text(encoding="utf-8"))
        seeds = seeds or saved.get("seeds", [])
        institution = institution or saved.get("institution")
        max_pages = max_pages or saved.get("max_pages")
        allow_private = allow_private or bool(saved.get("allow_private"))
        if registry is None and saved.get("registry"):
            from crawler.registry import parse_registry

            registry = parse_registry(saved["registry"], str(run_file))
    plans = _plans(seeds, registry, institution)

    overrides: dict[str, Any] = dict(settings or {})
    overrides["GLAMWATCH_DB_URL"] = db_url
    if allow_private:
        overrides["GLAMWATCH_ALLOW_PRIVATE"] = True
    if max_pages:
        overrides["GLAMWATCH_MAX_PAGES"] = max_pages
    if jobdir:
        overrides["JOBDIR"] = jobdir
    if progress:
        overrides["GLAMWATCH_PROGRESS"] = True
    slots = site_download_slots(plans)
    if slots:
        given = overrides.get("DOWNLOAD_SLOTS") or {}
        overrides["DOWNLOAD_SLOTS"] = {
            **slots,
            **(json.loads(given) if isinstance(given, str) else given),
        }
    scrapy_settings = build_settings(overrides)

    try:
        store = Store.open(db_url)
    except StoreError as exc:
        raise CrawlError(str(exc)) from exc
    except Exception as exc:  # driver errors: unreadable file, bad URL, server down …
        raise CrawlError(f"cannot open the store {db_url!r}: {exc}") from exc
    try:
        if not resume and jobdir:
            _reuse_jobdir(Path(jobdir), store)
        if resume:
            run_id = int(saved["run_id"])
            try:
                store.resume_run(run_id)
            except StoreError as exc:
                raise CrawlError(str(exc)) from exc
        else:
            run_id = store.start_run(
                [p.base for p in plans],
                settings={
                    k: scrapy_settings.get(k)
                    for k in ("GLAMWATCH_MAX_PAGES", "DOWNLOAD_DELAY", "ROBOTSTXT_OBEY")
                },
                label=institution,
            )
    finally:
        store.close()

    if run_file is not None:
        run_file.parent.mkdir(parents=True, exist_ok=True)
        run_file.write_text(
            json.dumps(
                {
                    "run_id": run_id,
                    "seeds": list(seeds),
                    "institution": institution,
                    "max_pages": max_pages,
                    "allow_private": allow_private,
                    "registry": _registry_data(registry),
                }
            ),
            encoding="utf-8",
        )

    scrapy_settings.set("GLAMWATCH_RUN_ID", run_id, priority="cmdline")
    process = CrawlerProcess(scrapy_settings)
    process.crawl(SiteSpider, plans=plans, max_pages=max_pages)
    process.start()

    with Store.open(db_url) as store:  # a crawl that died before closing is not "running"
        if any(r.id == run_id and r.status == "running" for r in store.list_runs()):
            store.finish_run(run_id, "incomplete")
    return run_id


def _reuse_jobdir(jobdir: Path, store: Any) -> None:
    """A new run may reuse the JOBDIR of a finished one (emptied first: its queue and frontier
    would make the new run skip every page), never that of an interrupted one."""
    import shutil

    if not jobdir.exists() or not any(jobdir.iterdir()):
        return
    run_file = jobdir / RUN_FILE
    if not run_file.exists():
        raise CrawlError(f"--jobdir {jobdir} is not empty and holds no glamwatch run")
    old = int(json.loads(run_file.read_text(encoding="utf-8"))["run_id"])
    status = next((r.status for r in store.list_runs() if r.id == old), None)
    if status in ("incomplete", "running"):
        raise CrawlError(
            f"--jobdir {jobdir} holds interrupted run {old}: add --resume to finish it, "
            "or remove the directory"
        )
    shutil.rmtree(jobdir)


def site_download_slots(plans: Sequence[Any]) -> dict[str, dict[str, float]]:
    """Scrapy DOWNLOAD_SLOTS (keyed by host name) for sites whose registry entry sets a
    `download_delay`: a slow museum server gets its own pace, the others keep the default."""
    from urllib.parse import urlsplit

    slots = {}
    for plan in plans:
        delay = plan.site.download_delay
        host = urlsplit(plan.base).hostname
        if delay is not None and host:
            slots[host] = {"delay": float(delay)}
    return slots


def _registry_data(registry: Registry | None) -> Any:
    import yaml

    return yaml.safe_load(registry.to_yaml()) if registry else None
