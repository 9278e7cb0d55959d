"""Normalisations per second on 100k mixed raw values, against a plain dict lookup.

The baseline is the cheapest thing that could work: a dict from exact catalog URLs to ids,
looked up with each of the same 100k raw values in the same run. The ratio says what the
real normaliser (URL folding, button paths, names, multilingual prose) costs on top of it.

    .venv/bin/python bench/normalize.py [--n 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from rules.catalog import get_catalog
from rules.normalize import _value, find_in_text, normalize_button, normalize_url, normalize_value

TEXTS = [
    "Photo {n}: licensed under CC BY-SA 4.0 by the museum.",
    "© {year} Stedelijk Museum. Alle rechten voorbehouden.",
    "Object {n} is in the public domain.",
    "This image ({n}) is not in the public domain.",
    "Creative Commons Namensnennung 4.0 International - Inventar {n}",
    "No known copyright restrictions (item {n})",
    "Kein Urheberrechtsschutz - Vereinigte Staaten; Signatur {n}",
    "Opening hours: Tuesday to Sunday, 10:00-17:00. Ticket {n}.",
    "Tous droits réservés — {year}",
    "Attribution 4.0 International ({n})",
]
VALUES = [
    "CC BY 4.0",
    "CC-BY-SA-3.0",
    "cc0",
    "Public Domain",
    "Publiek Domein",
    "In Copyright",
    "pdm",
]
BUTTONS = [
    "https://licensebuttons.net/l/{unit}/{ver}/88x31.png?n={n}",
    "http://i.creativecommons.org/l/{unit}/{ver}/80x15.png#{n}",
    "https://rightsstatements.org/files/buttons/InC.dark.svg?{n}",
]


def make_values(n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, raw) pairs: 40% URLs, 15% buttons, 20% field values, 25% prose; mostly unique."""
    rng = random.Random(seed)
    urls = [u for e in get_catalog() for u, _ in e.urls]
    out: list[tuple[str, str]] = []
    for i in range(n):
        r = rng.random()
        if r < 0.30:
            u = rng.choice(urls)
            out.append(
                ("url", rng.choice([u, u.replace("https:", "http:") + f"?ref={i}", u + "deed.nl"]))
            )
        elif r < 0.40:
            out.append(("url", f"https://museum{i % 977}.example/collection/object/{i}"))
        elif r < 0.55:
            unit = rng.choice(["by", "by-sa", "by-nc", "by-nc-nd"])
            ver = rng.choice(["2.0", "3.0", "4.0"])
            out.append(("button", rng.choice(BUTTONS).format(unit=unit, ver=ver, n=i)))
        elif r < 0.75:
            out.append(("value", rng.choice(VALUES) + ("" if rng.random() < 0.5 else f" ({i})")))
        else:
            out.append(("text", rng.choice(TEXTS).format(n=i, year=1990 + i % 35)))
    return out


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t_load = timed(get_catalog)
    t_index = timed(lambda: normalize_url("https://creativecommons.org/licenses/by/4.0/"))
    t_text = timed(lambda: find_in_text("CC BY 4.0"))
    values = make_values(args.n, args.seed)
    exact = {u: e.id for e in get_catalog() for u, _ in e.urls}

    def baseline() -> None:
        get = exact.get
        for _, raw in values:
            get(raw)

    dispatch = {
        "url": normalize_url,
        "button": normalize_button,
        "value": normalize_value,
        "text": find_in_text,
    }

    def real() -> None:
        for kind, raw in values:
            dispatch[kind](raw)

    t_base = min(timed(baseline) for _ in range(3))
    _value.cache_clear()
    t_real = timed(real)
    per_kind: dict[str, tuple[int, float]] = {}
    for kind, fn in dispatch.items():
        subset = [raw for k, raw in values if k == kind]
        _value.cache_clear()  # field values are memoised; measure each kind from cold
        start = time.perf_counter()
        for raw in subset:
            fn(raw)
        per_kind[kind] = (len(subset), time.perf_counter() - start)

    print(
        f"first use: catalog load {t_load * 1000:.1f} ms, URL index {t_index * 1000:.1f} ms,"
        f" text patterns {t_text * 1000:.1f} ms"
    )
    print(f"{args.n} mixed raw values")
    print(f"baseline dict lookup of exact URLs: {args.n / t_base:,.0f} lookups/s")
    print(f"rules.normalize (url/button/value/text): {args.n / t_real:,.0f} normalisations/s")
    print(f"ratio (normalise time / dict lookup time): {t_real / t_base:,.0f}x")
    for kind, (count, t) in per_kind.items():
        print(f"  {kind:6} {count:6d} values  {count / t:>10,.0f}/s")


if __name__ == "__main__":
    main()
