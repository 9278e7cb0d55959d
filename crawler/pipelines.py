"""`StorePipeline`: the thin adapter from PageObservation items to `db.store.Store`.

It owns the store's lifetime for one crawl (STYLE.md practice 8): `open_spider` opens the
store, takes the run (`GLAMWATCH_RUN_ID`, set by the runner, or a new one for a bare
`scrapy crawl site`), records the institutions and sites of the run and hands the spider the
pages of each site's last complete run to re-visit; `process_item` buffers and writes in
batches of `GLAMWATCH_STORE_BATCH`; `close_spider` flushes; the `spider_closed` signal marks
the run `complete` only when the spider finished normally, else `incomplete` (resumable).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.items import PageObservation
from db.errors import InvalidObservation

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from db.store import Store


logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(
        self, crawler: Crawler, db_url: str, run_id: int | None, batch: int, revisit: bool
    ) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.run_id = run_id
        self.batch_size = max(1, batch)
        self.revisit = revisit
        self.store: Store | None = None
        self.buffer: list[PageObservation] = []
        self.stored = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        s = crawler.settings
        url = s.get("GLAMWATCH_DB_URL")
        if not url:
            raise NotConfigured("GLAMWATCH_DB_URL is empty")
        run_id = s.getint("GLAMWATCH_RUN_ID") or None
        pipe = cls(
            crawler,
            url,
            run_id,
            s.getint("GLAMWATCH_STORE_BATCH"),
            s.getbool("GLAMWATCH_REVISIT"),
        )
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        return pipe

    def open_spider(self) -> None:
        from db.store import Store

        self.store = Store.open(self.db_url)
        spider: Any = self.crawler.spider
        if self.run_id is None:
            seeds = sorted(spider.site_bases()) if hasattr(spider, "site_bases") else []
            self.run_id = self.store.start_run(seeds, label="scrapy crawl")
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("glamwatch/run_id", self.run_id)
        plans = getattr(spider, "plans", {})
        for base, plan in plans.items():
            inst_id = self.store.upsert_institution(plan.institution) if plan.institution else None
            self.store.ensure_site(base, inst_id, plan.site.start_urls())
            if not self.revisit:
                continue
            last = self.store.last_complete_run(base)
            if last is not None and last != self.run_id:
                spider.add_revisits(base, revisit_pages(self.store, last, base))

    def process_item(self, item: Any) -> Any:
        if isinstance(item, PageObservation):
            self.buffer.append(item)
            if len(self.buffer) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        if not self.buffer or self.store is None or self.run_id is None:
            return
        batch, self.buffer = self.buffer, []
        try:
            self.store.add_observations(self.run_id, batch)
            self.stored += len(batch)
        except InvalidObservation:
            # one bad observation must not lose the batch: write the others one by one
            for obs in batch:
                try:
                    self.store.add_observations(self.run_id, [obs])
                    self.stored += 1
                except InvalidObservation as exc:
                    logger.error("observation not stored: %s", exc)
                    assert self.crawler.stats is not None
                    self.crawler.stats.inc_value("glamwatch/store/invalid")
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("glamwatch/stored", self.stored)

    def close_spider(self) -> None:
        self.flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        try:
            self.flush()
            status = "complete" if reason == "finished" else "incomplete"
            self.store.finish_run(self.run_id, status)
            assert self.crawler.stats is not None
            self.crawler.stats.set_value("glamwatch/run_status", status)
        finally:
            self.store.close()
            self.store = None


def revisit_pages(store: Store, run_id: int, base: str) -> list[tuple[str, str]]:
    """(URL, kind) of the pages `run_id` observed on site `base`, in the order stored."""
    from sqlalchemy import select

    from crawler.registry import site_base
    from db.models import Page, Site

    stmt = (
        select(Page.url, Page.kind)
        .join(Site, Site.id == Page.site_id)
        .where(Page.run_id == run_id, Site.base_url == site_base(base))
        .order_by(Page.id)
    )
    with store.session() as s:
        return [(url, kind) for url, kind in s.execute(stmt).all()]
