"""Merging institutions: the same museum arrives from the Survey CSV, Wikidata and our YAML.

Identity is the Wikidata QID when there is one, then the host (and non-default port) of the
website or of any of the institution's sites (`www.` and the scheme ignored) — but never
across two different QIDs: ministries host many museums on one domain. A merge overwrites
only the fields the new entry knows.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import insert, or_, select, update
from sqlalchemy.engine import Connection

from crawler.registry import InstitutionEntry
from db.models import Institution, Site


def host_key(url: str | None) -> str | None:
    """Lower-cased host without `www.`, with a non-default port: what two spellings of one
    website share (sites on one host but different ports stay apart, as the demo's do)."""
    if not url:
        return None
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        port = None
    host = parts.hostname.lower().removeprefix("www.")
    return f"{host}:{port}" if port not in (None, 80, 443) else host


def _fields(entry: InstitutionEntry) -> dict[str, Any]:
    return {
        "name": entry.name,
        "country": entry.country,
        "type": entry.type,
        "wikidata": entry.wikidata,
        "website": entry.website,
        "survey_status": entry.survey,
        "survey_url": entry.survey_url,
        "extra": entry.extra or None,
    }


def find_institution(conn: Connection, entry: InstitutionEntry) -> int | None:
    if entry.wikidata:
        found = conn.execute(
            select(Institution.id).where(Institution.wikidata == entry.wikidata)
        ).scalar()
        if found is not None:
            return int(found)
    hosts = {
        h for h in [host_key(entry.website), *(host_key(s.base_url) for s in entry.sites)] if h
    }
    if not hosts:
        return None
    # LIKE narrows the candidates in SQL; the exact host comparison happens below.
    like = [
        col.ilike(f"%{h.split(':')[0]}%")
        for h in sorted(hosts)
        for col in (Institution.website, Site.base_url)
    ]
    rows = conn.execute(
        select(Institution.id, Institution.wikidata, Institution.website, Site.base_url)
        .outerjoin(Site, Site.institution_id == Institution.id)
        .where(or_(*like))
        .order_by(Institution.id)
    ).tuples()
    for iid, qid, website, base in rows:
        if entry.wikidata and qid and qid != entry.wikidata:
            continue  # two QIDs are two institutions, even on one shared (government) host
        if host_key(website) in hosts or host_key(base) in hosts:
            return int(iid)
    return None


def merge_institution(conn: Connection, entry: InstitutionEntry) -> int:
    """Insert or update one institution (not its sites); returns its id."""
    fields = _fields(entry)
    found = find_institution(conn, entry)
    if found is None:
        return int(
            conn.execute(
                insert(Institution).values(**fields).returning(Institution.id)
            ).scalar_one()
        )
    keep = {k: v for k, v in fields.items() if v is not None}
    conn.execute(update(Institution).where(Institution.id == found).values(**keep))
    return found
