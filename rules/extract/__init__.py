"""Extract every license signal from one fetched document: bytes + URL in, `PageResult` out.

`extract_all` decodes and parses once (`document.load_document`), runs each markup extractor in
its own `try` (an exception becomes an `ExtractionError`; the others still run), then reads
visible text only where no markup already speaks for that scope, resolves page-level signals
(rules.scope), and asks the rules engine for the page verdict. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from rules.classify import subsume_families  # re-exported; defined beside object_licenses
from rules.extract import (
    api_field,
    button_image,
    http_header,
    iiif,
    jsonld,
    meta,
    microdata,
    oai,
    rdfa,
    rel_license,
    text,
)
from rules.extract._common import dedupe
from rules.extract.document import Document, load_document
from rules.model import Assertion, PageResult
from rules.scope import resolve_page_level

#: Markup extractors per document kind, in reporting order; `text` runs after them.
HTML_EXTRACTORS: tuple[ModuleType, ...] = (
    rel_license,
    rdfa,
    jsonld,
    microdata,
    meta,
    button_image,
)
KIND_EXTRACTORS: dict[str, tuple[Any, ...]] = {
    "html": HTML_EXTRACTORS,
    "iiif": (iiif,),
    "json": (api_field, jsonld.document),
    "oai": (oai, api_field, rel_license),
    "xml": (oai, api_field, rel_license),
    "yaml": (oai, api_field),
}

__all__ = ["Document", "extract_all", "load_document", "run_extractors", "subsume_families"]


def _run(
    doc: Document, name: str, fn: Callable[[Document, str], list[Assertion]]
) -> list[Assertion]:
    try:
        return list(fn(doc, doc.url))
    except RecursionError:
        doc.error(name, "document nests too deeply for this extractor")
    except Exception as exc:  # one extractor's failure must not hide the others' signals
        doc.error(name, f"{type(exc).__name__}: {exc}")
    return []


def _method_name(module: Any) -> str:
    return str(getattr(module, "METHOD", None) or module.__name__.rsplit(".", 1)[-1])


def run_extractors(doc: Document) -> list[Assertion]:
    """All assertions of a loaded document, scopes resolved, repeats dropped."""
    assertions: list[Assertion] = []
    assertions += _run(doc, http_header.METHOD, http_header.extract)
    for module in KIND_EXTRACTORS.get(doc.kind, ()):
        assertions += _run(doc, _method_name(module), module.extract)
    if doc.kind == "html":
        doc.cache["markup"] = assertions
        assertions = assertions + _run(doc, text.METHOD, text.extract)
    return dedupe(resolve_page_level(assertions))


def extract_all(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    headers: Mapping[str, str | list[str]] | None = None,
    policy: str = "survey",
) -> PageResult:
    """Every license signal of one document, with scopes, errors and the page verdict."""
    from rules.classify import object_licenses, page_verdict

    doc = load_document(body, url, content_type=content_type, headers=headers, policy=policy)
    assertions = run_extractors(doc)
    return PageResult(
        url=url,
        verdict=page_verdict(assertions),
        licenses=object_licenses(assertions),
        assertions=tuple(assertions),
        errors=tuple(doc.errors),
        kind=doc.kind,
    )
