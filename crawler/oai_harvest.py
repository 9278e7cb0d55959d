"""OAI-PMH harvesting policy: request URLs and response reading, pure (issue 6).

The harvest is Identify → ListMetadataFormats → ListRecords (the preferred metadataPrefix:
edm, then mods, then oai_dc) → ListRecords&resumptionToken=… until the token is empty or the
record budget is spent. OAI errors (`noRecordsMatch`, `badResumptionToken`, …) come back as
data so that the spider records them. XML is parsed with entities and network off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

import lxml.etree

OAI_NS = "http://www.openarchives.org/OAI/2.0/"

# Prefixes a repository may use for the formats we prefer, most specific first.
PREFIX_ALIASES = {
    "edm": ("edm", "europeana", "ese"),
    "mods": ("mods", "mods_xml"),
    "oai_dc": ("oai_dc", "dc"),
}


def oai_url(endpoint: str, verb: str, **params: str | None) -> str:
    """The request URL of one OAI-PMH verb (arguments in the order the spec lists them)."""
    parts = urlsplit(endpoint)
    query = [("verb", verb)] + [(k, v) for k, v in params.items() if v]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def list_records_url(
    endpoint: str, prefix: str, set_spec: str | None = None, token: str | None = None
) -> str:
    if token:  # resumptionToken is an exclusive argument
        return oai_url(endpoint, "ListRecords", resumptionToken=token)
    return oai_url(endpoint, "ListRecords", metadataPrefix=prefix, set=set_spec)


@dataclass(frozen=True)
class OaiResponse:
    verb: str | None
    error_code: str | None = None
    error_message: str | None = None
    prefixes: tuple[str, ...] = ()
    records: int = 0
    token: str | None = None  # None or "" when the list is complete
    complete_list_size: int | None = None
    repository_name: str | None = None
    invalid: str | None = None  # not an OAI-PMH document at all


def parse_oai(body: bytes) -> OaiResponse:
    """Read one OAI-PMH response (any verb)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(body, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        return OaiResponse(None, invalid=f"XML error: {exc}")
    if root is None or lxml.etree.QName(root).localname != "OAI-PMH":
        return OaiResponse(None, invalid="not an OAI-PMH response")
    ns = {"o": OAI_NS}
    request = root.find("o:request", ns)
    verb = request.get("verb") if request is not None else None
    error = root.find("o:error", ns)
    if error is not None:
        return OaiResponse(verb, error.get("code"), (error.text or "").strip())
    prefixes = tuple(
        (p.text or "").strip() for p in root.iterfind(".//o:metadataFormat/o:metadataPrefix", ns)
    )
    records = len(root.findall(".//o:ListRecords/o:record", ns))
    token_el = root.find(".//o:resumptionToken", ns)
    token = (token_el.text or "").strip() if token_el is not None else None
    size = token_el.get("completeListSize") if token_el is not None else None
    name_el = root.find(".//o:Identify/o:repositoryName", ns)
    return OaiResponse(
        verb,
        prefixes=prefixes,
        records=records,
        token=token or None,
        complete_list_size=int(size) if size and size.isdigit() else None,
        repository_name=(name_el.text or "").strip() if name_el is not None else None,
    )


def choose_prefix(
    available: Sequence[str], preference: Sequence[str] = ("edm", "mods", "oai_dc")
) -> str | None:
    """The preferred metadataPrefix the repository offers (None: none of ours)."""
    offered = {p.lower(): p for p in available}
    for wanted in preference:
        for alias in PREFIX_ALIASES.get(wanted, (wanted,)):
            if alias in offered:
                return offered[alias]
    return None
