"""Crawl progress: a Rich live line on stderr (sites, pages, assertions, errors, rate).

Enabled by `GLAMWATCH_PROGRESS` (the CLI turns it on when stderr is a terminal, or with
`--progress`); otherwise `NotConfigured` switches it off. It only reads the `glamwatch/…`
stats the spider and pipeline keep, so it costs nothing per page.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.live import Live
from rich.text import Text
from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


def progress_line(stats: dict[str, Any], sites: int, elapsed: float) -> str:
    """The progress text for a stats snapshot (pure, so it can be tested on its own)."""
    pages = int(stats.get("glamwatch/pages", 0))
    errors = sum(int(v) for k, v in stats.items() if k.startswith("glamwatch/errors/"))
    assertions = sum(int(v) for k, v in stats.items() if k.startswith("glamwatch/assertions/"))
    refused = sum(int(v) for k, v in stats.items() if k.startswith("glamwatch/refused/"))
    rate = pages / elapsed if elapsed > 0 else 0.0
    return (
        f"sites {sites}  pages {pages}  assertions {assertions}  errors {errors}  "
        f"refused {refused}  {rate:.1f} pages/s"
    )


class ProgressExtension:
    def __init__(self, crawler: Crawler, interval: float = 0.5) -> None:
        self.crawler = crawler
        self.interval = interval
        self.live: Live | None = None
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("GLAMWATCH_PROGRESS"):
            raise NotConfigured("GLAMWATCH_PROGRESS is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _text(self) -> Text:
        assert self.crawler.stats is not None
        spider: Any = self.crawler.spider
        sites = len(getattr(spider, "plans", {}))
        elapsed = time.monotonic() - self.started
        return Text(progress_line(self.crawler.stats.get_stats(), sites, elapsed))

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        self.live = Live(self._text(), console=Console(stderr=True), transient=True)
        self.live.start()
        self.loop = task.LoopingCall(self.refresh)
        self.loop.start(self.interval, now=False)

    def refresh(self) -> None:
        if self.live is not None:
            self.live.update(self._text())

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
            self.live = None
