"""Build `catalog.json` from the copied reference data and `curated.yaml`.

The runtime never reads the CSV/JSON sources: it loads the one generated file, so importing the
catalog stays fast. Run `python -m rules.data.build` after changing any input; a test checks that
the committed `catalog.json` equals what this script produces.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OUT = HERE / "catalog.json"
CC_CSV = "cc/cc-legal-tools.csv"
OKFN_CSV = "okfn/licenses.csv"
RS_DIR = "rightsstatements"

RS_CITE = "rightsstatements/data-model @ 9521dff ({file})"
CC_CITE = "creativecommons/cc-legal-tools-data: config/cc-legal-tools.csv (copied: rules/data/cc/)"
OKFN_CITE = "okfn/licenses: licenses.csv @ 98a3a6f (copied: rules/data/okfn/)"
RS_STATEMENTS = (
    "InC",
    "InC-OW-EU",
    "InC-EDU",
    "InC-NC",
    "InC-RUU",
    "NoC-CR",
    "NoC-NC",
    "NoC-OKLR",
    "NoC-US",
    "NKC",
    "CNE",
    "UND",
)
BUTTON_HOSTS = ("licensebuttons.net", "i.creativecommons.org")


def _verdicts(rule: dict[str, Any]) -> dict[str, Any]:
    basis = rule.get("basis", "license")
    return {
        "od_page": rule.get("od_page"),
        "survey": rule["survey"],
        "strict-od": rule["strict"],
        "basis": basis,
        "rule_source": rule["rule"],
    }


def _okfn_rows() -> dict[str, dict[str, str]]:
    with open(HERE / OKFN_CSV, newline="", encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def _cc_id(rule: dict[str, Any], version: str) -> str:
    prefix = rule["prefix"]
    if prefix == "CC-PDDC":
        return prefix
    return f"{prefix}-{version}"


def build_cc(curated: dict[str, Any], okfn: dict[str, dict[str, str]]) -> dict[str, dict[str, Any]]:
    """One entry per CC tool id; ports fold into the unported id with their jurisdiction."""
    entries: dict[str, dict[str, Any]] = {}
    units = curated["cc_units"]
    with open(HERE / CC_CSV, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        unit, version, jur = row["UNIT"], row["VERSION"], row["JURISDICTION"] or None
        rule = units[unit]
        cid = _cc_id(rule, version)
        spdx = row["SPDX_IDENTIFIER"]
        if jur is None and spdx and spdx not in (cid, "CC-PDM-1.0"):
            raise ValueError(f"CC CSV SPDX id {spdx} disagrees with derived id {cid}")
        entry = entries.get(cid)
        if entry is None:
            in_okfn = okfn.get(cid)
            entry = {
                "id": cid,
                "title": row["TITLE"] if jur is None else f"{row['IDENTIFIER'].rsplit(' ', 1)[0]}",
                "family": rule["prefix"],
                "version": version,
                "category": row["CATEGORY"],
                "unit": unit,
                "jurisdictions": [],
                "urls": [],
                "buttons": [],
                "spellings": {"en": []},
                "od_conformance": in_okfn["od_conformance"] if in_okfn else "not in data",
                "retired": bool(rule.get("retired")),
                **_verdicts(rule),
                "source": {"tool": CC_CITE, "verdict": rule["rule"]},
            }
            if in_okfn:
                entry["source"]["od_conformance"] = OKFN_CITE
            entries[cid] = entry
        if jur is None:
            entry["title"] = row["TITLE"]
        else:
            entry["jurisdictions"].append(jur)
        entry["urls"].append([row["CANONICAL_URL"], jur])
        if jur is not None:
            ports = entry.setdefault("port_spellings", {})
            for name in (row["IDENTIFIER"], row["TITLE"]):
                # a title shared by two ports ("Namensnennung 2.0": at, de) names neither
                ports[name] = jur if ports.get(name, jur) == jur else None
        if row["IDENTIFIER"] not in entry["spellings"]["en"]:
            entry["spellings"]["en"].append(row["IDENTIFIER"])
        lang = row["LANGUAGE_DEFAULT"] or "en"
        entry["spellings"].setdefault(lang, [])
        if row["TITLE"] not in entry["spellings"][lang]:
            entry["spellings"][lang].append(row["TITLE"])
        path = row["CANONICAL_URL"].split("creativecommons.org/", 1)[1]
        suite = "p" if row["CATEGORY"] == "publicdomain" else "l"
        if not entry["buttons"]:
            tail = path.split("/", 1)[1]
            hosts = "|".join(BUTTON_HOSTS)
            jur_part = "[{jurisdiction}/]" if entry["jurisdictions"] or jur else ""
            entry["buttons"].append(f"{{{hosts}}}/{suite}/{tail}{jur_part}{{88x31|80x15}}.png")
        elif jur and "[{jurisdiction}/]" not in entry["buttons"][0]:
            entry["buttons"][0] = entry["buttons"][0].replace("{88x31", "[{jurisdiction}/]{88x31")
    # Version-less families: "CC BY-SA" names the family, never a version (DESIGN.md §2).
    for unit, title in curated["cc_unit_titles"].items():
        rule = units[unit]
        fid = rule["prefix"]
        entries[fid] = {
            "id": fid,
            "title": f"Creative Commons {title} (version not stated)",
            "family": fid,
            "version": None,
            "category": "licenses",
            "unit": unit,
            "jurisdictions": [],
            "urls": [],
            "buttons": [
                f"https://mirrors.creativecommons.org/presskit/buttons/88x31/png/{unit}.png"
            ],
            "spellings": {"en": [fid.replace("CC-", "CC ", 1)]},
            "od_conformance": "not in data",
            "retired": False,
            **_verdicts(rule),
            "source": {"verdict": rule["rule"] + "; every version of the family has this verdict"},
        }
    return entries


def build_rs(curated: dict[str, Any]) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for code in RS_STATEMENTS:
        rule = curated["rightsstatements"][code] | {"od_page": "not listed"}
        spellings: dict[str, list[str]] = {}
        for path in sorted((HERE / RS_DIR).glob(f"{code}_*.json")):
            lang = path.stem[len(code) + 1 :]
            data = json.loads(path.read_text(encoding="utf-8"))
            spellings[lang] = [data["prefLabel"]]
        if not spellings:
            raise ValueError(f"no rightsstatements.org labels for {code}")
        rid = f"RS-{code}-1.0"
        entries[rid] = {
            "id": rid,
            "title": spellings["en"][0],
            "family": "RS",
            "version": "1.0",
            "category": "rightsstatement",
            "unit": code,
            "jurisdictions": ["us"] if code == "NoC-US" else [],
            "urls": [[f"http://rightsstatements.org/vocab/{code}/1.0/", None]],
            "buttons": [
                f"https://rightsstatements.org/files/buttons/{code}.dark-white-interior-blue-type.svg"
            ],
            "spellings": spellings,
            "od_conformance": "not in data",
            "retired": False,
            **_verdicts(rule),
            "source": {
                "statement": RS_CITE.format(file="rights-statements.ttl"),
                "labels": RS_CITE.format(file=f"{code}_<lang>.json"),
                "verdict": rule["rule"],
            },
        }
    return entries


def build_okfn(
    curated: dict[str, Any], okfn: dict[str, dict[str, str]], taken: set[str]
) -> dict[str, dict[str, Any]]:
    """okfn rows not already covered (by a CC entry or a curated entry naming them)."""
    entries: dict[str, dict[str, Any]] = {}
    verdict_of = {
        "approved": "open",
        "rejected": "not-open",
        "not reviewed": "unknown",
        "": "unknown",
    }
    for oid, row in okfn.items():
        if oid in taken:
            continue
        override = curated["okfn_overrides"].get(oid)
        if override:
            verdicts = _verdicts(override)
        else:
            v = verdict_of[row["od_conformance"]]
            verdicts = {
                "od_page": None,
                "survey": v,
                "strict-od": v,
                "basis": "license",
                "rule_source": "okfn licenses data @ 98a3a6f: od_conformance "
                + (row["od_conformance"] or "empty"),
            }
        entries[oid] = {
            "id": oid,
            "title": row["title"],
            "family": row["family"] or oid,
            "version": None,
            "category": "okfn",
            "unit": None,
            "jurisdictions": [],
            "urls": [[row["url"], None]] if row["url"] else [],
            "buttons": [],
            "spellings": {"en": [row["title"]]},
            "od_conformance": row["od_conformance"],
            "retired": row["status"] != "active",
            **verdicts,
            "source": {"entry": OKFN_CITE, "verdict": verdicts["rule_source"]},
        }
    return entries


def build_curated(
    curated: dict[str, Any], okfn: dict[str, dict[str, str]]
) -> dict[str, dict[str, Any]]:
    entries: dict[str, dict[str, Any]] = {}
    for item in curated["entries"]:
        row = okfn.get(item.get("okfn", ""))
        jur = item.get("jurisdiction")
        entries[item["id"]] = {
            "id": item["id"],
            "title": item["title"],
            "family": item["family"],
            "version": item.get("version"),
            "category": "curated",
            "unit": None,
            "jurisdictions": [jur] if jur else [],
            "urls": [[u, None] for u in item.get("urls", [])],
            "buttons": [],
            "spellings": {"en": [item["title"]] + ([row["title"]] if row else [])},
            "od_conformance": row["od_conformance"] if row else "not in data",
            "retired": False,
            **_verdicts(item),
            "source": {"entry": item["source"], "verdict": item["rule"]}
            | ({"od_conformance": OKFN_CITE + f" (row {item['okfn']})"} if row else {}),
        }
    return entries


def build() -> dict[str, Any]:
    curated = yaml.safe_load((HERE / "curated.yaml").read_text(encoding="utf-8"))
    okfn = _okfn_rows()
    cc = build_cc(curated, okfn)
    rs = build_rs(curated)
    cur = build_curated(curated, okfn)
    taken = set(cc) | set(rs) | set(cur) | {i["okfn"] for i in curated["entries"] if "okfn" in i}
    ok = build_okfn(curated, okfn, taken)
    entries: dict[str, dict[str, Any]] = {}
    for part in (cc, rs, cur, ok):
        for eid, entry in part.items():
            if eid in entries:
                raise ValueError(f"duplicate catalog id {eid}")
            entries[eid] = entry
    for eid, by_lang in curated["spellings"].items():
        if eid not in entries:
            raise ValueError(f"spellings for unknown id {eid}")
        for lang, names in by_lang.items():
            have = entries[eid]["spellings"].setdefault(lang, [])
            have.extend(n for n in names if n not in have)
    for extra in curated["extra_urls"]:
        if extra["id"] not in entries:
            raise ValueError(f"extra URL for unknown id {extra['id']}")
        entries[extra["id"]]["urls"].append([extra["url"], None])
        entries[extra["id"]]["source"].setdefault("extra_urls", "")
        entries[extra["id"]]["source"]["extra_urls"] += (
            "; " if entries[extra["id"]]["source"]["extra_urls"] else ""
        ) + extra["source"]
    for eid in curated["phrases"]:
        if eid not in entries:
            raise ValueError(f"phrases for unknown id {eid}")
    aliases = [[a["path"], a["id"], a["source"]] for a in curated["cc_aliases"]]
    codes = dict(curated["codes"])
    for key, target in list(codes.items()) + [(a[1], a[1]) for a in aliases]:
        if target not in entries:
            raise ValueError(f"{key} points at unknown id {target}")
    return {
        "generated_by": "rules/data/build.py (python -m rules.data.build)",
        "entries": [entries[k] for k in sorted(entries)],
        "cc_aliases": aliases,
        "codes": codes,
        "phrases": curated["phrases"],
        "cc_words": curated["cc_words"],
        "regions": curated["regions"],
        "negations": curated["negations"],
    }


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
