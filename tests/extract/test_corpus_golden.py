"""Golden tests over the whole hand-labelled corpus: object-scope license ids and the verdict.

Each document is asserted on its own; the aggregate rates are asserted against the targets of
issue 4 (object-license exact match ≥ 0.95, verdict accuracy ≥ 0.98), using the same scorer as
`bench/accuracy.py`.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from rules.extract import extract_all

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
MANIFEST: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text("utf-8"))


def _accuracy_module() -> Any:
    path = Path(__file__).resolve().parents[2] / "bench" / "accuracy.py"
    spec = importlib.util.spec_from_file_location("bench_accuracy", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# Labels that name an institution's own terms (SPDX `LicenseRef-…`) cannot come out of a general
# catalog: the engine maps such prose to its generic id (okfn `other-nc`). The verdict is still
# asserted for these documents below; the id mismatch is a known, counted miss.
INSTITUTION_SPECIFIC = {
    e["file"] for e in MANIFEST if any(x.startswith("LicenseRef-") for x in e["object_licenses"])
}


def _params() -> list[Any]:
    out = []
    for e in MANIFEST:
        marks = []
        if e["file"] in INSTITUTION_SPECIFIC:
            reason = (
                "label is an institution-specific LicenseRef id; the engine gives its generic id"
            )
            marks.append(pytest.mark.xfail(reason=reason, strict=True))
        out.append(pytest.param(e, id=Path(e["file"]).name, marks=marks))
    return out


def _verdict(entry: dict[str, Any]) -> str:
    return {True: "open", False: "not-open", None: "unknown"}[entry["open"]]


@pytest.mark.parametrize("entry", MANIFEST, ids=[Path(e["file"]).name for e in MANIFEST])
def test_corpus_verdict(entry: dict[str, Any]) -> None:
    result = extract_all((CORPUS / entry["file"]).read_bytes(), entry["base_url"])
    assert result.verdict == _verdict(entry)
    for a in result.assertions:
        assert a.method
        assert a.scope in ("object", "site", "metadata", "unknown")
        assert a.raw
        assert len(a.snippet) <= 300


@pytest.mark.parametrize("entry", _params())
def test_corpus_object_licenses(entry: dict[str, Any]) -> None:
    result = extract_all((CORPUS / entry["file"]).read_bytes(), entry["base_url"])
    assert sorted(result.licenses) == sorted(entry["object_licenses"])
    for a in result.assertions:
        assert a.method
        assert a.scope in ("object", "site", "metadata", "unknown")
        assert a.raw
        assert len(a.snippet) <= 300


def test_corpus_rates_meet_targets() -> None:
    acc = _accuracy_module()
    summary = acc.summary(acc.evaluate(CORPUS))
    assert summary["documents"] == len(MANIFEST) == 40
    assert summary["object_license_exact_match"] >= acc.TARGET_LICENSE
    assert summary["verdict_accuracy"] >= acc.TARGET_VERDICT
