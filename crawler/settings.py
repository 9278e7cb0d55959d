"""Every Scrapy and GLAMWATCH_* setting of a crawl, with its polite default (DESIGN.md §3, §6).

This is Scrapy's project settings module (`scrapy.cfg` points here), so `scrapy crawl site`
and `glamwatch crawl` share it. Our own settings are declared once in `GLAMWATCH_SETTINGS`
(name, default, help) and copied into module globals below; components read them only through
`settings.getint/getbool/getfloat/getlist`. The runner overlays `GLAMWATCH_*` environment
variables for the names declared here, then `--set NAME=VALUE` (DESIGN.md §3).

| setting | default | what it does |
|---|---|---|
| GLAMWATCH_DB_URL | sqlite:///glamwatch.db | SQLAlchemy URL of the store the pipeline writes to |
| GLAMWATCH_RUN_ID | None | continue/write this crawl run (set by the runner); None: start one |
| GLAMWATCH_ALLOW_PRIVATE | False | allow private, loopback, link-local targets (SSRF guard off) |
| GLAMWATCH_PRIVATE_ALLOWLIST | [] | CIDRs allowed even when private targets are refused |
| GLAMWATCH_MAX_PAGES | 200 | per-site page budget (pages actually sent to the downloader) |
| GLAMWATCH_MAX_PAGES_TOTAL | 0 | budget over all sites of the run (0: no global cap) |
| GLAMWATCH_SECTION_SHARE | 0.5 | most of a site budget one URL section may take while others wait |
| GLAMWATCH_SCHEDULE_FACTOR | 4 | at most budget × this many requests queued per site |
| GLAMWATCH_MAX_QUERY_VARIANTS | 8 | distinct query strings per path before it is a trap |
| GLAMWATCH_MAX_CALENDAR_PAGES | 3 | date-shaped pages (calendars, archives) per path template |
| GLAMWATCH_MAX_URL_LENGTH | 400 | longer URLs are refused as traps |
| GLAMWATCH_MAX_PATH_DEPTH | 10 | deeper paths are refused as traps |
| GLAMWATCH_MAX_SITEMAPS | 20 | sitemap documents fetched per site (index children included) |
| GLAMWATCH_SITEMAP_GUESS | True | try /sitemap.xml when robots.txt names no sitemap |
| GLAMWATCH_MAX_SITEMAP_BYTES | 52428800 | cap on a gunzipped sitemap (decompression bombs) |
| GLAMWATCH_IIIF_MAX | 50 | IIIF manifests + collections fetched per site |
| GLAMWATCH_OAI_MAX_RECORDS | 500 | OAI-PMH record budget per endpoint |
| GLAMWATCH_OAI_PREFIXES | [edm, mods, oai_dc] | metadataPrefix preference order |
| GLAMWATCH_MAX_CRAWL_DELAY | 30.0 | cap on a robots.txt Crawl-delay, in seconds |
| GLAMWATCH_REVISIT | True | re-fetch the pages of the site's last complete run first |
| GLAMWATCH_REVISIT_SHARE | 0.8 | largest share of a site budget re-visits may take |
| GLAMWATCH_STORE_BATCH | 50 | observations per store transaction |
| GLAMWATCH_PROGRESS | False | Rich live progress on stderr |
| GLAMWATCH_CONTACT_URL | https://github.com/openglam-watch/openglam-watch | contact URL in the UA |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


CONTACT_URL = "https://github.com/openglam-watch/openglam-watch"

GLAMWATCH_SETTINGS: tuple[Setting, ...] = (
    Setting("GLAMWATCH_DB_URL", "sqlite:///glamwatch.db", "store the pipeline writes to"),
    Setting("GLAMWATCH_RUN_ID", None, "crawl run to write (set by the runner)"),
    Setting("GLAMWATCH_ALLOW_PRIVATE", False, "allow private/loopback/link-local targets"),
    Setting("GLAMWATCH_PRIVATE_ALLOWLIST", [], "CIDRs allowed even when private is refused"),
    Setting("GLAMWATCH_MAX_PAGES", 200, "per-site page budget"),
    Setting("GLAMWATCH_MAX_PAGES_TOTAL", 0, "page budget over all sites (0: none)"),
    Setting("GLAMWATCH_SECTION_SHARE", 0.5, "largest share of a site budget for one section"),
    Setting("GLAMWATCH_SCHEDULE_FACTOR", 4, "queued requests per site, times the budget"),
    Setting("GLAMWATCH_MAX_QUERY_VARIANTS", 8, "query strings per path before a trap"),
    Setting("GLAMWATCH_MAX_CALENDAR_PAGES", 3, "date-shaped pages per path template"),
    Setting("GLAMWATCH_MAX_URL_LENGTH", 400, "longer URLs are traps"),
    Setting("GLAMWATCH_MAX_PATH_DEPTH", 10, "deeper paths are traps"),
    Setting("GLAMWATCH_MAX_SITEMAPS", 20, "sitemap documents per site"),
    Setting("GLAMWATCH_SITEMAP_GUESS", True, "try /sitemap.xml when robots.txt names none"),
    Setting("GLAMWATCH_MAX_SITEMAP_BYTES", 50 * 1024 * 1024, "cap on a gunzipped sitemap"),
    Setting("GLAMWATCH_IIIF_MAX", 50, "IIIF manifests and collections per site"),
    Setting("GLAMWATCH_OAI_MAX_RECORDS", 500, "OAI-PMH records per endpoint"),
    Setting("GLAMWATCH_OAI_PREFIXES", ["edm", "mods", "oai_dc"], "metadataPrefix preference"),
    Setting("GLAMWATCH_MAX_CRAWL_DELAY", 30.0, "cap on a robots.txt Crawl-delay (seconds)"),
    Setting("GLAMWATCH_REVISIT", True, "re-fetch the pages of the last complete run"),
    Setting("GLAMWATCH_REVISIT_SHARE", 0.8, "largest share of a site budget for re-visits"),
    Setting("GLAMWATCH_STORE_BATCH", 50, "observations per store transaction"),
    Setting("GLAMWATCH_PROGRESS", False, "Rich live progress on stderr"),
    Setting("GLAMWATCH_CONTACT_URL", CONTACT_URL, "contact URL named in the User-Agent"),
)

for _s in GLAMWATCH_SETTINGS:
    globals()[_s.name] = _s.default

# --- Scrapy project wiring -----------------------------------------------------------------
BOT_NAME = "glamwatch"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"


# --- Politeness (STYLE.md practice 6) ------------------------------------------------------
def user_agent(contact_url: str) -> str:
    """The User-Agent: the project, its version and a contact URL (STYLE.md practice 6)."""
    return f"OpenGLAM-Watch/0.1 (+{contact_url}; open-license compliance monitor)"


USER_AGENT = user_agent(CONTACT_URL)  # follows GLAMWATCH_CONTACT_URL (crawler/addon.py)
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DEPTH_LIMIT = 6
DEPTH_PRIORITY = 1  # breadth first: sample a site instead of diving into one branch
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
COOKIES_ENABLED = False  # session cookies only breed session-id URLs
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# --- Components ----------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # SSRF guard first: a private target never even gets its robots.txt requested.
    "crawler.middlewares.SafetyMiddleware": 50,
    # after RobotsTxtMiddleware (100), which reads robots.txt first: its Crawl-delay, and
    # only requests robots allows spend the budget
    "crawler.middlewares.CrawlDelayMiddleware": 105,
    "crawler.middlewares.BudgetMiddleware": 110,
    # re-check the address the connection really used (DNS rebinding)
    "crawler.middlewares.ResponseAddressMiddleware": 960,
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
EXTENSIONS = {"crawler.extensions.ProgressExtension": 500}
ADDONS = {"crawler.addon.GlamwatchAddon": 0}
