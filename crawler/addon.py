"""The crawl's settings add-on: settings derived from other settings, applied before Scrapy
freezes them (so `scrapy crawl site -s …` and `glamwatch crawl --set …` behave the same).

Today one rule: the User-Agent names the contact URL of `GLAMWATCH_CONTACT_URL`, unless the
User-Agent itself was customised.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from crawler.settings import CONTACT_URL, user_agent


class GlamwatchAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        contact = settings.get("GLAMWATCH_CONTACT_URL") or CONTACT_URL
        if contact != CONTACT_URL and settings.get("USER_AGENT") == user_agent(CONTACT_URL):
            priority = settings.getpriority("USER_AGENT") or 0
            settings.set("USER_AGENT", user_agent(contact), priority=priority)
