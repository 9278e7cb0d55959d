"""Shared test configuration: version header and the path to the copied corpus."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"


def pytest_report_header(config: pytest.Config) -> list[str]:
    import scrapy
    import sqlalchemy

    return [
        f"scrapy {scrapy.__version__}, sqlalchemy {sqlalchemy.__version__}, "
        f"sqlite {sqlite3.sqlite_version}"
    ]


@pytest.fixture(scope="session")
def corpus_manifest() -> list[dict[str, Any]]:
    """The hand-labelled corpus copied from ../shared/corpus (tests/fixtures/corpus/README.md)."""
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
