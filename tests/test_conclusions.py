"""Conclusions drawn again from an analysis (`logsync.conclusions`): the restart advice's
what-if, taken from the analysis's own list of stuck users, must give what a second conclusion
with the restart would give, for every user, whatever the analysis listed and whatever the
export of Azure AD users holds."""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from logsync import analyze
from logsync.analysis import REPORTED_STATES, Analysis
from logsync.cloud import read_cloud_users
from logsync.conclusions import conclusion, restart_now
from logsync.tracker import STUCK_STATES

from .conftest import ROOT, SAMPLES
from .test_as_pasted import BLOG_QUOTES

sys.path.insert(0, str(ROOT / "sample_logs"))
from simulate import simulate

EXAMPLES = int(os.environ.get("LOGSYNC_FUZZ_EXAMPLES", "12"))
HISTORIES = [simulate(40, seed=seed, per_day=120) for seed in (3, 11)]
"""Busy connectors, with users waiting, overdue (a restart's full sync) and failed."""
assert any("SMS_EXECUTIVE started" in line for line in HISTORIES[1].lines)  # (a restart)
DEMO = SAMPLES / "CloudUserSync.log"
RESTART_DAY = SAMPLES / "restart-day" / "CloudUserSync.log"


def concluded_again(analysis: Analysis) -> tuple[list[str], list[tuple[str, str, Any]]]:
    """The stuck users' UPNs of a second conclusion with no what-if, and the users a second
    one with the restart frees (recovery by the what-if): UPN, state and time saved."""
    stuck = conclusion(analysis, states=STUCK_STATES).users
    restarted = conclusion(analysis, restart_at=analysis.as_of, states=STUCK_STATES).users
    freed = [(u.upn, u.state, u.time_saved_s) for u in restarted if u.recovery_by == "what-if"]
    return [u.upn for u in stuck], freed


def taken_from_the_analysis(analysis: Analysis) -> tuple[list[str], list[tuple[str, str, Any]]]:
    stuck, freed = restart_now(analysis)
    return [u.upn for u in stuck], [(u.upn, u.state, saved) for u, saved in freed]


@settings(max_examples=EXAMPLES, deadline=None)
@given(data=st.data())
def test_the_restart_advice_s_what_if_is_that_of_a_second_conclusion(
    tmp_path_factory: Any, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("what-if")
    history = data.draw(st.sampled_from(HISTORIES), label="history")
    end = data.draw(st.integers(200, len(history.lines)), label="end")
    start = data.draw(st.integers(0, end - 100), label="start")
    log = folder / "CloudUserSync.log"
    log.write_text(history.text(start, end), encoding="utf-8")
    hours = data.draw(st.sampled_from([None, 0.0, 1.0, 20.0]), label="hours after the end")
    analysis = analyze([str(log)])
    now = None if hours is None else analysis.as_of + timedelta(hours=hours)
    cloud = None
    if data.draw(st.booleans(), label="export"):  # a part of the users reached Azure AD
        upns = [u.upn for u in analysis.tracker.users.values()]
        kept = data.draw(st.lists(st.sampled_from(upns), max_size=len(upns)), label="in AD")
        export = folder / "users.txt"
        export.write_text("".join(f"{upn}\n" for upn in kept) or "nobody@contoso.com\n")
        cloud = read_cloud_users(str(export))
    states = data.draw(st.sampled_from([None, REPORTED_STATES, STUCK_STATES]), label="states")
    analysis = analyze([str(log)], now=now, states=states, cloud=cloud)
    assert analysis.listed == (None if states is None else states)
    assert taken_from_the_analysis(analysis) == concluded_again(analysis)


def test_the_what_if_of_the_demo_log_with_and_without_a_list_of_every_stuck_user() -> None:
    analyses = [
        analyze([str(DEMO)], states=REPORTED_STATES),  # (its own list: nothing concluded again)
        analyze([str(DEMO)], states={"failed"}),  # (too few: concluded again)
        analyze([str(DEMO)], match=lambda upn: upn.startswith("b")),  # (a match: again)
    ]
    assert [a.listed for a in analyses] == [REPORTED_STATES, frozenset({"failed"}), ()]
    stuck = ["bob@contoso.com", "heidi@contoso.com", "erin@contoso.com", "ivan@contoso.com"]
    freed = [  # the waiting ones sooner, by name (all are expected at the restart's cycle)
        ("bob@contoso.com", "waiting", 61794.622),
        ("erin@contoso.com", "waiting", 80996.99),
        ("heidi@contoso.com", "waiting", 65395.066),
        ("ivan@contoso.com", "overdue", None),
    ]
    assert [taken_from_the_analysis(a) for a in analyses] == [(stuck, freed)] * 3
    assert concluded_again(analyses[0]) == (stuck, freed)


def test_a_what_if_already_judged_is_concluded_again_with_no_restart() -> None:
    plain = analyze([str(RESTART_DAY)], states=REPORTED_STATES)
    asked = analyze([str(RESTART_DAY)], restart_at=plain.as_of, states=REPORTED_STATES)
    assert asked.restart_at == plain.as_of
    expected = (["yolanda@fabrikam.com"], [("yolanda@fabrikam.com", "waiting", 76194.241)])
    assert taken_from_the_analysis(asked) == expected
    assert taken_from_the_analysis(plain) == expected
    assert concluded_again(asked) == expected


def test_with_no_times_a_restart_frees_a_waiting_user_sooner_by_an_unknown_time(
    tmp_path: Path,
) -> None:
    quotes = tmp_path / "quotes.txt"
    quotes.write_text(BLOG_QUOTES, encoding="utf-8")
    analysis = analyze([str(quotes)], states=REPORTED_STATES)
    _, freed = restart_now(analysis)
    assert [(u.upn, u.state, saved, u.no_times) for u, saved in freed] == [
        ("<UPN of User Account>", "waiting", None, True)
    ]
    assert taken_from_the_analysis(analysis) == concluded_again(analysis)


def test_a_user_whose_retry_may_be_unseen_stays_pending_under_a_what_if_restart(
    tmp_path: Path,
) -> None:
    """`findstr "Failed to add" "Total received"` of the demo log: carol (who recovered in the
    whole log) and ivan may have been retried unseen. A what-if restart moves their expected
    recovery to its cycle, but does not make them overdue (it did: the advice said a restart
    "would retry 2 overdue users (carol…, ivan…)", and `report --restart-at` called them
    overdue where `report` said pending)."""
    lines = DEMO.read_text(encoding="utf-8").splitlines(keepends=True)
    excerpt = tmp_path / "findstr.log"
    excerpt.write_text(
        "".join(line for line in lines if "Failed to add" in line or "Total received" in line),
        encoding="utf-8",
    )
    plain = analyze([str(excerpt)], states=REPORTED_STATES)
    stuck, freed = restart_now(plain)
    assert [(u.upn, u.state) for u, _ in freed] == [
        ("bob@contoso.com", "waiting"),
        ("erin@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("carol@contoso.com", "pending"),
        ("ivan@contoso.com", "pending"),
    ]
    assert len(stuck) == 5
    assert taken_from_the_analysis(plain) == concluded_again(plain)
    asked = analyze([str(excerpt)], restart_at=plain.as_of, states=REPORTED_STATES)
    assert [(u.upn, u.state, u.recovery_by, u.pending_reason) for u in asked.users] == [
        ("bob@contoso.com", "waiting", "what-if", None),
        ("erin@contoso.com", "waiting", "what-if", None),
        ("heidi@contoso.com", "waiting", "what-if", None),
        ("dave@contoso.com", "failed", None, None),
        ("carol@contoso.com", "pending", "what-if", "retry_unseen"),
        ("ivan@contoso.com", "pending", "what-if", "retry_unseen"),
    ]
    assert asked.result.counts == plain.result.counts
