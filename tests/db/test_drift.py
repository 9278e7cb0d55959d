"""Drift on a real SQLite file and a real PostgreSQL: the issue's hostile sequence gives exactly
the planted events, an outage is never a license change, and asking again changes nothing."""

from __future__ import annotations

import pytest
from dbtest_obs import failed, page
from sqlalchemy import func, select

from crawler.items import PageObservation
from db.drift import DriftResult, PageState, classify_pair
from db.errors import NothingToCompare, RunStateError
from db.models import ChangeEvent
from db.store import Store

M = "http://museum.test"
L = "http://library.test"


def _run(store: Store, observations: list[PageObservation], status: str = "complete") -> int:
    run = store.start_run([M + "/", L + "/"])
    store.add_observations(run, observations)
    store.finish_run(run, status)
    return run


def _run1() -> list[PageObservation]:
    return [
        page(f"{M}/object/1", "CC0-1.0"),
        page(f"{M}/object/2", "ARR"),
        page(f"{M}/object/3", "CC-BY-4.0"),
        page(f"{M}/object/4", "CC0-1.0"),
        page(f"{M}/object/5", "CC0-1.0"),
        page(f"{L}/item/1", "CC-BY-4.0", site_license="CC-BY-4.0"),
        page(f"{L}/item/2", "PDM-1.0", site_license="CC-BY-4.0"),
        page(f"{L}/item/3", "RS-InC-1.0", site_license="CC-BY-4.0"),
    ]


def _run2() -> list[PageObservation]:
    return [
        page(f"{M}/object/1", "ARR"),  # regression
        page(f"{M}/object/2", "CC0-1.0"),  # improvement
        page(f"{M}/object/3"),  # markup lost
        page(f"{M}/object/4", status=404),  # gone
        page(f"{M}/object/5", "CC0-1.0"),  # unchanged
        failed(f"{L}/item/1", status=500, error="HTTP 500"),
        failed(f"{L}/item/2"),  # timeout: no response at all
        failed(f"{L}/item/3", status=503, error="HTTP 503"),
    ]


def _summary(result: DriftResult) -> set[tuple[str, str | None, tuple[str, ...], tuple[str, ...]]]:
    return {(e.kind, e.url, tuple(e.before), tuple(e.after)) for e in result.events}


def test_hostile_sequence_gives_exactly_the_planted_events(store: Store) -> None:
    """Run 2 has one regression, improvement, markup loss, vanished page and a site down;
    run 3 has the site back: the outage produces one `unreachable` and no license event."""
    r1 = _run(store, _run1())
    r2 = _run(store, _run2())
    result = store.diff()
    assert (result.from_run, result.to_run) == (r1, r2)
    assert _summary(result) == {
        ("regression", f"{M}/object/1", ("CC0-1.0",), ("ARR",)),
        ("improvement", f"{M}/object/2", ("ARR",), ("CC0-1.0",)),
        ("markup-lost", f"{M}/object/3", ("CC-BY-4.0",), ()),
        ("page-gone", f"{M}/object/4", ("CC0-1.0",), ()),
        ("unreachable", L, (), ()),
    }
    outage = result.of_kind("unreachable")[0]
    assert outage.evidence["site_down"] is True
    assert outage.evidence["failed_pages"] == 3
    assert outage.evidence["escalated"] is False
    assert {f["url"] for f in outage.evidence["failures"]} == {f"{L}/item/{n}" for n in (1, 2, 3)}

    # run 3: the library is back unchanged; the museum is as in run 2 except that object 5
    # is not fetched (no event: not fetched is not gone) and a new object appears.
    run3 = [o for o in _run2() if o.site == M and not o.url.endswith("/5")]
    run3 += [o for o in _run1() if o.site == L]
    run3.append(page(f"{M}/object/6", "CC-BY-SA-4.0"))
    r3 = _run(store, run3)
    third = store.diff()
    assert (third.from_run, third.to_run) == (r2, r3)
    assert _summary(third) == {("new-page", f"{M}/object/6", (), ("CC-BY-SA-4.0",))}
    assert not third.regressions


def test_regression_evidence_names_methods_raw_values_snippets_and_dates(store: Store) -> None:
    _run(store, _run1())
    _run(store, _run2())
    event = store.diff().regressions[0]
    before, after = event.evidence["before"], event.evidence["after"]
    assert before["verdict"] == "open"
    assert after["verdict"] == "not-open"
    assert before["run_started"]
    assert after["run_started"]
    assert before["final_url"] == after["final_url"] == f"{M}/object/1"
    assert after["fetched_at"]
    (old,) = before["assertions"]
    (new,) = after["assertions"]
    assert old["method"] == "rel-license"
    assert old["raw"].endswith("/CC0-1.0")
    assert new["raw"].endswith("/ARR")
    assert "ARR" in new["snippet"]
    assert new["source_url"] == f"{M}/object/1"


def test_asking_again_is_idempotent(store: Store) -> None:
    _run(store, _run1())
    _run(store, _run2())
    first = store.diff()
    second = store.diff()
    assert first.to_json() == second.to_json()
    with store.session() as s:
        stored = s.execute(select(func.count()).select_from(ChangeEvent)).scalar_one()
    assert stored == len(first.events) == 5


def test_an_incomplete_run_is_never_compared(store: Store) -> None:
    r1 = _run(store, _run1())
    broken = _run(store, [page(f"{M}/object/1", "ARR")], status="incomplete")
    with pytest.raises(NothingToCompare):
        store.diff()
    with pytest.raises(RunStateError, match="incomplete"):
        store.diff(r1, broken)
    r3 = _run(store, _run1())
    result = store.diff()
    assert (result.from_run, result.to_run) == (r1, r3)
    assert result.events == []


def test_unreachable_escalates_once_after_n_runs(store: Store) -> None:
    """A site down for runs 2–5: one event when the outage starts, one escalation at the third
    consecutive run, and silence otherwise."""
    _run(store, _run1())
    seen = []
    for _ in range(4):
        _run(store, _run2())
        events = store.diff(escalate_after=3).of_kind("unreachable")
        seen.append([(e.evidence["consecutive_runs"], e.evidence["escalated"]) for e in events])
    assert seen == [[(1, False)], [], [(3, True)], []]


def test_license_set_changes_without_verdict_change(store: Store) -> None:
    _run(
        store,
        [
            page(f"{M}/a", "CC0-1.0"),
            page(f"{M}/b"),
            page(f"{M}/c", "CC-BY-4.0", site_license="CC-BY-4.0"),
        ],
    )
    _run(
        store,
        [
            page(f"{M}/a", "CC-BY-4.0"),
            page(f"{M}/b", "PDM-1.0"),
            page(f"{M}/c", site_license="CC-BY-4.0"),
        ],
    )
    assert _summary(store.diff()) == {
        ("license-changed", f"{M}/a", ("CC0-1.0",), ("CC-BY-4.0",)),
        ("license-added", f"{M}/b", (), ("PDM-1.0",)),
        ("license-removed", f"{M}/c", ("CC-BY-4.0",), ()),
    }


def test_default_compares_each_site_between_its_own_last_two_runs(store: Store) -> None:
    """Run 2 crawled only the museum, run 3 only the library: both sites still get compared."""
    r1 = _run(store, _run1())
    r2 = _run(store, [page(f"{M}/object/1", "ARR")])
    r3 = _run(store, [page(f"{L}/item/1", "CC0-1.0", site_license="CC-BY-4.0")])
    result = store.diff()
    assert (result.from_run, result.to_run) == (r1, r3)
    assert {(e.kind, e.url, e.from_run, e.to_run) for e in result.events} == {
        ("regression", f"{M}/object/1", r1, r2),
        ("license-changed", f"{L}/item/1", r1, r3),
    }
    store.diff()
    assert [e.kind for e in store.stored_events(r1, r2)] == ["regression"]
    assert [e.kind for e in store.stored_events(r1, r3)] == ["license-changed"]


def test_explicit_pair_and_order_checks(store: Store) -> None:
    r1 = _run(store, _run1())
    r2 = _run(store, _run2())
    assert store.diff(r1, r2).to_run == r2
    with pytest.raises(RunStateError, match="not older"):
        store.diff(r2, r1)


S = PageState


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (None, S("ok", (), "unknown", 0), "new-page"),
        (None, S("gone", (), "unknown", 0), None),
        (S("ok", ("CC0-1.0",), "open", 1), S("failed", (), "unknown", 0), None),
        (S("ok", ("CC0-1.0",), "open", 1), S("gone", (), "unknown", 0), "page-gone"),
        (S("gone", (), "unknown", 0), S("ok", ("CC0-1.0",), "open", 1), "new-page"),
        (S("ok", ("CC0-1.0",), "open", 2), S("ok", (), "unknown", 0), "markup-lost"),
        (
            S("ok", ("CC0-1.0",), "open", 1),
            S("ok", ("ARR", "CC0-1.0"), "conflict", 2),
            "regression",
        ),
        (S("ok", ("CC0-1.0",), "open", 1), S("ok", ("ARR",), "not-open", 1), "regression"),
        (S("ok", ("ARR",), "not-open", 1), S("ok", ("PDM-1.0",), "open", 1), "improvement"),
        (S("ok", ("CC0-1.0",), "open", 2), S("ok", (), "unknown", 1), "license-removed"),
        (S("ok", ("CC0-1.0",), "open", 1), S("ok", ("CC0-1.0",), "open", 3), None),
    ],
)
def test_classify_pair_precedence(before: S | None, after: S, kind: str | None) -> None:
    assert classify_pair(before, after) == kind


def test_one_failing_page_is_an_outage_not_a_license_change(store: Store) -> None:
    """A single timed-out page: one `unreachable` (site not down), no license event, and when
    it is back unchanged nothing at all; a 403 is a failure too, never `page-gone`."""
    _run(store, [page(f"{M}/a", "CC0-1.0"), page(f"{M}/b", "CC0-1.0"), page(f"{M}/c", "ARR")])
    _run(
        store,
        [
            page(f"{M}/a", "CC0-1.0"),
            failed(f"{M}/b"),
            page(f"{M}/c", status=403, error="HTTP 403"),
        ],
    )
    first = store.diff()
    assert [(e.kind, e.url) for e in first.events] == [("unreachable", M)]
    assert first.events[0].evidence["site_down"] is False
    assert first.events[0].evidence["failed_pages"] == 2
    _run(store, [page(f"{M}/a", "CC0-1.0"), page(f"{M}/b", "CC0-1.0"), page(f"{M}/c", "ARR")])
    assert store.diff().events == []
    assert store.diff(escalate_after=1).events == []  # the outage is over: no streak


def test_escalate_after_one_marks_the_first_outage_escalated(store: Store) -> None:
    _run(store, _run1())
    _run(store, _run2())
    (outage,) = store.diff(escalate_after=1).of_kind("unreachable")
    assert outage.evidence["escalated"] is True
    with pytest.raises(ValueError, match="at least 1"):
        store.diff(escalate_after=0)
