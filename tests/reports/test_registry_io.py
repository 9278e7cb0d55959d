"""Registry import/export on the two real Open GLAM Survey exports, Wikidata JSON and our YAML."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from crawler.registry import RegistryError, parse_registry
from crawler.registry_io import (
    import_files,
    qid_of,
    read_entries,
    survey_columns,
    to_survey_csv,
    to_yaml,
    website_host,
)
from crawler.registry_io.readers import ImportReport
from tests.clirun import glamwatch

SURVEY = Path(__file__).parents[1] / "fixtures" / "survey"
NEW = SURVEY / "open-glam-survey-20251119.csv"
OLD = SURVEY / "open-glam-survey-20250807.csv"


def survey_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def expected_groups(rows: list[dict[str, str]]) -> int:
    """Independent count of merged records: by QID; rows without one by website host."""
    qids, hosts_without_qid, hosts_of_qid_rows = set(), set(), set()
    for r in rows:
        m = re.search(r"wikidata\.org/(?:wiki|entity)/(Q\d+)", r["institution_wikidata"])
        host = website_host(r["institution_website"])
        if m:
            qids.add(m.group(1))
            if host:
                hosts_of_qid_rows.add(host)
    groups = len(qids)
    for r in rows:
        if re.search(r"wikidata\.org/(?:wiki|entity)/(Q\d+)", r["institution_wikidata"]):
            continue
        host = website_host(r["institution_website"])
        if host and (host in hosts_of_qid_rows or host in hosts_without_qid):
            continue
        if host:
            hosts_without_qid.add(host)
        groups += 1
    return groups


@pytest.mark.parametrize(("path", "records"), [(NEW, 1720), (OLD, 1706)])
def test_survey_import_merges_by_qid_and_loses_no_record(path: Path, records: int) -> None:
    rows = survey_rows(path)
    assert len(rows) == records  # the file's own size, as documented in SOURCES.md
    registry, report = import_files([path])
    assert report.records == records
    assert len(registry.institutions) == expected_groups(rows)
    assert report.merged == records - len(registry.institutions)
    # lossless: every Survey page is either an entry's own or listed in its merged_from
    pages = {e.survey_url for e in registry.institutions}
    pages |= {
        m.get("survey_url") for e in registry.institutions for m in e.extra.get("merged_from", [])
    }
    assert {r["pretty_url"] for r in rows} <= pages
    assert all(e.survey == "listed" for e in registry.institutions)


def test_shared_qid_subunits_merge_but_distinct_qids_on_one_host_do_not() -> None:
    registry, _ = import_files([NEW])
    by_qid = {e.wikidata: e for e in registry.institutions if e.wikidata}
    estonia = by_qid["Q609471"]  # two Survey rows share the National Library of Estonia's item
    assert len(estonia.extra["merged_from"]) == 1
    rows = [r for r in survey_rows(NEW) if r["institution_wikidata"].endswith("/Q609471")]
    platforms = {
        (r[f"open_data_volume_name{n}"], r[f"open_data_volume_url{n}"])
        for r in rows
        for n in range(6)
        if r[f"open_data_volume_url{n}"] or r[f"open_data_volume_name{n}"]
    }
    assert {(p.get("name", ""), p.get("url", "")) for p in estonia.extra["platforms"]} == platforms
    # cultura.gob.es hosts several Spanish state museums, each with its own QID
    rows = [
        r for r in survey_rows(NEW) if website_host(r["institution_website"]) == "cultura.gob.es"
    ]
    on_host = [e for e in registry.institutions if website_host(e.website) == "cultura.gob.es"]
    assert len(rows) >= 2
    assert len(on_host) == len({qid_of(r["institution_wikidata"]) for r in rows})


def test_platforms_rights_statements_and_own_website_seeds() -> None:
    rows = survey_rows(NEW)
    registry, report = import_files([NEW])
    by_page = {e.survey_url: e for e in registry.institutions}
    row = next(r for r in rows if r["open_data_volume_rs0"] == "['CC0', 'CC BY']")
    entry = by_page[row["pretty_url"]]
    assert entry.extra["platforms"][0]["rs"] == ["CC0", "CC BY"]
    own = next(
        r
        for r in rows
        if r["open_data_volume_name0"] == "Own website" and r["open_data_volume_url0"]
    )
    seeds = [s for site in by_page[own["pretty_url"]].sites for s in site.seeds]
    assert own["open_data_volume_url0"] in seeds
    assert any("no QID" in w for w in report.warnings)  # the Wikipedia URL row is kept, flagged
    mufant = next(e for e in registry.institutions if e.name == "MuFant")
    assert "wikipedia.org" in mufant.extra["institution_wikidata_raw"]


def test_csv_and_yaml_export_round_trip(tmp_path: Path) -> None:
    registry, _ = import_files([NEW])
    exported = to_survey_csv(registry.institutions)
    header = next(csv.reader([exported.partition("\n")[0]]))
    real_header = list(survey_rows(NEW)[0])
    assert header[: len(real_header)] == real_header  # the Survey's own columns, same order
    path = tmp_path / "export.csv"
    path.write_text(exported, encoding="utf-8")
    again, report = import_files([path])
    assert report.merged == 0
    assert again.institutions == registry.institutions
    back = parse_registry(yaml.safe_load(to_yaml(registry.institutions)))
    assert back.institutions == registry.institutions


def test_totals_are_recomputed_over_every_platform() -> None:
    rows = survey_rows(NEW)
    registry, _ = import_files([NEW])
    by_page = {e.survey_url: e for e in registry.institutions}
    exported = {
        r["pretty_url"]: r
        for r in csv.DictReader(to_survey_csv(registry.institutions).splitlines())
    }
    row = next(r for r in rows if r["open_data_volume_number3"].replace(",", "").isdigit())
    want = sum(
        int(row[f"open_data_volume_number{n}"].replace(",", ""))
        for n in range(6)
        if row[f"open_data_volume_number{n}"].replace(",", "").isdigit()
    )
    assert not by_page[row["pretty_url"]].extra.get("merged_from")
    assert int(exported[row["pretty_url"]]["open_data_volume_total"]) == want


def test_both_snapshots_merge_and_keep_removed_institutions() -> None:
    registry, report = import_files([OLD, NEW])
    pages = {e.survey_url for e in registry.institutions}
    pages |= {
        m.get("survey_url") for e in registry.institutions for m in e.extra.get("merged_from", [])
    }
    old_pages = {r["pretty_url"] for r in survey_rows(OLD)}
    new_pages = {r["pretty_url"] for r in survey_rows(NEW)}
    assert old_pages | new_pages <= pages
    assert "https://survey.glamelab.org/institutions/collectiegelderland" in pages
    assert report.records == 1706 + 1720


def test_wikidata_and_yaml_merge_into_the_survey() -> None:
    base, _ = import_files([NEW])
    registry, report = import_files(
        [NEW, SURVEY / "wikidata-sparql.json", SURVEY / "registry-sample.yaml"]
    )
    assert report.records == 1720 + 4 + 2
    by_qid = {e.wikidata: e for e in registry.institutions if e.wikidata}
    rijks = by_qid["Q190804"]
    assert rijks.name == "Rijksmuseum"
    assert rijks.survey == "listed"
    assert "https://www.rijksmuseum.nl/en" in [s for site in rijks.sites for s in site.seeds]
    sandbox = by_qid["Q4115189"]
    assert sandbox.survey is None
    assert sandbox.sites[0].base_url == "https://sandbox-museum.example"
    kmska = by_qid["Q1471477"]  # the YAML record without a QID joined by website host
    assert "https://kmska.be/en/collection" in [s for site in kmska.sites for s in site.seeds]
    assert {m["name"] for m in kmska.extra["merged_from"]} == {"KMSKA (collection site)"}
    # new: the sandbox museum and the YAML archive; everything else merged
    assert len(registry.institutions) == len(base.institutions) + 2


def test_entity_document_and_simple_list_forms(tmp_path: Path) -> None:
    report = ImportReport()
    [entity] = read_entries(SURVEY / "wikidata-entity.json", report)
    assert (entity.wikidata, entity.name, entity.country, entity.type) == (
        "Q4115189",
        "Sandbox Museum",
        "Q34",
        "Q33506",
    )
    simple = tmp_path / "simple.json"
    simple.write_text(
        '[{"item": "http://www.wikidata.org/entity/Q190804", "itemLabel": "Rijksmuseum",'
        ' "website": "https://www.rijksmuseum.nl/"}]'
    )
    [row] = read_entries(simple, report)
    assert (row.wikidata, row.name, row.sites[0].base_url) == (
        "Q190804",
        "Rijksmuseum",
        "https://www.rijksmuseum.nl",
    )


def test_bad_input_is_a_clear_error_or_a_warning(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,url\nx,https://x.example\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="missing columns"):
        import_files([wrong])
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(RegistryError, match="invalid JSON"):
        import_files([broken])
    partial = tmp_path / "partial.csv"
    cols = survey_columns()
    lines = [",".join(cols)]
    lines.append(",".join(["", *[""] * (len(cols) - 1)]))  # no name: skipped, said so
    good = dict.fromkeys(cols, "")
    good |= {
        "institution_name": "<script>alert(1)</script> Museum",
        "institution_website": "not a url at all",
        "institution_wikidata": "https://www.wikidata.org/wiki/Q4115189",
        "open_data_volume_rs0": "CC0 (typed by hand)",
    }
    lines.append(",".join(f'"{good[c]}"' for c in cols))
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    registry, report = import_files([partial])
    [entry] = registry.institutions
    assert entry.name.startswith("<script>")  # kept verbatim; reports escape it
    assert entry.website == "not a url at all"
    assert entry.extra["platforms"][0]["rs"] == "CC0 (typed by hand)"
    assert any("no institution name" in w for w in report.warnings)
    assert any("list literal" in w for w in report.warnings)


def test_cli_import_export_through_files_and_a_database(tmp_path: Path) -> None:
    out = tmp_path / "registry.yaml"
    done = glamwatch("registry", "import", str(NEW), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1720 records read" in done.stderr
    entries = yaml.safe_load(out.read_text(encoding="utf-8"))["institutions"]
    exported = tmp_path / "export.csv"
    done = glamwatch(
        "registry",
        "export",
        "--registry",
        str(out),
        "--format",
        "csv",
        "--out",
        str(exported),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    with exported.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert set(survey_rows(NEW)[0]) <= set(reader.fieldnames or [])
    assert len(rows) == len(entries)

    db = tmp_path / "reg.db"
    small = SURVEY / "registry-sample.yaml"
    done = glamwatch("registry", "import", str(small), "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = glamwatch("registry", "export", "--db", str(db), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    stored = yaml.safe_load(done.stdout)["institutions"]
    assert [i["name"] for i in stored] == ["KMSKA (collection site)", "Valley Regional Archive"]
    assert stored[1]["survey"] == "candidate"
    assert stored[0]["sites"][0]["seeds"] == ["https://kmska.be/en/collection"]

    done = glamwatch("registry", "import", str(tmp_path / "missing.csv"), cwd=tmp_path)
    assert done.returncode != 0
    assert "cannot read" in done.stderr


def test_distinct_qids_on_one_host_stay_apart_in_the_database(tmp_path: Path) -> None:
    from crawler.registry_io import load_from_store, save_to_store
    from db.store import Store

    rows = [
        r for r in survey_rows(NEW) if website_host(r["institution_website"]) == "cultura.gob.es"
    ]
    registry, _ = import_files([NEW])
    entries = [e for e in registry.institutions if website_host(e.website) == "cultura.gob.es"]
    assert len(entries) == len({qid_of(r["institution_wikidata"]) for r in rows}) > 1
    with Store.open(f"sqlite:///{tmp_path / 'qids.db'}") as store:
        save_to_store(store, entries)
        stored = load_from_store(store)
    assert sorted(e.wikidata or "" for e in stored) == sorted(e.wikidata or "" for e in entries)
