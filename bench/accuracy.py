"""Accuracy of extraction over the hand-labelled corpus (tests/fixtures/corpus/manifest.json).

Prints, per document, the object-scope license ids and verdict against the labels, then:
object-license exact-match rate and verdict accuracy (issue 4 targets: ≥ 0.95 and ≥ 0.98),
per-method recall (a labelled method counts as found when the extractor produced at least one
assertion with that method) and scope accuracy (over recognised assertions whose license is
labelled at exactly one scope: did we give it that scope?).

    .venv/bin/python bench/accuracy.py [--corpus DIR] [--quiet]

The same script can be pointed at any corpus laid out the same way (manifest.json + docs/).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rules.extract import extract_all  # noqa: E402
from rules.model import PageResult  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "fixtures" / "corpus"
TARGET_LICENSE = 0.95
TARGET_VERDICT = 0.98


def expected_verdict(open_label: bool | None) -> str:
    return {True: "open", False: "not-open", None: "unknown"}[open_label]


@dataclass
class DocScore:
    file: str
    expected_licenses: list[str]
    got_licenses: list[str]
    expected_verdict: str
    got_verdict: str
    methods_expected: set[str]
    methods_found: set[str]
    scope_hits: int
    scope_total: int

    @property
    def license_ok(self) -> bool:
        return sorted(self.expected_licenses) == sorted(self.got_licenses)

    @property
    def verdict_ok(self) -> bool:
        return self.expected_verdict == self.got_verdict


def score_document(entry: dict[str, Any], result: PageResult) -> DocScore:
    object_labels = set(entry.get("object_licenses") or [])
    site_labels = set(entry.get("site_licenses") or [])
    hits = total = 0
    for a in result.assertions:
        if a.license is None:
            continue
        in_object, in_site = a.license in object_labels, a.license in site_labels
        if in_object == in_site:
            continue  # unlabelled, or labelled at both scopes: no scope truth
        total += 1
        want = "object" if in_object else ("site", "metadata")
        hits += a.scope == want if isinstance(want, str) else a.scope in want
    return DocScore(
        file=entry["file"],
        expected_licenses=sorted(object_labels),
        got_licenses=sorted(result.licenses),
        expected_verdict=expected_verdict(entry.get("open")),
        got_verdict=result.verdict,
        methods_expected=set(entry.get("methods") or []),
        methods_found={a.method for a in result.assertions},
        scope_hits=hits,
        scope_total=total,
    )


def evaluate(corpus: Path) -> list[DocScore]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    scores = []
    for entry in manifest:
        body = (corpus / entry["file"]).read_bytes()
        result = extract_all(body, entry["base_url"])
        scores.append(score_document(entry, result))
    return scores


def summary(scores: list[DocScore]) -> dict[str, Any]:
    n = len(scores)
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for s in scores:
        for m in s.methods_expected:
            expected[m] += 1
            found[m] += m in s.methods_found
    scope_total = sum(s.scope_total for s in scores)
    return {
        "documents": n,
        "object_license_exact_match": sum(s.license_ok for s in scores) / n if n else 0.0,
        "verdict_accuracy": sum(s.verdict_ok for s in scores) / n if n else 0.0,
        "method_recall": {m: (found[m] / expected[m], found[m], expected[m]) for m in expected},
        "scope_accuracy": sum(s.scope_hits for s in scores) / scope_total if scope_total else 1.0,
        "scope_assertions": scope_total,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    scores = evaluate(args.corpus)
    if not args.quiet:
        for s in scores:
            mark = ("✓" if s.license_ok else "✗") + ("✓" if s.verdict_ok else "✗")
            print(
                f"{mark} {Path(s.file).name:60} licenses {s.got_licenses} "
                f"(want {s.expected_licenses}) verdict {s.got_verdict} (want {s.expected_verdict})"
            )
    result = summary(scores)
    print()
    print(f"documents                     {result['documents']}")
    print(
        f"object-license exact match    {result['object_license_exact_match']:.3f}"
        f"  (target ≥ {TARGET_LICENSE})"
    )
    print(
        f"verdict accuracy              {result['verdict_accuracy']:.3f}"
        f"  (target ≥ {TARGET_VERDICT})"
    )
    print(
        f"scope accuracy                {result['scope_accuracy']:.3f}"
        f"  over {result['scope_assertions']} assertions with a labelled scope"
    )
    print("per-method recall (documents where the labelled method produced an assertion)")
    for method, (rate, hit, total) in sorted(result["method_recall"].items()):
        print(f"  {method:14} {rate:.2f}  ({hit}/{total})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
