"""An input with no cycle's start (`grep heidi CloudUserSync.log`: a user's lines only) cannot
say where on the connector's schedule a due time falls: the first cycle at or after it comes
within one interval, so the expected recovery is that latest bound (`by …`,
`expected_recovery_bound: "latest"`). It was the due time itself, a cycle the log never had
(heidi "10:10:08.506", where the whole log retries her at 10:15:03.710). She waits until two
intervals past that bound (SPEC §4 rule 6); whether her retry may be where the input cannot show
it (a cycle since that received more users than it names) is judged from the soonest it may
be, the due time; a what-if restart frees her sooner only before her due time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import analyze
from logsync.cli import app
from logsync.times import iso

from .conftest import SAMPLES
from .logtext import Log

runner = CliRunner()
DEMO = SAMPLES / "CloudUserSync.log"
DUE = "2026-11-26T10:10:08.506-08:00"
BOUND = "2026-11-26T10:15:08.506-08:00"  # (one interval, the default 5 min, after it)


def searched(tmp_path: Path, *words: str) -> str:
    """The demo log's lines that hold any of `words` (`grep -e … -e …`)."""
    lines = DEMO.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = tmp_path / "found.log"
    path.write_text("".join(line for line in lines if any(w in line for w in words)), "utf-8")
    return str(path)


def heidi(path: str, *options: str) -> dict[str, object]:
    result = runner.invoke(app, ["report", "--format", "json", *options, path])
    [user] = json.loads(result.stdout)["users"]
    return dict(user)


def test_a_search_of_a_user_s_lines_bounds_her_recovery_one_interval_after_her_due_time(
    tmp_path: Path,
) -> None:
    user = heidi(searched(tmp_path, "heidi"))
    assert (
        user["state"], user["full_sync_due"], user["expected_recovery"],
        user["expected_recovery_bound"], user["expected_recovery_observed"],
        user["seconds_remaining"],
    ) == ("waiting", DUE, BOUND, "latest", False, 65703.347)
    # the whole log's answer lies between the due time and the bound
    whole = heidi_of_demo()
    assert DUE < whole["expected_recovery"] < BOUND
    assert (whole["expected_recovery"], whole["expected_recovery_bound"]) == (
        "2026-11-26T10:15:03.710-08:00", None,
    )


def heidi_of_demo() -> dict[str, object]:
    document = json.loads(runner.invoke(app, ["report", "--format", "json", str(DEMO)]).stdout)
    return next(u for u in document["users"] if u["upn"] == "heidi@contoso.com")


def test_a_search_that_keeps_the_cycles_starts_predicts_the_cycle_itself(tmp_path: Path) -> None:
    """With the cycles' starts kept, the schedule is known: the cycle, not a bound (the whole
    log's answer)."""
    user = heidi(searched(tmp_path, "heidi", "Starting user delta sync"))
    assert (user["expected_recovery"], user["expected_recovery_bound"]) == (
        heidi_of_demo()["expected_recovery"], None,
    )


@pytest.mark.parametrize(
    ("now", "state", "reason", "remaining"),
    [
        # waiting until two intervals past the bound (SPEC §4 rule 6) ...
        ("2026-11-26T10:25:08.505-08:00", "waiting", None, -599.999),
        # ... then past it: no cycle line, so the retry may be there unseen
        ("2026-11-26T10:25:08.506-08:00", "pending", "retry_unseen", -600.0),
    ],
)
def test_a_search_of_a_user_s_lines_is_waiting_until_two_intervals_past_the_bound(
    tmp_path: Path, now: str, state: str, reason: str | None, remaining: float
) -> None:
    user = heidi(searched(tmp_path, "heidi"), "--now", now)
    assert (user["state"], user["pending_reason"], user["expected_recovery"]) == (
        state, reason, BOUND,
    )
    assert user["seconds_remaining"] == remaining


def test_every_format_shows_the_bound_and_why(tmp_path: Path) -> None:
    path = searched(tmp_path, "heidi")
    text = runner.invoke(app, ["report", path]).stdout.split("\t")
    assert (text[7], text[-1].strip()) == (BOUND, "latest")
    gate = runner.invoke(app, ["check", path])
    assert (gate.exit_code, gate.stdout.splitlines()[0]) == (
        1, f"heidi@contoso.com\twaiting\tUserNotFound\texpected recovery by {BOUND}",
    )
    csv = runner.invoke(app, ["report", "--format", "csv", path]).stdout.splitlines()[1]
    assert csv.endswith(f",{DUE},{BOUND},65703.347,,,latest")
    markdown = runner.invoke(app, ["report", "--format", "markdown", path]).stdout
    assert (
        "by `2026-11-26 10:15:08 -08:00` (at the latest: no cycle's start in the input)"
        " (predicted)"
    ) in markdown
    timeline = runner.invoke(app, ["timeline", "heidi", path]).stdout.splitlines()
    assert timeline[-2].split("\t")[:3] == [
        BOUND, "expected_recovery", "predicted cycle (timer, at the latest)",
    ]


def test_the_table_says_why_its_recovery_is_a_bound(tmp_path: Path) -> None:
    table = runner.invoke(
        app, ["report", "--format", "table", searched(tmp_path, "heidi")], terminal_width=200
    ).stdout
    assert "by Nov 26 10:15:08 ~" in table
    assert "by: at the latest (no cycle's start in the input)" in table
    # a failure before the log says so instead
    assert "the failure is before the log" not in table
    # the footer's next recovery is the bound, as the column's (from the log's end, 16:00:05)
    assert "1 stuck · next recovery by 2026-11-26 10:15:08 -08:00 (within 18h 15m)" in table


def test_the_footer_says_by_where_the_waiting_users_recoveries_are_bounds(tmp_path: Path) -> None:
    """bob's and heidi's lines: each recovery a bound, the next at the latest bob's (the whole
    log's, exact, is no bound)."""
    lines = DEMO.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path = tmp_path / "two.log"
    path.write_text("".join(line for line in lines if "bob@" in line or "heidi@" in line))
    table = runner.invoke(app, ["report", "--format", "table", str(path)], terminal_width=200)
    assert "2 stuck · next recovery by 2026-11-26 09:15:08 -08:00 (within 17h 15m)" in (
        table.stdout
    )
    whole = runner.invoke(app, ["report", "--format", "table", str(DEMO)], terminal_width=200)
    assert "4 stuck · next recovery 2026-11-26 09:15:03 -08:00 (in 17h 10m)" in whole.stdout


def test_a_restart_after_the_failure_is_its_retry_and_no_bound(tmp_path: Path) -> None:
    """bob failed, SMS Executive restarted two hours later, and no cycle's start is in the
    input: the restart's full sync (one interval after it, as no restart of the input shows
    how soon its cycle came) retries him, sooner than his timer; that is no latest bound."""
    log = Log(bias=300)
    log.at("2026-03-02 09:00:05", "Failed to add user bob@contoso.com; reason UserNotFound")
    log.restart("2026-03-02 11:00:00")
    (bob,) = analyze([log.write(tmp_path / "CloudUserSync.log")]).users
    assert (bob.state, bob.recovery_by, iso(bob.expected_recovery), bob.bound) == (
        "waiting", "restart", "2026-03-02T11:05:00-05:00", None,
    )


@pytest.mark.parametrize(
    ("restart_at", "expected", "recovery_by", "saved"),
    [
        # the restart's cycle (10:12, one interval after it) may come after her own retry,
        # which may be as soon as her due time: not freed sooner (it was, "by up to 3m")
        ("2026-11-26T10:07:00-08:00", BOUND, "timer", None),
        # the restart's cycle (10:09) comes before her due time: freed, by up to the bound
        ("2026-11-26T10:04:00-08:00", "2026-11-26T10:09:00-08:00", "what-if", 368.506),
    ],
)
def test_a_what_if_restart_frees_her_sooner_only_before_her_due_time(
    tmp_path: Path, restart_at: str, expected: str, recovery_by: str, saved: float | None
) -> None:
    user = heidi(searched(tmp_path, "heidi"), "--restart-at", restart_at)
    assert (user["expected_recovery"], user["recovery_by"], user.get("time_saved_s")) == (
        expected, recovery_by, saved,
    )


def test_the_footer_says_due_now_of_a_bound_that_has_come(tmp_path: Path) -> None:
    """As of a minute past heidi's bound she is still waiting (two intervals more): her
    recovery is due now, by that bound."""
    path = searched(tmp_path, "heidi")
    table = runner.invoke(
        app,
        ["report", "--format", "table", "--now", "2026-11-26T10:16:08-08:00", path],
        terminal_width=200,
    ).stdout
    assert "1 stuck · next recovery by 2026-11-26 10:15:08 -08:00 (due now)" in table


ROTATED_LOG = str(SAMPLES / "rotated" / "CloudUserSync.log")
"""The newer half alone: jan held back since before it, his timer's start unknown."""


@pytest.mark.parametrize(
    ("form", "due"),
    [
        ("table", "│ by Jun 11 10:15:00 │"),
        ("markdown", "| by `2025-06-11 10:15:00 +01:00` |"),
        ("html", "<td>by 2025-06-11 10:15:00 +01:00</td>"),
    ],
)
def test_every_table_shows_the_latest_full_sync_due_of_a_timer_started_before_the_log(
    form: str, due: str
) -> None:
    """jan's full sync is due by 2025-06-11 10:15:00 (his held-back notification at 10:15 the
    day before): `timeline`, `check` and JSON's `full_sync_due_by` said so, and the tables'
    "Full sync due" said `-`. The text and CSV keep one kind of value in a column: their
    `full_sync_due` is none, and the bound is JSON's `full_sync_due_by`."""
    wide = {"COLUMNS": "160"}
    result = runner.invoke(app, ["report", "--format", form, ROTATED_LOG], env=wide)
    assert result.exit_code == 0
    assert due in result.stdout
    document = json.loads(runner.invoke(app, ["report", "--format", "json", ROTATED_LOG]).stdout)
    [jan] = document["users"]
    assert (jan["full_sync_due"], jan["full_sync_due_by"]) == (None, "2025-06-11T10:15:00.137+01:00")
    text = runner.invoke(app, ["report", "--format", "text", ROTATED_LOG]).stdout.split("\t")
    assert (text[6], text[11]) == ("-", "latest\n")
