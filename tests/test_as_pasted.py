"""Logs as people hand them over (SPEC §2): the blog post's message lines with no time at all,
and excerpts quoted in e-mail replies or hard-wrapped, read as the log they came from."""

from __future__ import annotations

import gzip
import html
import json
import re
import sys
import textwrap
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync import analyze
from logsync.analysis import Analysis
from logsync.cli import app
from logsync.formats import aspasted, copies, cuts, detect, paste, quoting
from logsync.tracker import UserState

from .conftest import REAL_LOGS, ROOT, SAMPLES
from .logtext import Log

sys.path.insert(0, str(ROOT / "sample_logs"))
from simulate import History, simulate

runner = CliRunner()

BLOG_QUOTES = """\
Failed to add user <UPN of User Account>; reason UserNotFound

UserDeltaSync:- Users Added = 0, Users Removed = 0
Starting user delta sync, raise failure status messages = True
Total received users from SCCM to be removed from cloud = 0
Successfully removed users from cloud 0
NotifyAccountAddition - SCCM user to add = <UPN of User Account>
Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0
"""
"""The customer's log as the source blog post quotes it (SPEC §2, verbatim)."""
SPEC_EXCERPT_UNDER_ITS_DATE = (
    "                       Failed to add user scott@contoso.com; reason UserNotFound\n"
    "                       Total received users to add from SCCM = 1, Total Successfully added "
    "users to Cloud = 0\n"
    "9/15/2014 10:24:12 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
    "                       Total received users to add from SCCM = 1, Total Successfully added "
    "users to Cloud = 1\n"
    "                       UserDeltaSync:- Users Added = 1, Users Removed = 0\n"
)
"""SPEC §1's excerpt copied from its second line: the lines its first date line dated come
before any time."""


NO_TIMES_NOTE = (
    "logsync: the input has no times: its lines are read in order; every time, timer and due "
    "time is null\n"
)
BLOG_NOTES = NO_TIMES_NOTE + (
    "logsync: <UPN of User Account> is a redacted name, judged as one user (no cycle names it "
    "twice): if it stands for several, their failures and states are judged as one's, and a "
    "gate counts one; give the names unredacted to judge each\n"
)
"""What stderr says of the blog post's quotes: no times, and a redacted name judged as one
user's."""
UNKNOWN_TIMES = {
    "first_failure": None,
    "last_failure": None,
    "full_sync_due": None,
    "full_sync_due_by": None,
    "expected_recovery": None,
    "recovered_at": None,
    "synced_at": None,
    "seconds_remaining": None,
    "first_seen": None,
    "last_seen": None,
}


def write(tmp_path: Path, text: str, name: str = "ticket.txt") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# -- message lines with no time at all ------------------------------------------------------


def test_check_fails_on_the_user_stuck_in_the_blog_posts_quotes(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", write(tmp_path, BLOG_QUOTES)])
    assert result.exit_code == 1
    assert result.stdout == (
        "<UPN of User Account> (not a UPN)\twaiting\tUserNotFound\texpected recovery unknown: the "
        "input has no times\n"
        "FAIL: 1 user (1 waiting), limit 0 (the input has no times)\n"
    )
    assert result.stderr == BLOG_NOTES


@pytest.mark.parametrize("command", ["check", "report"])
def test_a_gate_on_overdue_users_fails_where_the_input_cannot_tell_their_due_times(
    tmp_path: Path, command: str
) -> None:
    """The user the quotes leave waiting may be overdue: with no times, its due time is unknown.
    `--fail-on overdue` passed ("ok: no overdue user (the input has no times); 1 stuck user not
    counted"); it counts the user as one that may be overdue, as a pending user whose outcome
    is unknown counts as one that may be stuck. A gate that names no state it may be in still
    passes."""
    path = write(tmp_path, BLOG_QUOTES)
    result = runner.invoke(app, [command, "--fail-on", "overdue", path])
    assert result.exit_code == 1
    if command == "check":
        assert result.stdout.splitlines()[-1] == (
            "FAIL: 1 user (1 waiting that may be overdue), limit 0 (the input has no times)"
        )
        gate = json.loads(runner.invoke(app, ["check", "--fail-on", "overdue", "--format", "json", path]).stdout)
        assert (gate["passed"], gate["counted"]["waiting"], len(gate["failing"])) == (False, 1, 1)
    # two users notified, the counts receiving one: each may be held back, so may be overdue
    undecided = write(tmp_path, (
        "Starting user delta sync, raise failure status messages = True\n"
        "NotifyAccountAddition - SCCM user to add = a@contoso.com\n"
        "NotifyAccountAddition - SCCM user to add = b@contoso.com\n"
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1\n"
    ), "undecided.txt")
    either = runner.invoke(app, [command, "--fail-on", "overdue", undecided])
    assert either.exit_code == 1
    if command == "check":
        assert either.stdout.splitlines()[-1] == (
            "FAIL: 2 users (2 pending that may be stuck), limit 0 (the input has no times)"
        )
    passed = runner.invoke(app, [command, "--fail-on", "failed", path])
    assert passed.exit_code == 0
    if command == "check":
        assert passed.stdout == (
            "ok: no failed user (the input has no times); 1 stuck user not counted by --fail-on "
            "failed\n"
        )


def test_the_blog_posts_quotes_are_read_in_order_with_every_time_null(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--format", "json", write(tmp_path, BLOG_QUOTES)])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["as_of"] is None
    assert document["times_unknown"] == "the input has no times"
    assert document["inputs"] == [
        {
            "path": str(tmp_path / "ticket.txt"),
            "format": "paste",
            "encoding": "utf-8",
            "lines": 8,
            "records": 7,
            "unparsed": 0,
            "unread": 0,
            "blank": 1,
        }
    ]
    (user,) = document["users"]
    assert user == {
        "upn": "<UPN of User Account>",
        "state": "waiting",
        "reason": "UserNotFound",
        "failures": 1,
        "expected_recovery_bound": None,
        "expected_recovery_observed": False,
        "recovery_by": "timer",
        "requests": 1,
        "skipped": 0,
        "failure_before_input": False,
        "pending_reason": None,
        "times_unknown": "the input has no times",
        "upn_redacted": True,
        **UNKNOWN_TIMES,
    }
    assert document["summary"] == {
        "waiting": 1,
        "overdue": 0,
        "recovered": 0,
        "synced": 0,
        "failed": 0,
        "pending": 0,
        "stuck": 1,
        "cycles": 1,
        "restarts": 0,
        "interval_s": None,  # no times: no gap to measure, and no timer is worked out
        "interval_observed": False,
        "interval_basis": "unknown",
        "unnamed_failures": 0,
    }


def test_the_last_six_quoted_lines_alone_hold_the_user_back_since_before_them(
    tmp_path: Path,
) -> None:
    last_six = "".join(BLOG_QUOTES.splitlines(keepends=True)[2:])
    result = runner.invoke(app, ["report", "--format", "json", write(tmp_path, last_six)])
    (user,) = json.loads(result.stdout)["users"]
    assert (user["state"], user["reason"], user["failures"], user["failure_before_input"]) == (
        "waiting",
        None,
        0,
        True,
    )
    # no time to bound: the bound is null too (it said `latest`, a column of "latest" beside
    # no time), as every time, timer and due time of an input with no times is
    assert (user["expected_recovery"], user["expected_recovery_bound"], user["full_sync_due_by"]) == (None, None, None)
    assert user["times_unknown"] == "the input has no times"
    # a bound of no time names none: no "by -", no "(at the latest …)" after a dash
    markdown = runner.invoke(app, ["report", "--format", "markdown", write(tmp_path, last_six)])
    assert (
        "| `<UPN of User Account>` | waiting | – | before the log | – | – | – |"
        in markdown.stdout.splitlines()
    )
    table = runner.invoke(
        app, ["report", "--format", "table", write(tmp_path, last_six)], env={"COLUMNS": "100"}
    )
    assert "│ waiting │ -      │ -             │ -                 │         -" in table.stdout
    assert "by" not in table.stdout.replace("(by ", "")  # (nor its key under the table)
    check = runner.invoke(app, ["check", write(tmp_path, last_six)])
    assert check.exit_code == 1
    assert check.stdout.splitlines()[-1] == "FAIL: 1 user (1 waiting), limit 0 (the input has no times)"


def test_events_of_lines_with_no_time_have_a_null_time(tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "--format", "ndjson", write(tmp_path, BLOG_QUOTES)])
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["kind"], e["line"], e["time"]) for e in events] == [
        ("user_add_failed", 1, None),
        ("sync_summary", 3, None),
        ("sync_started", 4, None),
        ("remove_totals", 5, None),
        ("users_removed", 6, None),
        ("user_add_requested", 7, None),
        ("add_totals", 8, None),
    ]


def test_timeline_and_summary_of_the_blog_posts_quotes(tmp_path: Path) -> None:
    path = write(tmp_path, BLOG_QUOTES)
    result = runner.invoke(app, ["timeline", "<UPN of User Account>", "--format", "text", path])
    assert result.exit_code == 0
    assert result.stdout == (
        f"-\tfailed\treason UserNotFound\t{path}:1\n"
        f"-\theld_back\tnotified; timer runs\t{path}:7\n"
        "-\tstate\twaiting · 1 failure (UserNotFound)\t-\n"  # (no times: none shown)
    )
    summary = json.loads(runner.invoke(app, ["summary", "--format", "json", path]).stdout)
    assert summary["span"] == {"start": None, "end": None}
    assert summary["per_day"] == []
    assert [f["message"] for f in summary["findings"]] == [
        "1 user waits for the 24 h full sync; when is unknown: the input has no times"
    ]
    # a placeholder is no UPN: no advice on its suffix, and a restart's gain is not timed
    assert [a["text"] for a in summary["advice"]] == [
        "Restart the SMS Executive service on the site server with the service connection "
        "point to force a full sync: it would retry 1 waiting user (<UPN of User Account>) "
        "sooner."
    ]


def test_a_user_held_back_in_several_quoted_cycles_with_no_time(tmp_path: Path) -> None:
    cycle = "".join(BLOG_QUOTES.splitlines(keepends=True)[3:])
    path = write(tmp_path, BLOG_QUOTES + cycle + cycle)
    result = runner.invoke(app, ["timeline", "<UPN of User Account>", "--format", "text", path])
    assert result.stdout == (
        f"-\tfailed\treason UserNotFound\t{path}:1\n"
        f"-\theld_back\tnotified; timer runs; held back in 3 cycles\t{path}:7\n"
        "-\tstate\twaiting · 1 failure (UserNotFound)\t-\n"
    )
    document = json.loads(runner.invoke(app, ["report", "--format", "json", path]).stdout)
    assert [(u["state"], u["requests"]) for u in document["users"]] == [("waiting", 3)]
    assert document["summary"]["cycles"] == 3


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--now", "2026-01-01"],
        ["check", "--now", "now"],
        ["report", "--restart-at", "2026-01-01"],
        ["events", "--since", "2026-01-01"],
    ],
)
def test_a_time_given_for_lines_with_no_time_is_a_usage_error(
    tmp_path: Path, args: list[str]
) -> None:
    path = write(tmp_path, BLOG_QUOTES)
    result = runner.invoke(app, [*args, path])
    assert result.exit_code == 2
    assert result.stderr == (
        f"logsync: error: {args[1]}: {path} has no times (its lines are judged in their order); "
        f"give it without {args[1]}\n"
    )


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (BLOG_QUOTES, "the input has no times"),
        (SPEC_EXCERPT_UNDER_ITS_DATE, "its first 2 records have no time (before 2014-09-15T10:24:12)"),
    ],
    ids=["no times", "records before its first time"],
)
def test_lines_with_no_time_are_not_merged_by_time_with_a_log(
    tmp_path: Path, text: str, why: str
) -> None:
    path = write(tmp_path, text)
    demo = str(SAMPLES / "CloudUserSync.log")
    result = runner.invoke(app, ["report", path, demo])
    assert result.exit_code == 2
    assert result.stderr == (
        f"logsync: error: {path}: {why}, so it cannot be merged by time with {demo}; give it "
        "alone\n"
    )


def test_a_text_without_any_line_logsync_knows_is_still_no_log(tmp_path: Path) -> None:
    path = write(tmp_path, "Hi team,\nthe users below do not sync.\nThanks\n")
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 2
    assert "no CloudUserSync records found" in result.stderr


def before_first_time_note(path: str, records: int, first: str) -> str:
    counted = "record comes" if records == 1 else f"{records} records come"
    return (
        f"logsync: {path}: its first {counted} before its first time ({first}), by how much it "
        "does not say: a user they leave failing is held back since before that time\n"
    )


def test_an_excerpt_copied_from_under_its_first_date_line_keeps_the_failure(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, SPEC_EXCERPT_UNDER_ITS_DATE)
    result = runner.invoke(app, ["report", "--all", "--format", "json", path])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert (document["inputs"][0]["records"], document["inputs"][0]["unparsed"]) == (5, 0)
    [scott] = document["users"]
    assert {k: scott[k] for k in ("state", "reason", "failures", "failure_before_input")} == {
        "state": "recovered",
        "reason": "UserNotFound",
        "failures": 1,
        "failure_before_input": True,
    }
    assert (scott["first_failure"], scott["full_sync_due"], scott["recovered_at"]) == (
        None,
        None,
        "2014-09-15T10:24:12",
    )
    assert before_first_time_note(path, 2, "2014-09-15T10:24:12") in result.stderr
    assert "no record and not judged" not in result.stderr


def test_a_time_bound_on_an_excerpt_with_records_before_its_first_time(tmp_path: Path) -> None:
    path = write(tmp_path, SPEC_EXCERPT_UNDER_ITS_DATE)
    early = runner.invoke(app, ["report", "--now", "2014-09-15T10:00", path])
    assert (early.exit_code, early.stderr) == (
        2,
        "logsync: error: --now: 2014-09-15T10:00:00 is before the first record of the input; it "
        "spans 2014-09-15T10:24:12 to 2014-09-15T10:24:12\n",
    )
    later = runner.invoke(app, ["report", "--all", "--format", "json", "--now", "2014-09-15T11:00", path])
    assert later.exit_code == 0
    [scott] = json.loads(later.stdout)["users"]
    assert (scott["state"], scott["recovered_at"]) == ("recovered", "2014-09-15T10:24:12")

    def lines(*bounds: str) -> list[str]:
        found = runner.invoke(app, ["events", "--format", "csv", *bounds, path])
        assert found.exit_code == 0, found.stderr
        return [",".join(line.split(",")[:4]) for line in found.stdout.splitlines()[1:]]

    # before its first time by an unknown amount: inside `--until` alone, as a line before any
    # record is; never placed after a `--since`
    untimed = [f"user_add_failed,,{path},1", f"add_totals,,{path},2"]
    timed = [
        f"user_add_requested,2014-09-15T10:24:12,{path},3",
        f"add_totals,2014-09-15T10:24:12,{path},4",
        f"sync_summary,2014-09-15T10:24:12,{path},5",
    ]
    assert lines("--until", "2014-09-16") == untimed + timed
    assert lines("--since", "2014-09-15T10:00") == timed


def test_a_restart_before_an_excerpt_s_first_time_is_no_time_to_predict_from(
    tmp_path: Path,
) -> None:
    # bob failed, then SMS Executive restarted, then a full sync cycle: all with no time
    text = (
        "Failed to add user bob@contoso.com; reason UserNotFound\n"
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).\n"
        "Starting user delta sync, raise failure status messages = True\n"
        "NotifyAccountAddition - SCCM user to add = bob@contoso.com\n"
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0\n"
        "9/15/2014 10:00:00 AM  Starting user delta sync, raise failure status messages = True\n"
        "    NotifyAccountAddition - SCCM user to add = bob@contoso.com\n"
        "    Total received users to add from SCCM = 0, Total Successfully added users to Cloud "
        "= 0\n"
    )
    result = runner.invoke(app, ["report", "--format", "json", write(tmp_path, text)])
    [bob] = json.loads(result.stdout)["users"]
    assert (bob["state"], bob["recovery_by"], bob["expected_recovery_bound"]) == (
        "waiting",
        "timer",
        "latest",
    )
    assert (bob["expected_recovery"], bob["seconds_remaining"]) == ("2014-09-16T10:00:00", 86400.0)
    # a restart with no time, whose first cycle has a time: no delay measured across them
    lines = [
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).",
        *["Starting user delta sync, raise failure status messages = True",
          "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0"]
        * 3,
        "9/15/2014 10:00:00 AM  Starting user delta sync, raise failure status messages = True",
        "9/15/2014 10:05:00 AM  Starting user delta sync, raise failure status messages = True",
        "    NotifyAccountAddition - SCCM user to add = bob@contoso.com",
        "    Failed to add user bob@contoso.com; reason UserNotFound",
        "9/15/2014 10:10:00 AM  Starting user delta sync, raise failure status messages = True",
        "9/15/2014 10:12:00 AM  SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).",
    ]
    result = runner.invoke(app, ["report", "--format", "json", write(tmp_path, "\n".join(lines) + "\n")])
    [bob] = json.loads(result.stdout)["users"]
    assert (bob["expected_recovery"], bob["recovery_by"]) == ("2014-09-15T10:17:00", "restart")
    # a restart with no time whose full sync has not come: nothing to predict it from
    waiting = (
        "Failed to add user bob@contoso.com; reason UserNotFound\n"
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).\n"
        "9/15/2014 10:00:00 AM  CCloudUserSync::Process - User sync processing has started.\n"
        "                       Certmgr has not installed certificate yet, sleep for 1 minutes.\n"
    )
    result = runner.invoke(app, ["report", "--format", "json", write(tmp_path, waiting, "p.txt")])
    document = json.loads(result.stdout)
    [bob] = document["users"]
    assert (bob["state"], bob["recovery_by"], bob["pending_reason"]) == ("waiting", "timer", None)
    # (no cycle's start: the first cycle after the bound is one interval after it at the latest)
    assert (bob["expected_recovery"], bob["seconds_remaining"]) == ("2014-09-16T10:05:00", 86700.0)
    assert document["connector"]["state"] == "waiting_for_certificate"
    timeline = runner.invoke(app, ["timeline", "bob", write(tmp_path, text, "bob.txt")])
    assert timeline.stdout.splitlines()[4].split("\t")[1:3] == [
        "held_back",
        "notified; held back since before the log: its failure has no time",
    ]


def test_a_failure_before_an_excerpt_s_first_time_holds_back_by_that_time_plus_the_timer(
    tmp_path: Path,
) -> None:
    text = (
        "Failed to add user ann@contoso.com; reason UserNotFound\n"
        "9/14/2014 10:23:54 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
        "                       Failed to add user scott@contoso.com; reason UserNotFound\n"
    )
    path = write(tmp_path, text)
    result = runner.invoke(app, ["report", "--format", "json", path])
    document = json.loads(result.stdout)
    assert (document["inputs"][0]["records"], document["inputs"][0]["unparsed"]) == (3, 0)
    ann, scott = document["users"]
    assert (ann["upn"], ann["state"], ann["reason"], ann["failures"]) == (
        "ann@contoso.com",
        "waiting",
        "UserNotFound",
        1,
    )
    assert (ann["first_failure"], ann["full_sync_due"], ann["full_sync_due_by"]) == (
        None,
        None,
        "2014-09-15T10:23:54",
    )
    assert (ann["expected_recovery"], ann["expected_recovery_bound"]) == (
        "2014-09-15T10:28:54",
        "latest",
    )
    assert (ann["failure_before_input"], ann["first_seen"]) == (True, None)
    assert (scott["upn"], scott["full_sync_due"], scott["failure_before_input"]) == (
        "scott@contoso.com",
        "2014-09-15T10:23:54",
        False,
    )
    markdown = runner.invoke(app, ["report", "--format", "markdown", path]).stdout
    assert (
        "| `ann@contoso.com` | waiting | UserNotFound | before the log's first time | by "
        "`2014-09-15 10:23:54` | by `2014-09-15 10:28:54` (at the latest: the failure is before "
        "the log) (predicted) | "
        "in 1d |"
    ) in markdown.splitlines()


def test_check_never_passes_on_a_failure_before_an_excerpt_s_first_time(
    tmp_path: Path,
) -> None:
    text = (
        "Starting user delta sync, raise failure status messages = True\n"
        "NotifyAccountAddition - SCCM user to add = bob@contoso.com\n"
        "Failed to add user bob@contoso.com; reason UserNotFound\n"
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0\n"
        "9/15/2014 10:24:12 AM  Starting user delta sync, raise failure status messages = True\n"
        "                       Total received users to add from SCCM = 0, Total Successfully "
        "added users to Cloud = 0\n"
    )
    path = write(tmp_path, text)
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "bob@contoso.com\twaiting\tUserNotFound\texpected recovery by 2014-09-16T10:24:12; held "
        "back since before the log's first time: when it first failed, it does not say",
        "FAIL: 1 user (1 waiting), limit 0 as of 2014-09-15T10:24:12",
    ]
    summary = runner.invoke(app, ["summary", "--format", "json", path])
    document = json.loads(summary.stdout)
    assert document["span"] == {"start": "2014-09-15T10:24:12", "end": "2014-09-15T10:24:12"}
    assert [day["date"] for day in document["per_day"]] == ["2014-09-15"]  # (none of no time)
    assert (document["cycles"], document["interval_basis"]) == (2, "default")  # (no gap)
    assert [f["code"] for f in document["findings"]] == ["stuck_users"]
    assert [a["code"] for a in document["advice"]] == ["restart_sms_executive", "dirsync_schedule"]
    events = runner.invoke(app, ["events", "--format", "csv", path]).stdout.splitlines()
    assert [line.split(",")[:3] for line in events[1:5]] == [
        ["sync_started", "", path],
        ["user_add_requested", "", path],
        ["user_add_failed", "", path],
        ["add_totals", "", path],
    ]


@pytest.mark.parametrize(
    ("cycles", "state", "skipped"),
    [
        (288, "waiting", 0),  # the last cycle 5 min before the bound: 09-16 09:55
        (289, "waiting", 1),  # the bound's cycle (09-16 10:00) passes it over
        (291, "overdue", 3),  # two intervals after that cycle: the retry did not come
    ],
)
def test_a_failure_before_the_first_time_is_judged_as_a_hold_since_before_the_input(
    tmp_path: Path, cycles: int, state: str, skipped: int
) -> None:
    start = datetime(2014, 9, 15, 10, 0)
    lines = []
    for n in range(cycles):
        when = (start + n * (datetime(2014, 1, 1, 0, 5) - datetime(2014, 1, 1))).strftime(
            "%m/%d/%Y %I:%M:%S %p"
        )
        lines += [
            f"{when}  Starting user delta sync, raise failure status messages = True",
            "    NotifyAccountAddition - SCCM user to add = bob@contoso.com",
            "    Total received users to add from SCCM = 0, Total Successfully added users to "
            "Cloud = 0",
        ]
    failure = "Failed to add user bob@contoso.com; reason UserNotFound\n"
    held = write(tmp_path, "\n".join(lines) + "\n", "held.txt")
    failed = write(tmp_path, failure + "\n".join(lines) + "\n", "failed.txt")
    answers = {}
    for path in (held, failed):
        result = runner.invoke(app, ["report", "--format", "json", path])
        [bob] = json.loads(result.stdout)["users"]
        answers[path] = bob
        assert (bob["state"], bob["skipped"], bob["full_sync_due_by"]) == (
            state,
            skipped,
            "2014-09-16T10:00:00",
        )
        assert bob["failure_before_input"] is True
    same = ("expected_recovery", "expected_recovery_bound", "seconds_remaining", "first_failure")
    assert [answers[held][k] for k in same] == [answers[failed][k] for k in same]
    assert [(answers[p]["reason"], answers[p]["failures"]) for p in (held, failed)] == [
        (None, 0),
        ("UserNotFound", 1),
    ]


DEMO_LINES = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
EXCERPT_LINES = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
"""SPEC §1's excerpt, as the ticket holds it (six lines)."""
QUOTED_CYCLE = (
    "Starting user delta sync, raise failure status messages = True\n"
    "NotifyAccountAddition - SCCM user to add = zed@contoso.com\n"
    "Failed to add user zed@contoso.com; reason UserNotFound\n"
    "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0\n"
)
"""A cycle quoted in a ticket as message lines with no time."""


def test_quoted_lines_before_the_log_s_own_lines_are_read_before_its_first_time(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, QUOTED_CYCLE + "\n".join(DEMO_LINES[2:7]) + "\n")
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "zed@contoso.com\twaiting\tUserNotFound\texpected recovery by "
        "2026-11-25T07:00:04.211-08:00; held back since before the log's first time: when it "
        "first failed, it does not say",
        "FAIL: 1 user (1 waiting), limit 0 as of 2026-11-24T07:00:04.759-08:00",
    ]
    events = runner.invoke(app, ["events", "--format", "csv", path]).stdout.splitlines()
    assert [line.split(",")[:5] for line in events[4:6]] == [
        ["add_totals", "", path, "4", ""],
        ["sync_started", "2026-11-24T07:00:04.211-08:00", path, "5", "SMS_CLOUD_USERSYNC"],
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("\n".join(DEMO_LINES[2:7]) + "\n" + QUOTED_CYCLE, 6),  # after the log's lines
        ("\n".join(DEMO_LINES[2:7]) + "\n" + "\n".join(QUOTED_CYCLE.splitlines()[1:3]) + "\n", 6),
        (EXCERPT_LINES + "\nLater the log showed:\n" + QUOTED_CYCLE, 9),  # after a reply's words
    ],
    ids=["a cycle after the log's lines", "two lines after the log's lines", "after a reply"],
)
def test_a_message_with_no_time_after_lines_with_times_is_refused_not_guessed(
    tmp_path: Path, text: str, line: int
) -> None:
    path = write(tmp_path, text)
    assert refused(path) == (
        f"logsync: error: {path}: line {line} is a message of the connector with no time, after "
        "lines with times: when it was logged is unknown, so nothing can be judged with it; "
        "give it with its time (its line of the log), or the lines with no time apart\n"
    )


def test_a_line_of_the_log_after_an_excerpt_keeps_its_own_time(tmp_path: Path) -> None:
    start = "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0)."
    trailer = "$$<SMS_CLOUD_USERSYNC><02-26-2023 19:53:46.420+480><thread=3604 (0xE14)>"
    text = EXCERPT_LINES + f"\n{start}  {trailer}\n"
    path = write(tmp_path, text)
    events = runner.invoke(app, ["events", "--format", "ndjson", path]).stdout.splitlines()
    last = json.loads(events[-1])
    assert (last["kind"], last["time"], last["line"], last["component"], last["thread"]) == (
        "component_started",
        "2023-02-26T19:53:46.420-08:00",
        8,
        "SMS_CLOUD_USERSYNC",
        3604,
    )


def test_quoted_lines_above_rotated_halves_pasted_in_the_wrong_order(tmp_path: Path) -> None:
    rotated = SAMPLES / "rotated"
    halves = [
        (rotated / name).read_text(encoding="utf-8-sig")
        for name in ("CloudUserSync.log", "CloudUserSync.lo_")
    ]
    path = write(tmp_path, QUOTED_CYCLE + "".join(halves), "all.log")
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert before_first_time_note(path, 4, "2025-06-10T08:59:56+01:00") in result.stderr
    assert f"logsync: {path}: time goes back once (logs pasted together?); its 2 runs" in (
        result.stderr
    )
    assert result.stdout.splitlines()[1].startswith(
        "zed@contoso.com\toverdue\tUserNotFound\texpected recovery 2025-06-10T09:00:00+01:00 "
        "passed, no retry logged"
    )


def test_only_users_left_failing_with_user_not_found_before_the_first_time_are_held(
    tmp_path: Path,
) -> None:
    """Before the log's own lines (offset +02:00): amy failed and was added after a restart,
    dave failed for another reason (no timer): neither is held back since before the input."""
    text = (
        "Starting user delta sync, raise failure status messages = True\n"
        "NotifyAccountAddition - SCCM user to add = amy@contoso.com\n"
        "NotifyAccountAddition - SCCM user to add = dave@contoso.com\n"
        "Failed to add user amy@contoso.com; reason UserNotFound\n"
        "Failed to add user dave@contoso.com; reason LicenseLimitReached\n"
        "Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0\n"
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).\n"
        "Starting user delta sync, raise failure status messages = True\n"
        "NotifyAccountAddition - SCCM user to add = amy@contoso.com\n"
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1\n"
        "Starting user delta sync, raise failure status messages = True  "
        "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:00:04.211-120><thread=5616 (0x15F0)>\n"
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0  "
        "$$<SMS_CLOUD_USERSYNC><11-24-2026 07:00:04.622-120><thread=5616 (0x15F0)>\n"
    )
    path = write(tmp_path, text)
    users = json.loads(runner.invoke(app, ["report", "--all", "--format", "json", path]).stdout)
    found = [
        (u["upn"], u["state"], u["reason"], u["failure_before_input"], u["recovered_at"])
        for u in users["users"]
    ]
    assert found == [
        ("dave@contoso.com", "failed", "LicenseLimitReached", False, None),
        ("amy@contoso.com", "recovered", "UserNotFound", False, None),
    ]
    summary = json.loads(runner.invoke(app, ["summary", "--format", "json", path]).stdout)
    assert summary["span"] == {
        "start": "2026-11-24T07:00:04.211+02:00",
        "end": "2026-11-24T07:00:04.622+02:00",
    }


def test_a_line_of_the_log_cut_short_by_a_crash_leaves_it_a_log(tmp_path: Path) -> None:
    # line 47 lost its trailer (a crash as it was written): one line with no time among the
    # log's lines is that, not a ticket's quote; two in a row are a quote
    cut_short = DEMO_LINES[46].split("  $$<")[0]
    assert cut_short == "Failed to add user carol@contoso.com; reason UserNotFound"
    crashed = [*DEMO_LINES[:46], cut_short, *DEMO_LINES[47:]]
    path = write(tmp_path, "\n".join(crashed) + "\n", "crashed.log")
    assert detect(Path(path).read_text()) == "sms-trace"
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert f"logsync: {path}: 1 line is no record and not judged" in result.stderr
    quoted = [*DEMO_LINES[:46], cut_short, cut_short, *DEMO_LINES[47:]]
    assert detect("\n".join(quoted) + "\n") == "paste"


def test_a_log_copied_while_it_was_written_is_still_read_as_a_log(tmp_path: Path) -> None:
    # its last line is cut before the trailer: no message with no time of a ticket
    path = write(tmp_path, "\n".join(DEMO_LINES[:50]) + "\nStarting user delta sync, raise fai")
    assert detect(Path(path).read_text()) == "sms-trace"
    result = runner.invoke(app, ["report", "--format", "json", path])
    document = json.loads(result.stdout)
    assert (document["inputs"][0]["format"], document["inputs"][0]["unparsed"]) == ("sms-trace", 1)


# -- as pasted: e-mail quoting and hard wrapping ------------------------------------------------


def quoted(text: str, prefix: str) -> str:
    """Text as an e-mail reply quotes it: `prefix` before each line."""
    return "".join(prefix + line for line in text.splitlines(keepends=True))


def wrapped(text: str, width: int, *, hyphens: bool = False, long_words: bool = True) -> str:
    """Text as a mail client hard-wraps it: each line broken at spaces to `width` columns (the
    space at the break dropped; a word longer than a line cut, unless `long_words` is false),
    or also after hyphens."""
    out = []
    for line in text.splitlines():
        pieces = textwrap.wrap(line, width, break_on_hyphens=hyphens, break_long_words=long_words)
        out.extend(pieces or [""])
    return "\n".join(out) + "\n"


def tabbed(text: str, width: int) -> str:
    """Text indented by a tab, then wrapped at spaces to `width` columns by a wrapper that counts
    the tab as the 8 columns it shows and keeps it (`fold -s`, `fmt`)."""
    out = []
    for line in text.splitlines():
        pieces = textwrap.wrap(" " * 8 + line, width) or [""]
        out.extend(["\t" + pieces[0].removeprefix(" " * 8), *pieces[1:]])
    return "\n".join(out) + "\n"


def flowed(text: str, width: int) -> str:
    """Text as a mail client wraps it in format=flowed: broken at spaces, the space kept at the
    end of each piece that the next continues."""
    out = []
    for line in text.splitlines():
        pieces = textwrap.wrap(line, width - 1) or [""]
        out.extend([piece + " " for piece in pieces[:-1]] + pieces[-1:])
    return "\n".join(out) + "\n"


def cut(text: str, width: int) -> str:
    """Text as `fold -w` (and some ticket systems) wrap it: each line cut every `width`
    characters, inside a word as anywhere else."""
    out = []
    for line in text.splitlines():
        out.extend([line[start : start + width] for start in range(0, len(line), width)] or [""])
    return "\n".join(out) + "\n"


def padded(text: str, width: int | None = None) -> str:
    """Text as copied from a console window `width` columns wide: each line cut every `width`
    characters and its last piece filled with spaces to the width; without a width, three
    spaces after each line (as some copies leave)."""
    if width is None:
        return "".join(line + "   \n" for line in text.splitlines())
    return "".join(piece.ljust(width) + "\n" for piece in cut(text, width).splitlines())


def refused(path: str) -> str:
    """`check` of `path` refused it (exit 2, nothing on stdout): what it said on stderr."""
    result = runner.invoke(app, ["check", path])
    assert (result.exit_code, result.stdout) == (2, "")
    return result.stderr


def answers(path: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`report --all --format json`: its users and summary counts."""
    result = runner.invoke(app, ["report", "--all", "--format", "json", path])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    return document["users"], document["summary"]


DEMO_TEXT = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
EXCERPT_TEXT = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
"""SPEC §1's excerpt, as the ticket holds it."""
PASTINGS: dict[str, Callable[[str], str]] = {
    "quoted >": lambda text: quoted(text, "> "),
    "quoted > with its byte order mark": lambda text: quoted("\ufeff" + text, "> "),
    "quoted >>": lambda text: quoted(text, ">> "),
    "quoted > >": lambda text: quoted(text, "> > "),
    "quoted |": lambda text: quoted(text, "| "),
    "quoted >, indented two spaces": lambda text: quoted(text, "  > "),
    "quoted :": lambda text: quoted(text, ": "),
    "quoted #": lambda text: quoted(text, "# "),
    "quoted : :, then wrapped 76": lambda text: wrapped(quoted(text, ": : "), 76),
    "quoted #, then cut at 80": lambda text: cut(quoted(text, "# "), 80),
    "quoted >> indented, then wrapped 76": lambda text: wrapped(quoted(text, "  >> "), 76),
    "indented by a tab, then wrapped 76": lambda text: tabbed(text, 76),
    "indented by a tab, then wrapped 100": lambda text: tabbed(text, 100),
    "wrapped 72": lambda text: wrapped(text, 72),
    "wrapped 76": lambda text: wrapped(text, 76),
    "wrapped 100": lambda text: wrapped(text, 100),
    "wrapped 70 at hyphens too": lambda text: wrapped(text, 70, hyphens=True),
    "wrapped 76, then quoted >": lambda text: quoted(wrapped(text, 76), "> "),
    "quoted >>, then wrapped 72": lambda text: wrapped(quoted(text, ">> "), 72),
    "quoted |, then wrapped 100": lambda text: wrapped(quoted(text, "| "), 100),
    "cut at 70": lambda text: cut(text, 70),
    "cut at 76": lambda text: cut(text, 76),
    "cut at 80": lambda text: cut(text, 80),
    "cut at 76, then quoted >": lambda text: quoted(cut(text, 76), "> "),
    "cut at 80, then quoted >": lambda text: quoted(cut(text, 80), "> "),
    "quoted >, then cut at 72": lambda text: cut(quoted(text, "> "), 72),
    "quoted >>, then cut at 76": lambda text: cut(quoted(text, ">> "), 76),
    "quoted |, then cut at 80": lambda text: cut(quoted(text, "| "), 80),
    "wrapped 76, the space kept at each break": lambda text: flowed(text, 76),
    "spaces after each line": padded,
    "numbered by cat -n": lambda text: "".join(
        f"{number:6}\t{line}" for number, line in enumerate(text.splitlines(keepends=True), 1)
    ),
    "wrapped 78, two spaces after every line": lambda text: "".join(
        line + "  \n" for line in wrapped(text, 78).splitlines()
    ),
    "copied from a console 120 wide": lambda text: padded(text, 120),
    "copied from a console 200 wide, then quoted >": lambda text: quoted(padded(text, 200), "> "),
}


NOT_UNDONE_IN_SMS_TRACE = ("cut at 70", "cut at 80", "cut at 80, then quoted >")
"""SMS trace cut inside its messages is not told apart from SMS trace wrapped at spaces (see
`cuts.cut_at`): where a cut falls inside a word of a message (70 and 80 columns, not 76,
on the demo log), its pieces are joined with a space."""


@pytest.mark.parametrize("how", list(PASTINGS))
def test_the_demo_log_as_pasted_gives_the_answers_of_the_log(tmp_path: Path, how: str) -> None:
    clean = answers(str(SAMPLES / "CloudUserSync.log"))
    assert clean[1]["stuck"] == 4 and len(clean[0]) == 10
    assert answers(write(tmp_path, PASTINGS[how](DEMO_TEXT))) == clean


@pytest.mark.parametrize("how", ["fmt-s-w76", "fmt-s-w95", "fmt-w76"])
def test_the_demo_log_wrapped_by_fmt_gives_the_answers_of_the_log(how: str) -> None:
    """GNU fmt balances its lines: it breaks `... added users to Cloud =` before `0  $$<...`
    although the 0 would fit, and that piece is an SMS-trace record of its own (message `0`)."""
    wrapped_by_fmt = ROOT / "tests" / "data" / "pasted" / f"CloudUserSync.{how}.log.gz"
    clean = answers(str(SAMPLES / "CloudUserSync.log"))
    assert answers(str(wrapped_by_fmt)) == clean
    lines = runner.invoke(app, ["events", "--kind", "unparsed", str(wrapped_by_fmt)]).stdout
    assert lines == ""


CMTRACE_TEXT = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16")


@pytest.mark.parametrize(
    "how",
    ["wrapped 72", "wrapped 76", "wrapped 100", "cut at 70", "cut at 76", "cut at 80",
     "wrapped 76, then quoted >", "cut at 76, then quoted >", "flowed 76"],
)
def test_a_cmtrace_log_as_pasted_gives_the_answers_of_the_log(tmp_path: Path, how: str) -> None:
    """Its records' attributes (130 columns and more) always span lines once wrapped."""
    paste_it = PASTINGS.get(how) or (lambda text: flowed(text, 76))
    clean = answers(write(tmp_path, CMTRACE_TEXT, "clean.log"))
    assert [(u["upn"], u["state"], u["recovered_at"]) for u in clean[0]] == [
        ("scott@contoso.com", "recovered", "2014-09-15T10:24:12-04:00")
    ]
    pasted = write(tmp_path, paste_it(CMTRACE_TEXT.replace("\r\n", "\n")))
    assert answers(pasted) == clean
    lines = runner.invoke(app, ["events", "--format", "csv", pasted]).stdout.splitlines()
    assert len(lines) == 1 + 10  # (every record)
    assert runner.invoke(app, ["events", "--kind", "unparsed", pasted]).stdout == ""


@pytest.mark.parametrize(
    ("how", "width"),
    [*(("cut", width) for width in (32, 40, 48, 56, 64, 72, 96, 120)),
     *(("wrapped", width) for width in (48, 56, 64, 72, 96, 120)),
     *(("flowed", width) for width in (64, 72, 96, 120))],
)
@pytest.mark.parametrize("records", [4, 10])
def test_a_cmtrace_log_wrapped_or_cut_narrow_gives_the_answers_of_the_log(
    tmp_path: Path, width: int, how: str, records: int
) -> None:
    """Cut every 56 columns (`fold -w 56`), `... reason User|NotFound` was joined with a space:
    scott `failed` with the reason "User", where he recovered; at 32, `scott@|contoso.com` made
    a user `scott@ contoso.com`. Of the two ways to join a record's pieces, the one whose
    message the catalogue reads to its end is taken. (Narrower, a wrapper that also cuts a
    word longer than the line, `time="10:23:54.000+2|40"`, breaks a record both ways: its
    pieces are joined one way only, and its time or message is lost.)"""
    text = "".join(CMTRACE_TEXT.replace("\r\n", "\n").splitlines(keepends=True)[:records])
    paste_it = {"cut": cut, "wrapped": wrapped, "flowed": flowed}[how]
    clean = answers(write(tmp_path, text, "clean.log"))
    pasted = write(tmp_path, paste_it(text, width))
    assert answers(pasted) == clean
    assert runner.invoke(app, ["events", "--kind", "unparsed", pasted]).stdout == ""


@pytest.mark.parametrize("width", [48, 56, 64, 72, 80, 92, 108, 120])
def test_cmtrace_records_a_reflow_ran_together_are_refused(tmp_path: Path, width: int) -> None:
    """`fmt -w 72` of the first four records of the CMTrace sample: one `sync_started` with the
    last record's time, its message holding the other three, and `check` passed ("ok: no
    waiting, overdue or failed user") where scott waits."""
    from .test_pasted_reflowed import reflowed

    text = "".join(CMTRACE_TEXT.replace("\r\n", "\n").splitlines(keepends=True)[:4])
    assert runner.invoke(app, ["check", write(tmp_path, text, "clean.log")]).exit_code == 1
    pasted = write(tmp_path, reflowed(text, width))
    for command in (["check"], ["report"], ["events"]):
        result = runner.invoke(app, [*command, pasted])
        assert (result.exit_code, result.stdout) == (2, "")
        assert re.fullmatch(
            rf"logsync: error: {re.escape(pasted)}: CMTrace records run together on line \d+ by "
            r"a reflow \(`fmt`, a mail client that joins lines: `\.\.\.\"> <!\[LOG\[Failed to "
            r"add user \.\.\.`\), each with its message: paste the log's lines as they are, or "
            r"attach the log\n",
            result.stderr,
        )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("14-Sep-2014 10:23:54", "15-Sep-2014 10:24:12"),
        ("2014/09/14 10:23:54", "2014/09/15 10:24:12"),
        ("Sun 9/14/2014 10:23:54 AM", "Mon 9/15/2014 10:24:12 AM"),
        ("Sep 14, 2014 10:23:54 AM", "September 15, 2014 10:24:12 AM"),
        ("Sunday, 14/9/2014 10:23:54", "Monday, 15/9/2014 10:24:12"),  # (a British copy)
    ],
)
def test_the_spec_excerpt_with_dates_as_locales_write_them_gives_its_answers(
    tmp_path: Path, first: str, second: str
) -> None:
    text = EXCERPT_TEXT.replace("9/14/2014 10:23:54 AM", first)
    text = text.replace("9/15/2014 10:24:12 AM", second)
    assert text.count(first) == text.count(second) == 1
    assert answers(write(tmp_path, text)) == answers(write(tmp_path, EXCERPT_TEXT, "clean.txt"))


def test_a_line_of_a_reply_is_not_joined_to_a_wrapped_record_it_makes_no_known_message(
    tmp_path: Path,
) -> None:
    """In text wrapped by fmt, a line and the next are joined where they make a known message
    only together: a reply's words before a piece that is a record by itself (`0  $$<...`)
    make none, and stay apart."""
    fixture = ROOT / "tests" / "data" / "pasted" / "CloudUserSync.fmt-s-w95.log.gz"
    with gzip.open(fixture, "rt", encoding="utf-8-sig") as wrapped_by_fmt:
        lines = wrapped_by_fmt.read().splitlines()
    assert lines[10] == (
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud ="
    )
    assert lines[11].startswith("0  $$<SMS_CLOUD_USERSYNC><11-24-2026 07:00:04.622+480>")
    path = write(tmp_path, "\n".join([*lines[:10], "Here it is:", *lines[11:60]]) + "\n")

    def found(kind: str) -> list[list[str]]:
        events = runner.invoke(app, ["events", "--kind", kind, "--format", "csv", path])
        return [line.split(",")[2:8] for line in events.stdout.splitlines()[1:]]

    assert found("unparsed") == [[path, "11", "", "", "warning", "Here it is:"]]
    assert found("message") == [[path, "12", "SMS_CLOUD_USERSYNC", "5616", "info", "0"]]


@pytest.mark.parametrize("how", list(PASTINGS))
def test_the_spec_excerpt_as_pasted_gives_the_answers_of_the_excerpt(
    tmp_path: Path, how: str
) -> None:
    clean = answers(write(tmp_path, EXCERPT_TEXT, "clean.txt"))
    assert [(u["upn"], u["state"], u["recovered_at"]) for u in clean[0]] == [
        ("scott@contoso.com", "recovered", "2014-09-15T10:24:12")
    ]
    assert answers(write(tmp_path, PASTINGS[how](EXCERPT_TEXT))) == clean


@pytest.mark.parametrize(
    "how", ["quoted >", "wrapped 72", "quoted >>, then wrapped 72", "cut at 70", "cut at 76"]
)
def test_the_blog_posts_quotes_as_pasted_give_their_answers(tmp_path: Path, how: str) -> None:
    clean = answers(write(tmp_path, BLOG_QUOTES, "clean.txt"))
    assert answers(write(tmp_path, PASTINGS[how](BLOG_QUOTES))) == clean


def test_a_wrapped_record_keeps_the_number_of_its_first_line(tmp_path: Path) -> None:
    text = wrapped(quoted(DEMO_TEXT, "> "), 76)
    path = write(tmp_path, text)
    result = runner.invoke(app, ["events", "--kind", "user_add_failed", "--format", "ndjson", path])
    lines = [json.loads(line)["line"] for line in result.stdout.splitlines()]
    physical = text.splitlines()
    assert [physical[n - 1] for n in lines[:2]] == [
        "> Failed to add user carol@contoso.com; reason UserNotFound",
        "> Failed to add user ivan@contoso.com; reason UserNotFound",
    ]
    assert len(lines) == 7
    document = json.loads(runner.invoke(app, ["report", "--format", "json", path]).stdout)
    (stats,) = document["inputs"]
    assert (stats["lines"], stats["records"], stats["unparsed"]) == (len(physical), 3041, 0)
    # the other pieces' lines belong to their records: the demo log has no blank line
    assert stats["blank"] == 0


def test_timeline_of_bob_on_a_quoted_excerpt(tmp_path: Path) -> None:
    excerpt = "".join(DEMO_TEXT.splitlines(keepends=True)[2420:2480])
    clean = runner.invoke(app, ["timeline", "bob", "--format", "text", write(tmp_path, excerpt)])
    path = write(tmp_path, quoted(excerpt, "> "), "reply.txt")
    result = runner.invoke(app, ["timeline", "bob", "--format", "text", path])
    assert result.exit_code == 0
    assert result.stdout == clean.stdout.replace("ticket.txt", "reply.txt")
    assert [line.split("\t")[1] for line in result.stdout.splitlines()] == [
        "requested",
        "failed",
        "held_back",
        "full_sync_due",
        "expected_recovery",
        "state",
    ]
    assert result.stdout.splitlines()[1].endswith(f"{path}:21")  # line 2441 of the log
    assert "showing bob@contoso.com, the one user it matches" in result.stderr


def test_the_words_of_a_reply_around_a_wrapped_log_stay_out_of_its_records(
    tmp_path: Path,
) -> None:
    lines = DEMO_TEXT.splitlines(keepends=True)
    reply = (
        "Hello, this is what the connector logged on the site server this morning while the\n"
        "users were missing from Intune; the excerpt below is from CloudUserSync.log itself:\n"
        "\n" + wrapped(quoted("".join(lines[2436:2446]), "> "), 72)
    )
    path = write(tmp_path, reply)
    result = runner.invoke(app, ["events", "--format", "ndjson", path])
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["kind"], e["line"]) for e in events] == [
        ("unparsed", 1),
        ("unparsed", 2),
        ("remove_totals", 4),
        ("users_removed", 7),
        ("user_add_requested", 10),
        ("user_add_requested", 13),
        ("user_add_failed", 16),
        ("user_add_requested", 19),
        ("add_totals", 22),
        ("sync_summary", 25),
        ("sync_started", 28),
        ("remove_totals", 31),
    ]
    assert events[0]["raw"].startswith("Hello, this is what the connector logged")


def test_a_log_read_from_disk_is_not_taken_for_a_pasted_one() -> None:
    sample = DEMO_TEXT[:65536]
    assert aspasted.pasting(sample[: sample.rfind("\n") + 1]) is None
    cmtrace = (SAMPLES / "cmtrace" / "CloudUserSync.log").read_text(encoding="utf-16")
    assert aspasted.pasting(cmtrace) is None


def unlocated(user: UserState) -> UserState:
    """A user's state but the line of its last failure (a line of the pasted text)."""
    return user._replace(failure_line=None)


@lru_cache(maxsize=2)
def history(seed: int) -> History:
    return simulate(48, seed=seed)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.sampled_from([1, 2]),
    start=st.integers(0, 4000),
    length=st.integers(40, 1500),
    prefix=st.sampled_from(["", "> ", ">> ", "> > ", "| "]),
    width=st.one_of(st.none(), st.integers(70, 100)),
    quote_first=st.booleans(),
    hyphens=st.booleans(),
    cut_words=st.booleans(),
)
def test_windows_of_simulated_histories_as_pasted_give_the_answers_of_the_window(
    tmp_path: Path,
    seed: int,
    start: int,
    length: int,
    prefix: str,
    width: int | None,
    quote_first: bool,
    hyphens: bool,
    cut_words: bool,
) -> None:
    """A window of a simulated connector's log, quoted and wrapped every way a mail client
    does (or cut every `width` characters, then quoted), is read as the window itself: the
    same users in the same states, with the same times, and the same counts."""
    text = history(seed).text(start, start + length)

    def quote(text: str) -> str:
        return quoted(text, prefix) if prefix else text

    def wrap(text: str) -> str:
        if not width:
            return text
        return cut(text, width) if cut_words else wrapped(text, width, hyphens=hyphens)

    if cut_words:  # (quoted, then cut inside words: not told apart; see cuts.cut_at)
        quote_first = False

    pasted = wrap(quote(text)) if quote_first else quote(wrap(text))
    got, clean = read_as_the_window(tmp_path, text, pasted)
    assert got.result.cycles == clean.result.cycles
    assert [r.time for r in got.result.restarts] == [r.time for r in clean.result.restarts]
    assert got.connector[:5] == clean.connector[:5]  # (its evidence: a line of the pasted text)



@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("> text", "text"),
        ("> > text", "text"),  # deeper quoting, its markers spaced
        (">> text", "text"),
        (">", ""),  # a quoted empty line, its space dropped
        ("> >", ">"),  # the last piece of a record cut just before its `>`, then quoted
        ("> ><11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>", "><11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>"),
        ("users to Cloud = 0", "users to Cloud = 0"),  # a piece wrapped after quoting
        ("> \ufeffSMS_EXECUTIVE started", "SMS_EXECUTIVE started"),  # a file quoted whole
        ("> > \ufeffSMS_EXECUTIVE started", "SMS_EXECUTIVE started"),  # and that reply quoted
    ],
)
def test_the_quoting_most_lines_carry_is_taken_off_exactly(line: str, expected: str) -> None:
    assert quoting._unquoted(line, "> ") == expected


# -- user names that are no UPN ----------------------------------------------------------------


def test_a_redacted_upn_is_tracked_and_marked_but_no_advice_is_built_on_it(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, DEMO_TEXT.replace("bob@contoso.com", "bob@<redacted>"), "sent.log")
    document = json.loads(runner.invoke(app, ["report", "--format", "json", path]).stdout)
    bob = next(u for u in document["users"] if u["upn"] == "bob@<redacted>")
    assert (bob["state"], bob["upn_redacted"]) == ("waiting", True)
    assert [u["upn"] for u in document["users"] if u.get("upn_redacted")] == ["bob@<redacted>"]
    summary = json.loads(runner.invoke(app, ["summary", "--format", "json", path]).stdout)
    assert [f["code"] for f in summary["findings"]] == [
        "stuck_users",
        "overdue_users",
        "fails_at_every_full_sync",
    ]  # no unroutable_upn_suffix on the placeholder's "<redacted>"
    advice = {a["code"]: a["text"] for a in summary["advice"]}
    assert list(advice) == [
        "restart_sms_executive",
        "check_azure_ad",
        "dirsync_schedule",
        "fix_other_failures",
    ]
    assert advice["dirsync_schedule"].startswith(
        "4 users failed with UserNotFound on their first try"
    )  # bob is no UPN: the advice about DirSync counts the others
    cloud = str(SAMPLES / "azure-ad-users.csv")
    result = runner.invoke(app, ["report", "--format", "json", "--cloud-users", cloud, path])
    users = {u["upn"]: u for u in json.loads(result.stdout)["users"]}
    assert "in_azure_ad" not in users["bob@<redacted>"]  # looked up nowhere
    assert users["heidi@contoso.com"]["in_azure_ad"] is False
    check = runner.invoke(app, ["check", path])
    assert check.stdout.splitlines()[0].startswith("bob@<redacted> (not a UPN)\twaiting\t")


@pytest.mark.parametrize(
    ("name", "is_redacted"),
    [
        ("<UPN of User Account>", True),
        ("***", True),
        ("[redacted]", True),
        ("John Smith", True),
        ("jsmith", True),
        ("***@contoso.com", True),
        ("bob@contoso.com", False),
        ("Mallory.Admin@Contoso.com", False),
        ("mary-jane@contoso.local", False),
    ],
)
def test_which_user_names_are_no_upn(name: str, is_redacted: bool) -> None:
    assert paste.redacted(name) is is_redacted


def test_the_demo_log_with_no_times_is_judged_by_its_order(tmp_path: Path) -> None:
    """The demo log with every trailer cut off (message lines only, as SPEC §2 quotes them).
    Carol's timer ran out at 07:45, whose cycle received one of the three users it notified;
    the next cycle notifies heidi and ivan again, so carol was the one added. With no times,
    whether a timer still runs is unknown, so she is not held back for ever (she stayed
    `waiting`). No interval can be measured (it was "0.0 observed": cycles "every 0s")."""
    lines = DEMO_TEXT.splitlines()
    path = tmp_path / "notimes.log"
    path.write_text("".join(line.split("  $$<")[0] + "\n" for line in lines), encoding="utf-8")
    document = json.loads(runner.invoke(app, ["report", "--all", "--format", "json", str(path)]).stdout)
    assert sorted((u["upn"], u["state"], u["skipped"]) for u in document["users"]) == [
        ("Mallory.Admin@Contoso.com", "synced", 0),
        ("alice@contoso.com", "synced", 0),
        ("bob@contoso.com", "waiting", 0),
        ("carol@contoso.com", "recovered", 0),
        ("dave@contoso.com", "failed", 0),
        ("erin@contoso.com", "waiting", 0),
        ("frank@contoso.com", "pending", 0),
        ("grace@contoso.com", "synced", 0),
        ("heidi@contoso.com", "waiting", 0),
        ("ivan@contoso.com", "waiting", 0),
    ]
    assert {k: document["summary"][k] for k in ("interval_s", "interval_basis", "cycles")} == {
        "interval_s": None, "interval_basis": "unknown", "cycles": 398,
    }
    summary = runner.invoke(app, ["summary", str(path)]).stdout
    assert "cycles\t398\t-\tunknown\n" in summary
    assert "unreconciled_counts" not in summary  # (the 07:45 cycle is decided by the next)
    assert "at most one cycle" not in summary
    markdown = runner.invoke(app, ["summary", "--format", "markdown", str(path)]).stdout
    assert "Cycles: 398.\n" in markdown
    timeline = runner.invoke(app, ["timeline", "carol", "--format", "text", str(path)]).stdout
    assert timeline.splitlines()[-3:] == [
        f"-\tundecided\tthe cycle's counts cannot say whether it was received or held back\t{path}:2331",
        f"-\tadded\tadded to the cloud: recovered in a cycle before this one, which does not name it (a user held back is named in every cycle)\t{path}:2338",
        "-\tstate\trecovered · 1 failure (UserNotFound)\t-",
    ]


def test_one_cycle_quoted_then_cut_at_72_is_no_all_clear(tmp_path: Path) -> None:
    """`sed -n 2430,2435p | sed 's/^/> /' | fold -w 72` of the demo log: heidi notified in a
    cycle that received nobody. Only each line's first piece carries the quoting; its other
    pieces join it without a space (`us|ers`), and a piece that is only `>` ends a trailer."""
    lines = DEMO_TEXT.splitlines(keepends=True)[2429:2435]
    text = cut(quoted("".join(lines), "> "), 72).replace("\n", "\r\n")
    path = write(tmp_path, text)
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        "FAIL: 1 user (1 waiting), limit 0 as of 2026-11-25T09:05:05.351-08:00"
    )
    users, summary = answers(path)
    assert [(u["upn"], u["state"], u["full_sync_due_by"]) for u in users] == [
        ("heidi@contoso.com", "waiting", "2026-11-26T09:05:04.592-08:00")
    ]
    assert summary["pending"] == 0


SEARCHED: dict[str, Callable[[int, str], str]] = {
    "grep -n, findstr /n": lambda number, line: f"{number}:{line}",
    "grep of several files": lambda number, line: f"CloudUserSync.log:{line}",
    "Select-String": lambda number, line: f"C:\\Program Files\\Logs\\CloudUserSync.lo_:{number}:{line}",
    # a search's output quoted in a reply (the quoting was taken off, the numbers kept: no user)
    "grep -n, quoted >": lambda number, line: f"> {number}:{line}",
    "grep -Hn, quoted >>": lambda number, line: f">> CloudUserSync.log:{number}:{line}",
    "grep -H, quoted |": lambda number, line: f"| CloudUserSync.log:{line}",
    # `Select-String -Context`: `> ` before the lines it found (here every line), two spaces
    # before the lines around them
    "Select-String -Context": lambda number, line: f"> D:\\Logs\\CloudUserSync.log:{number}:{line}",
}


@pytest.mark.parametrize("how", list(SEARCHED))
def test_lines_a_search_found_are_read_without_its_names_and_numbers(
    tmp_path: Path, how: str
) -> None:
    """`grep -n heidi CloudUserSync.log`: each line starts with its number (or file name), so
    that it read as a record of no known kind, and heidi was never seen (`check` passed,
    blaming the connector). The whole log searched so gives the answers of the log."""
    lines = DEMO_TEXT.splitlines(keepends=True)
    found = [SEARCHED[how](n, line) for n, line in enumerate(lines, 1) if "heidi" in line]
    path = write(tmp_path, "".join(found), "heidi.txt")
    result = runner.invoke(app, ["check", "--fail-on", "stuck", path])
    assert (result.exit_code, result.stdout.splitlines()) == (1, [
        "heidi@contoso.com\twaiting\tUserNotFound\t"
        "expected recovery by 2026-11-26T10:15:08.506-08:00",
        "FAIL: 1 user (1 waiting), limit 0 as of 2026-11-25T16:00:05.159-08:00",
    ])
    whole = write(tmp_path, "".join(SEARCHED[how](n, line) for n, line in enumerate(lines, 1)))
    assert answers(whole) == answers(str(SAMPLES / "CloudUserSync.log"))


@pytest.mark.parametrize("crlf", [False, True], ids=["LF", "CRLF"])
def test_select_string_with_context_gives_the_answers_of_its_lines(
    tmp_path: Path, crlf: bool
) -> None:
    """`Select-String -Path …\\CloudUserSync.log -Pattern bob -Context 1` (PowerShell's search):
    `> ` and the path before the lines it found, two spaces and the path before the lines
    around them, no mark where it leaves lines out. Every line read as a record of no known
    kind: no user, and `check` passed although bob's failure is there. Mallory, named in the
    cycle whose totals it leaves out, was `waiting`, "held back since before the log" (the next
    totals it shows received nobody), though the whole log has her `synced`: a user named
    again a cycle later (heidi, bob) shows where the next cycle began."""
    lines = DEMO_TEXT.splitlines()
    found = {n for n, line in enumerate(lines) if "bob@" in line}
    shown = sorted({n + d for n in found for d in (-1, 0, 1)})
    path = tmp_path / "select-string.txt"
    path.write_bytes("".join(
        f"{'> ' if n in found else '  '}C:\\Program Files\\Microsoft Configuration Manager\\"
        f"Logs\\CloudUserSync.log:{n + 1}:{lines[n]}" + ("\r\n" if crlf else "\n")
        for n in shown
    ).encode())
    users, _ = answers(str(path))
    assert [(u["upn"], u["state"], u["pending_reason"]) for u in users] == [
        ("bob@contoso.com", "waiting", None),
        ("heidi@contoso.com", "pending", "undetermined"),
        ("Mallory.Admin@Contoso.com", "pending", "undetermined"),
    ]
    gate = runner.invoke(app, ["check", "--fail-on", "stuck", str(path)])
    assert (gate.exit_code, gate.stdout.splitlines()[-1]) == (
        1,
        "FAIL: 3 users (1 waiting, 2 pending that may be stuck), limit 0 as of "
        "2026-11-25T16:00:05.159-08:00",
    )
    whole = tmp_path / "whole.txt"
    whole.write_text("".join(
        f"{'> ' if n in found else '  '}CloudUserSync.log:{n + 1}:{line}\n"
        for n, line in enumerate(lines)
    ))
    assert answers(str(whole)) == answers(str(SAMPLES / "CloudUserSync.log"))


def test_a_pasted_excerpt_s_own_times_are_no_line_numbers(tmp_path: Path) -> None:
    """`10:23:54 AM  NotifyAccountAddition …` starts like `grep -n`'s `10:`: after it comes no
    SMS-trace record, so nothing is taken off."""
    assert aspasted.pasting("10:23:54 AM  NotifyAccountAddition - SCCM user to add = a@b.c\n") is None


def test_spaces_after_a_record_are_a_console_s_but_spaces_at_a_break_are_the_text_s() -> None:
    """A console fills each line it copies to its width: spaces after a record's trailer (or
    after the last piece of a record it cut) are taken off. A mail client that wraps at
    spaces keeps the space at the end of a piece (format=flowed): no record ends so, and the
    spaces stay, to be joined on."""
    from logsync.formats.aspasted import pasting

    console = pasting(padded(DEMO_TEXT[:20000], 120))
    assert console is not None and (console.padded, console.width) == (True, 120)
    piece = "><thread=3604 (0xE14)>" + " " * 98
    assert list(console.undo(iter([piece, "text " + " " * 3]))) == [piece.rstrip(), "text    "]
    mail = pasting(flowed(DEMO_TEXT[:20000], 76))
    assert mail is not None and (mail.padded, mail.width) == (False, 74)


@pytest.mark.parametrize("pure", [False, True], ids=["native", "pure"])
@pytest.mark.parametrize(
    ("how", "text"),
    [
        ("cut 76, a space after", lambda text: _after_each(_cr_kept(text, cut, 76), " ")),
        ("cut 48, a tab after", lambda text: _after_each(_cr_kept(text, cut, 48), "\t")),
        ("wrapped 100, a space after", lambda text: _after_each(_cr_kept(text, wrapped, 100), " ")),
        ("cut 64, quoted, a space after", lambda text: _after_each(
            "".join(f"> {line}\n" for line in _cr_kept(text, cut, 64).split("\n")[:-1]), " "
        )),
    ],
)
def test_a_crlf_log_wrapped_then_spaced_after_each_line_gives_the_answers_of_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, text: Callable[[str], str],
    pure: bool,
) -> None:
    """The demo log's lines end in CRLF; a wrapper that keeps the CR at the end of a record's
    last piece, then a space after every line (`fold -w 76 | sed 's/$/ /'`), leaves `\\r \\n`:
    the lone CR breaks the line, and the space is a line alone after it. The lines not ending
    in spaces made the text read as not spaced: the spaces were joined into the records' first
    pieces, and most records were no record. 28 of 40 such forms gave exit 0 with wrong states
    (ivan `pending` where he is overdue, carol `pending` where she recovered)."""
    if pure:
        monkeypatch.setenv("LOGSYNC_PURE", "1")
    raw = (SAMPLES / "CloudUserSync.log").read_bytes().decode("utf-8-sig")
    assert raw.count("\r\n") == raw.count("\n")  # (the demo log ends its lines in CRLF)
    given = tmp_path / "ticket.txt"
    given.write_bytes(text(raw).encode())
    assert b"\r \n" in given.read_bytes() or b"\r\t\n" in given.read_bytes()
    assert answers(str(given)) == answers(str(SAMPLES / "CloudUserSync.log"))
    gate = runner.invoke(app, ["check", str(given)])
    assert (gate.exit_code, gate.stdout.splitlines()[-1]) == (
        1,
        "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of "
        "2026-11-25T16:04:59.644-08:00; 1 pending user not counted by --fail-on "
        "waiting,overdue,failed,connector",
    )


def _cr_kept(text: str, wrap: Callable[[str, int], str], width: int) -> str:
    """Each CRLF line of `text` wrapped by `wrap` at `width`, its CR kept at its last piece's
    end (as `fold` keeps it)."""
    out = []
    for line in text.split("\r\n")[:-1]:
        pieces = wrap(line, width).split("\n")[:-1]
        out += [*pieces[:-1], pieces[-1] + "\r"]
    return "\n".join(out) + "\n"


def _after_each(text: str, spaces: str) -> str:
    """`spaces` after every line (before its LF)."""
    return "".join(line + spaces + "\n" for line in text.split("\n")[:-1])


def test_spaces_after_lines_a_lone_cr_broke_are_a_line_alone() -> None:
    """`spaced_after`: each line not blank ends with spaces or tabs, or the next line is of
    them alone; a line with neither, or a line of spaces after a blank line only, is not."""
    assert aspasted.spaced_after(["a b", " ", "c ", "d", "\t", ""], 3)
    assert not aspasted.spaced_after(["a b", "", "c "], 2)
    assert not aspasted.spaced_after(["a b", "c ", " "], 2)
    assert aspasted.spaced_after(["a ", "b", "c"], 1)  # (only the first `count` are looked at)
    assert not aspasted.spaced_after(["a ", "b", "c"], 2)
    assert not aspasted.spaced_after(["a", " x"], 1)


@pytest.mark.parametrize("width", [70, 80, 89, 100, 113, 114, 160])
def test_a_console_copy_at_any_width_gives_the_answers_of_the_log(tmp_path: Path, width: int) -> None:
    """Narrower than the shortest record, no line is a record with spaces after it: the copy
    is told by its lines, nine in ten as wide as the console, a fifth ending with spaces after
    a trailer's end."""
    clean = answers(str(SAMPLES / "CloudUserSync.log"))
    assert answers(write(tmp_path, padded(DEMO_TEXT, width))) == clean


@pytest.mark.parametrize(
    ("how", "text"),
    [
        ("escaped as HTML", lambda text: text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")),
        ("non-breaking spaces in messages", lambda text: "".join(
            line[: line.find("$$<")].replace(" ", "\xa0") + line[line.find("$$<") :] + "\n"
            for line in text.splitlines()
        )),
    ],
)
def test_a_log_copied_from_a_web_page_gives_the_answers_of_the_log(
    tmp_path: Path, how: str, text: Callable[[str], str]
) -> None:
    """A ticket's HTML (`$$&lt;SMS_CLOUD_USERSYNC&gt;`) or a rich-text copy (U+00A0 for each
    space of a message): every event was hidden, `check` passed."""
    clean = answers(str(SAMPLES / "CloudUserSync.log"))
    assert answers(write(tmp_path, text(DEMO_TEXT))) == clean


@pytest.mark.parametrize("hidden", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])
def test_characters_that_show_as_nothing_are_no_part_of_a_reason_or_a_name(
    tmp_path: Path, hidden: str
) -> None:
    """A web page's or a chat's zero-width characters after `UserNotFound` and inside each UPN
    read as another reason and other users: bob failed "with no automatic retry", carol
    recovered was failed, `check --fail-on stuck` passed; after every line of an excerpt, its
    lines were said to be "cut off at 110 columns"."""
    text = DEMO_TEXT.replace("UserNotFound  $$", f"UserNotFound{hidden}  $$")
    text = text.replace("@contoso.com", f"@{hidden}contoso.com")
    assert answers(write(tmp_path, text)) == answers(str(SAMPLES / "CloudUserSync.log"))
    gate = runner.invoke(app, ["check", "--fail-on", "stuck", write(tmp_path, text)])
    assert gate.stdout.splitlines()[-1].startswith("FAIL: 4 users (3 waiting, 1 overdue)")
    excerpt = "".join(f"{line}{hidden}\n" for line in EXCERPT_TEXT.splitlines())
    assert answers(write(tmp_path, excerpt)) == answers(str(SAMPLES / "pasted" / "ticket.txt"))


# -- as pasted: escaped as HTML and hard wrapped -------------------------------------------------


MESSAGES_TEXT = "".join(line.split("  $$<")[0] + "\n" for line in DEMO_TEXT.splitlines())
"""The demo log's message text only: each line without its trailer (SPEC §2's lines with no
time)."""
ESCAPED_AND_WRAPPED: dict[str, Callable[[str], str]] = {
    "escaped, then wrapped 72": lambda text: wrapped(html.escape(text), 72),
    "escaped, then wrapped 72, long words kept": lambda text: wrapped(
        html.escape(text), 72, long_words=False
    ),
    "escaped, then wrapped 76 at hyphens too": lambda text: wrapped(
        html.escape(text), 76, hyphens=True
    ),
    "escaped, then wrapped 76 at hyphens, long words kept": lambda text: wrapped(
        html.escape(text), 76, hyphens=True, long_words=False
    ),
    "escaped, then wrapped 100": lambda text: wrapped(html.escape(text), 100),
    "escaped with its BOM, then wrapped 72, CRLF": lambda text: wrapped(
        html.escape("\ufeff" + text), 72
    ).replace("\n", "\r\n"),
    "escaped, wrapped 72, then quoted >": lambda text: quoted(wrapped(html.escape(text), 72), "> "),
    "escaped, wrapped 100 at hyphens, then quoted >": lambda text: quoted(
        wrapped(html.escape(text), 100, hyphens=True), "> "
    ),
    "escaped, quoted >, then wrapped 76": lambda text: wrapped(quoted(html.escape(text), "> "), 76),
    "quoted >, escaped, then wrapped 72": lambda text: wrapped(html.escape(quoted(text, "> ")), 72),
    "quoted >>, escaped, then wrapped 70": lambda text: wrapped(
        html.escape(quoted(text, ">> ")), 70
    ),
    "wrapped 76, quoted >, then escaped": lambda text: html.escape(quoted(wrapped(text, 76), "> ")),
}
"""Text copied from a ticket or a web page's source (`&lt;`, `&gt;`, `&amp;`, `&quot;`,
`&#x27;`) and hard wrapped in an e-mail, quoted in a reply before or after: escaped before it
was wrapped, its lines were wrapped wider than they are once decoded, and a quoting escaped
(`&gt; `) is no quoting until decoded."""
DEMO_DUE = [
    ("bob@contoso.com", "waiting", "2026-11-26T09:10:08.462-08:00"),
    ("heidi@contoso.com", "waiting", "2026-11-26T10:10:08.506-08:00"),
    ("erin@contoso.com", "waiting", "2026-11-26T14:30:09.041-08:00"),
    ("ivan@contoso.com", "overdue", "2026-11-25T08:20:08.636-08:00"),
    ("dave@contoso.com", "failed", None),
    ("frank@contoso.com", "pending", None),
    ("carol@contoso.com", "recovered", "2026-11-25T07:40:08.529-08:00"),
    ("alice@contoso.com", "synced", None),
    ("grace@contoso.com", "synced", None),
    ("Mallory.Admin@Contoso.com", "synced", None),
]
"""The demo log's users, states and due times (`report --all`)."""
DEMO_NO_TIMES = [
    ("ivan@contoso.com", "waiting", None),  # (no times: whether its timer ran out is unknown)
    *((upn, state, None) for upn, state, _ in DEMO_DUE if upn != "ivan@contoso.com"),
]


def read_back(path: str) -> tuple[list[dict[str, Any]], dict[str, Any], tuple[int, int], int]:
    """`report --all --format json` (its users, summary counts, records and unparsed lines)
    and `check`'s exit code."""
    users, summary = answers(path)
    (stats,) = json.loads(runner.invoke(app, ["report", "--format", "json", path]).stdout)["inputs"]
    return users, summary, (stats["records"], stats["unparsed"]), runner.invoke(app, ["check", path]).exit_code


@pytest.mark.parametrize("times", [True, False], ids=["with times", "message text only"])
@pytest.mark.parametrize("how", list(ESCAPED_AND_WRAPPED))
def test_the_demo_log_escaped_as_html_and_wrapped_gives_the_answers_of_the_log(
    tmp_path: Path, how: str, times: bool
) -> None:
    """Quoted, then escaped (`&gt; Failed to add user`), the message lines were no text
    logsync knew (no trailer `$$&lt;` told it was HTML): exit 2. Quoted `>> `, escaped, then
    wrapped at 70, the lines were read back as wrapped 59 wide, no wider than a text that is
    not taken for wrapped: 6,879 lines unparsed, carol `waiting`."""
    text = DEMO_TEXT if times else MESSAGES_TEXT
    clean = read_back(write(tmp_path, text, "clean.log"))
    users, summary, counts, exit_code = read_back(write(tmp_path, ESCAPED_AND_WRAPPED[how](text)))
    assert [(u["upn"], u["state"], u["full_sync_due"]) for u in users] == (
        DEMO_DUE if times else DEMO_NO_TIMES
    )
    assert {k: summary[k] for k in ("waiting", "overdue", "stuck", "cycles", "restarts")} == {
        "waiting": 3 if times else 4,
        "overdue": 1 if times else 0,
        "stuck": 4,
        "cycles": 398,
        "restarts": 1,
    }
    assert (counts, exit_code) == ((3041, 0), 1)
    assert (users, summary, counts, exit_code) == clean


@pytest.mark.parametrize(
    "how",
    [
        "escaped",
        "escaped, then wrapped 72",
        "quoted >, escaped, then wrapped 72",
        "wrapped 76, quoted >, then escaped",
    ],
)
def test_the_blog_posts_quotes_escaped_as_html_name_the_placeholder(
    tmp_path: Path, how: str
) -> None:
    """`&lt;UPN of User Account&gt;` was taken for the user's name (a text with no trailer was
    not decoded): the placeholder, decoded, is tracked as no UPN."""
    pastings = {"escaped": html.escape, **ESCAPED_AND_WRAPPED}
    path = write(tmp_path, pastings[how](BLOG_QUOTES))
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == 1
    assert result.stdout == (
        "<UPN of User Account> (not a UPN)\twaiting\tUserNotFound\texpected recovery unknown: the "
        "input has no times\n"
        "FAIL: 1 user (1 waiting), limit 0 (the input has no times)\n"
    )
    assert answers(path) == answers(write(tmp_path, BLOG_QUOTES, "clean.txt"))


HTML_LINES: dict[str, Callable[[str], str]] = {
    "<br> after each": lambda line: html.escape(line, quote=False) + "<br>",
    "<br /> after each": lambda line: html.escape(line, quote=False) + "<br />",
    "Outlook's paragraphs": lambda line: f"<p class=MsoNormal>{html.escape(line, quote=False)}<o:p></o:p></p>",
    "a web editor's blocks": lambda line: f"<div>{html.escape(line, quote=False)}</div>",
    "in a styled span": lambda line: f'<div><span style="font-family:Consolas">{html.escape(line)}</span></div>',
}
"""The lines of a text as an HTML page or mail's source holds them (each escaped, in tags)."""


@pytest.mark.parametrize("how", list(HTML_LINES))
def test_text_in_an_html_page_s_source_gives_the_answers_of_the_text(tmp_path: Path, how: str) -> None:
    """The demo log with `<br>` after each line was "no CloudUserSync records found" (exit 2);
    SPEC §1's excerpt so, `scott@contoso.com` `failed` for good with reason `UserNotFound<br>`,
    and a second user `scott@contoso.com<br>`. The tags are taken off with the entities."""
    for text, clean in ((DEMO_TEXT, str(SAMPLES / "CloudUserSync.log")), (EXCERPT_TEXT, str(SAMPLES / "pasted" / "ticket.txt"))):
        page = "".join(HTML_LINES[how](line) + "\n" for line in text.removeprefix("\ufeff").splitlines())
        assert answers(write(tmp_path, page, "page.html")) == answers(clean)


@pytest.mark.parametrize("tag", ["<br>", "<br />", "<BR/>"])
def test_text_a_ticket_system_stores_on_one_line_broken_by_tags_gives_the_answers_of_the_text(
    tmp_path: Path, tag: str
) -> None:
    """`<p>log below:<br>…<br>…</p>` on one physical line, as a web ticket stores a paste: "no
    CloudUserSync records found". Each `<br>` is a line break; line numbers are those of the
    text so broken."""
    for text, clean in ((DEMO_TEXT, str(SAMPLES / "CloudUserSync.log")), (EXCERPT_TEXT, str(SAMPLES / "pasted" / "ticket.txt"))):
        lines = text.removeprefix("\ufeff").splitlines()
        page = "<div><p>log below:" + tag + tag.join(html.escape(line, quote=False) for line in lines) + "</p></div>\n"
        assert page.count("\n") == 1
        assert answers(write(tmp_path, page, "page.html")) == answers(clean)
    path = write(tmp_path, page, "page.html")
    events = runner.invoke(app, ["events", "--format", "csv", "--kind", "user_add_failed", path])
    assert events.stdout.splitlines()[1].split(",")[2:4] == [path, "3"]  # (`log below:` is line 1)


def test_a_log_whose_trailers_a_web_editor_took_for_tags_is_refused_saying_so(tmp_path: Path) -> None:
    """Each `<…>` taken out (`… cloud 0  $$`): the lines were "cut off at 66 columns", which
    sent the admin to look for a width; the times are gone with the trailers."""
    stripped = re.sub(r"<[^<>\n]*>", "", DEMO_TEXT.removeprefix("\ufeff"))
    assert stripped.splitlines()[0] == "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).  $$"
    result = runner.invoke(app, ["check", write(tmp_path, stripped)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "ticket.txt: its lines end in `$$`: the `<…>` of their SMS-trace trailers, with the times "
        "in them, were taken out (a web editor or a ticket took them for tags); paste the log as "
        "plain text, or attach the file\n"
    )


def test_a_log_whose_component_and_thread_a_browser_took_for_tags_is_refused_saying_so(
    tmp_path: Path,
) -> None:
    """A page's text as a browser renders it keeps `<11-24-2026 …>` (no tag's name) and drops
    `<SMS_CLOUD_USERSYNC>` and `<thread=…>`: it was "no CloudUserSync records found"."""
    rendered = re.sub(r"<(?:SMS_CLOUD_USERSYNC|thread=[^<>]*)>", "", DEMO_TEXT.removeprefix("\ufeff"))
    assert rendered.splitlines()[1] == (
        "CCloudUserSync::Process - User sync processing has started.  $$<11-24-2026 06:59:55.214+480>"
    )
    result = runner.invoke(app, ["check", write(tmp_path, rendered)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith(
        "ticket.txt: its SMS-trace trailers lost their component and thread (`$$<11-24-2026 "
        "07:35:04.744+480>`): the text of a web page, whose `<SMS_CLOUD_USERSYNC>` and "
        "`<thread=…>` were taken for tags; copy the log from its source, or attach the file\n"
    )
    kept = rendered.splitlines()
    kept[1:1] = [DEMO_TEXT.removeprefix("\ufeff").splitlines()[1]] * (len(kept) // 4)  # (a fifth whole)
    mixed = runner.invoke(app, ["check", write(tmp_path, "\n".join(kept) + "\n", "mixed.txt")])
    assert "lost their component and thread" not in mixed.stderr


@pytest.mark.parametrize(
    ("sample", "is_escaped"),
    [
        ("Successfully removed users from cloud 0  $$&lt;SMS_CLOUD_USERSYNC&gt;&lt;11-24-2026\n", True),
        ("&gt; Failed to add user bob@contoso.com; reason UserNotFound\n", True),
        ("Failed to add user &lt;UPN of User Account&gt;; reason UserNotFound\n", True),
        ("> Failed to add user &quot;bob&quot;; reason UserNotFound\n", True),  # quoted after
        ("Q&A about carol&amp;co  $$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>\n", False),
        ("Failed to add user bob@contoso.com; reason UserNotFound\n", False),
        ("Hi team, Q&A below\n", False),  # a bare & is no entity
        ("a<br>\nb<br>\nc<br>\nd\ne\nf\ng\nh\ni\nj\n", True),  # tags on a fifth of the lines
        ("a<br>\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", False),
        ("x  $$<SMS_CLOUD_USERSYNC><11-24-2026 07:40:08.392+480><thread=5616 (0x15F0)>\n", False),
    ],
)
def test_which_texts_were_escaped_as_html(sample: str, is_escaped: bool) -> None:
    """HTML escapes every `<` of a text: one that holds a `<` (an SMS-trace record read from
    disk, `&amp;` in its message or not) was not escaped."""
    assert copies.escaped(sample) is is_escaped


def test_a_line_escaped_as_html_is_as_wide_as_its_entities() -> None:
    trailer = "$$<SMS_CLOUD_USERSYNC><11-24-2026"
    assert copies.columns(trailer) == len(html.escape(trailer)) == 42
    assert copies.columns("say \"it's\" & go") == len(html.escape("say \"it's\" & go")) == 34


def escaped_quoted_wrapped(
    text: str, order: str, prefix: str, width: int, hyphens: bool, long_words: bool = True
) -> str:
    """`text` escaped as HTML (`e`), quoted with `prefix` (`q`) and wrapped at `width` (`w`),
    in `order`."""
    steps: dict[str, Callable[[str], str]] = {
        "e": html.escape,
        "q": lambda text: quoted(text, prefix) if prefix else text,
        "w": lambda text: wrapped(text, width, hyphens=hyphens, long_words=long_words),
    }
    for step in order:
        text = steps[step](text)
    return text


def read_as_the_window(
    tmp_path: Path, text: str, pasted: str, times: bool = True
) -> tuple[Analysis, Analysis]:
    """Check that `pasted` reads as `text`: the same users in the same states (with no times,
    in the same order), the same counts, records and unparsed lines; (the pasted reading, the
    clean one)."""
    clean = analyze([write(tmp_path, text, "window.log")])
    got = analyze([write(tmp_path, pasted, "window.log")])

    def state(user: UserState) -> UserState:
        # (with no times, a user's instants and zones are its lines' order)
        return unlocated(user) if times else unlocated(user)._replace(instants=None, zones=None)

    assert [state(user) for user in got.users] == [state(user) for user in clean.users]
    assert got.result.counts == clean.result.counts
    assert (got.inputs[0].records, got.inputs[0].unparsed) == (
        clean.inputs[0].records,
        clean.inputs[0].unparsed,
    )
    return got, clean


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.sampled_from([1, 2]),
    start=st.integers(0, 4000),
    length=st.integers(40, 1500),
    prefix=st.sampled_from(["", "> ", ">> ", "| "]),
    width=st.integers(70, 100),
    order=st.sampled_from(["eqw", "qew", "ewq", "wqe"]),
    hyphens=st.booleans(),
    long_words=st.booleans(),
    times=st.booleans(),
)
def test_windows_of_simulated_histories_escaped_and_wrapped_give_the_answers_of_the_window(
    tmp_path: Path,
    seed: int,
    start: int,
    length: int,
    prefix: str,
    width: int,
    order: str,
    hyphens: bool,
    long_words: bool,
    times: bool,
) -> None:
    """A window of a simulated connector's log (or its message text only), escaped as HTML
    (`e`), quoted (`q`) and wrapped (`w`) in any `order`, is read as the window itself: the
    same users in the same states, with the same times, and the same counts."""
    # message lines quoted `>>` whose wrapped pieces are as wide as the usual line and its
    # quoting are taken for a text cut at the width (see `cuts.cut_at`)
    assume(times or prefix != ">> ")
    text = history(seed).text(start, start + length)
    if not times:
        text = "".join(line.split("  $$<")[0] + "\r\n" for line in text.splitlines())
    pasted = escaped_quoted_wrapped(text, order, prefix, width, hyphens, long_words)
    read_as_the_window(tmp_path, text, pasted, times)


DEMO_LINES = DEMO_TEXT.splitlines(keepends=True)
ESCAPED_WRAPPED_AT: dict[str, Callable[[str, int], str]] = {
    "escaped, then wrapped": lambda text, width: wrapped(html.escape(text), width),
    "escaped, then wrapped, CRLF": lambda text, width: wrapped(html.escape(text), width).replace(
        "\n", "\r\n"
    ),
    "wrapped, then escaped": lambda text, width: html.escape(wrapped(text, width)),
}
"""A short excerpt as a mail client wraps a ticket's escaped text (`textwrap.wrap` of each line
`html.escape`d), or as a page escapes a wrapped text."""


def window_read(path: str) -> tuple[tuple[int, int], list[tuple[str, str]], dict[str, Any]]:
    """`report --all --format json`: its records and unparsed lines, its users' names and states,
    and its summary counts."""
    result = runner.invoke(app, ["report", "--all", "--format", "json", path])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    (stats,) = document["inputs"]
    users = [(user["upn"], user["state"]) for user in document["users"]]
    return (stats["records"], stats["unparsed"]), users, document["summary"]


@pytest.mark.parametrize("how", list(ESCAPED_WRAPPED_AT))
@pytest.mark.parametrize("width", [72, 76, 80])
def test_thirty_lines_escaped_as_html_and_wrapped_are_read_as_the_excerpt(
    tmp_path: Path, width: int, how: str
) -> None:
    """Lines 150-180 of the demo log, escaped, then wrapped at 76: an escaped trailer
    (`$$&lt;SMS_CLOUD_USERSYNC&gt;&lt;11-24-2026`, 42 columns, then its time and thread, 36)
    broke each record in three pieces, nine in ten no wider than 60 columns, and the text was not
    taken for wrapped: 26 records, 64 lines unparsed, carol and ivan `pending`."""
    excerpt = "".join(DEMO_LINES[150:180])
    clean = window_read(write(tmp_path, excerpt, "clean.log"))
    assert clean[:2] == ((30, 0), [("carol@contoso.com", "waiting"), ("ivan@contoso.com", "waiting")])
    assert {k: clean[2][k] for k in ("waiting", "pending", "stuck", "cycles")} == {
        "waiting": 2,
        "pending": 0,
        "stuck": 2,
        "cycles": 5,
    }
    assert window_read(write(tmp_path, ESCAPED_WRAPPED_AT[how](excerpt, width))) == clean


@pytest.mark.parametrize("how", list(ESCAPED_WRAPPED_AT))
@pytest.mark.parametrize("width", [72, 76, 80])
@pytest.mark.parametrize("length", [10, 30, 60])
def test_windows_of_the_demo_log_escaped_as_html_and_wrapped_are_read_as_the_window(
    tmp_path: Path, length: int, width: int, how: str
) -> None:
    """The `length` lines from every 150th line of the demo log (the review's windows: of 30
    lines, escaped, then wrapped at 76, 18 in 20 ended with about 64 lines unparsed) are read
    as the window itself: every line a record, the same users in the same states."""
    for start in range(0, len(DEMO_LINES) - length, 150):
        window = "".join(DEMO_LINES[start : start + length])
        clean = window_read(write(tmp_path, window, "clean.log"))
        assert clean[0] == (length, 0)
        got = window_read(write(tmp_path, ESCAPED_WRAPPED_AT[how](window, width)))
        assert got == clean, f"lines {start}-{start + length}"


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.integers(0, len(DEMO_LINES) - 5),
    length=st.integers(5, 200),
    prefix=st.sampled_from(["", "> ", "| "]),
    width=st.sampled_from([72, 76, 80]),
    order=st.sampled_from(["ew", "we", "eqw", "qew", "ewq", "wqe"]),
    hyphens=st.booleans(),
    times=st.booleans(),
)
# windows whose only wrapped line is one totals line, drawn in CI and by the mutation run
@example(start=411, length=11, prefix="", width=72, order="ew", hyphens=False, times=False)
@example(start=251, length=12, prefix="| ", width=72, order="we", hyphens=True, times=False)
def test_short_windows_of_the_demo_log_escaped_and_wrapped_give_the_answers_of_the_window(
    tmp_path: Path,
    start: int,
    length: int,
    prefix: str,
    width: int,
    order: str,
    hyphens: bool,
    times: bool,
) -> None:
    """A short window of the demo log (or of its message text only), escaped as HTML (`e`),
    quoted (`q`) and wrapped (`w`) in any `order`, escaped before or after it was wrapped, is
    read as the window itself. The simulated histories' user names (`user00001@contoso.com`)
    keep their message lines wider than the demo log's (`carol@contoso.com`): windows of the
    demo log are where an escaped text wrapped at 72 to 76 has lines mostly narrower than 61."""
    # a few message lines may hold nothing to escape, and one wrapped line in six is too few to
    # tell the width (plain wrapping's limit, see `aspasted.pasting`): ten lines at least
    assume(times or length >= 10)
    text = "".join(DEMO_LINES[start : start + length])
    if not times:
        text = "".join(line.split("  $$<")[0] + "\n" for line in text.splitlines())
    pasted = escaped_quoted_wrapped(text, order, prefix, width, hyphens)
    _, clean = read_as_the_window(tmp_path, text, pasted, times)
    assert clean.inputs[0].unparsed == 0


def test_lines_cut_off_at_a_width_are_no_pieces_of_one_record(tmp_path: Path) -> None:
    """`cut -c1-150` (a console that does not wrap): a line cut off loses its end, and the
    line after it begins a message of its own, so it is no piece of the same record. Six
    notifications were one record of six messages, bob's failure line was lost to it, and
    `check` passed. The lines cut off are each counted, and the input refused as message lines
    cut off are: the four lost are the cycles' totals, which the whole lines alone would judge
    without (it was read, those four `unparsed`)."""
    lines = DEMO_TEXT.splitlines()[2432:2460]
    path = write(tmp_path, "".join(line[:150] + "\n" for line in lines))
    cut_off = [str(number) for number, line in enumerate(lines, 1) if len(line) > 150]
    assert cut_off == ["2", "11", "18", "25"]  # the totals lines, 163 characters and more
    for command in (["check"], ["events", "--kind", "unparsed"]):
        result = runner.invoke(app, [*command, path])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"logsync: error: {path}: 4 lines are cut off at 150 columns (their ends lost, as by "
            "`cut -c` or a console's copy); paste them whole\n"
        )


@pytest.mark.parametrize("width", [60, 80, 90, 100, 110, 120, 140, 160])
def test_sms_trace_cut_off_at_any_width_is_refused_saying_so(tmp_path: Path, width: int) -> None:
    """The excerpt of the demo log cut at a width: refused as "no CloudUserSync records found"
    at 70 to 110 columns, read as message lines with no times and users such as `ivan@contoso.com
    $$<SMS_CLOUD_USERSYNC><11-24-` at 90, as 14 records and "no cycle in the log" at 120."""
    lines = DEMO_TEXT.splitlines()[39:130]
    cut = sum(len(line) > width for line in lines)
    path = write(tmp_path, "".join(line[:width] + "\n" for line in lines))
    result = runner.invoke(app, ["check", path])
    assert (result.exit_code, result.stdout) == (2, "")
    whole = "no whole record: " if cut == len(lines) else ""
    assert result.stderr == (
        f"logsync: error: {path}: {whole}{cut} lines are cut off at {width} columns (their ends "
        "lost, as by `cut -c` or a console's copy); paste them whole\n"
    )


# -- as copied from CMTrace: rows whose tabs became spaces ----------------------------------------


def copied_rows(text: str) -> str:
    """SMS trace as CMTrace's rows copied to the clipboard: message, component, the local date
    and time as its list shows them (`11/24/2026 6:59:55 AM`), thread, tab-separated."""
    rows = []
    for line in text.splitlines():
        message, trailer = line.split("  $$<", 1)
        component, stamp, thread = trailer.rstrip(">").split("><")
        moment = datetime.strptime(stamp.split(".")[0], "%m-%d-%Y %H:%M:%S")
        shown = f"{moment.month}/{moment.day}/{moment.year} {moment.strftime('%I:%M:%S %p').lstrip('0')}"
        rows.append("\t".join((message, component, shown, thread.removeprefix("thread="))))
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize(("delimiter", "every_field_quoted"), [(",", False), (";", False), (",", True)])
def test_rows_copied_from_cmtrace_and_saved_as_csv_give_the_answers_of_the_rows(
    tmp_path: Path, delimiter: str, every_field_quoted: bool
) -> None:
    """CMTrace's rows pasted into a spreadsheet and saved as CSV (with its header; `;` where a
    comma is the decimal mark; every field quoted, as `Export-Csv` writes them): the input had
    no times, carol was `failed` with the reason `UserNotFound,SMS_CLOUD_USERSYNC,11/24/2026`,
    and each request a user of its own. Quoted, the `"` before each line was taken for a
    prefix: carol `overdue`, each UPN a second user with a `"` after it."""
    import csv
    import io

    rows = copied_rows(DEMO_TEXT)
    sheet = io.StringIO()
    quoting = csv.QUOTE_ALL if every_field_quoted else csv.QUOTE_MINIMAL
    writer = csv.writer(sheet, delimiter=delimiter, lineterminator="\r\n", quoting=quoting)
    writer.writerow(["Log Text", "Component", "Date/Time", "Thread"])
    writer.writerows(row.split("\t") for row in rows.splitlines())
    saved = sheet.getvalue()
    assert ('"Total received users to add from SCCM = 0, Total Successfully' in saved) is (delimiter == ",")
    assert saved.startswith('"Log Text"') is every_field_quoted
    clean = answers(write(tmp_path, rows, "rows.txt"))
    assert (clean[1]["stuck"], len(clean[0])) == (4, 10)
    path = write(tmp_path, saved, "rows.csv")
    assert answers(path) == clean
    note = runner.invoke(app, ["report", path]).stderr
    assert "rows.csv: 1 line is no record and not judged" in note  # (its header)


MINUTE_NOTE = (
    "logsync: the input's times are to the minute (rows saved from a spreadsheet?): due times "
    "may be up to a minute early, and each recovery foretold up to a minute early or a cycle "
    "late; copy the rows with their seconds to know\n"
)


def test_rows_saved_with_times_to_the_minute_say_so(tmp_path: Path) -> None:
    """A spreadsheet saves a date and time as it shows it, `11/24/2026 7:40 AM`: the seconds
    lost, due times were up to a minute early and recoveries a cycle late, with nothing said."""
    rows = copied_rows(DEMO_TEXT)
    minutes = re.sub(r"(\d+:\d\d):\d\d ([AP]M)", r"\1 \2", rows)
    assert "11/24/2026 7:40 AM" in minutes and not re.search(r"\d:\d\d:\d\d ", minutes)
    found = runner.invoke(app, ["report", write(tmp_path, minutes, "minutes.txt")])
    assert MINUTE_NOTE in found.stderr
    assert MINUTE_NOTE not in runner.invoke(app, ["report", write(tmp_path, rows, "rows.txt")]).stderr
    quiet = runner.invoke(app, ["report", "--quiet", write(tmp_path, minutes, "minutes.txt")])
    assert quiet.stderr == ""


@pytest.mark.parametrize(
    ("clocks", "said"),
    [(["10:00:00", "10:00:00", "10:00:00"], False), (["10:00:00", "10:05:00", "10:05:00"], False),
     (["10:00:00", "10:05:00", "10:10:00"], True), (["10:00:00", "10:05:00", "10:10:01"], False)],
)
def test_times_are_said_to_be_to_the_minute_from_three_different_times(
    tmp_path: Path, clocks: list[str], said: bool
) -> None:
    """One failure line at `10:00:00` was said to be to the minute ("copy the rows with their
    seconds"): each instant of its user is that one time. Three different times on the minute
    are wanted."""
    upns = ["scott@contoso.com", "amy@contoso.com", "bob@contoso.com"]
    lines = "".join(
        f"11/1/2014 {clock} AM  NotifyAccountAddition - SCCM user to add = {upn}\n"
        f"   Failed to add user {upn}; reason UserNotFound\n"
        for clock, upn in zip(clocks, upns, strict=True)
    )
    found = runner.invoke(app, ["report", "--source-tz", "America/New_York", write(tmp_path, lines, "d.txt")])
    assert (MINUTE_NOTE in found.stderr) is said


@pytest.mark.parametrize("spaces", [1, 2, 4])
def test_rows_copied_from_cmtrace_whose_tabs_became_spaces_give_the_answers_of_the_rows(
    tmp_path: Path, spaces: int
) -> None:
    """A mail or chat program pastes CMTrace's copied rows with spaces for tabs: each row's
    component, time and thread were read as part of the UPN (288 users of an excerpt with one,
    all "waiting", `check` failing them)."""
    rows = copied_rows(DEMO_TEXT)
    assert rows.splitlines()[3] == (
        "Total received users from SCCM to be removed from cloud = 0\tSMS_CLOUD_USERSYNC\t"
        "11/24/2026 7:00:04 AM\t5616 (0x15F0)"
    )
    clean = answers(write(tmp_path, rows, "rows.txt"))
    assert (clean[1]["stuck"], len(clean[0])) == (4, 10)
    spaced = rows.replace("\t", " " * spaces)
    assert answers(write(tmp_path, spaced)) == clean
    indented = "".join("    " + row for row in spaced.splitlines(keepends=True))  # (a mail's indent)
    assert answers(write(tmp_path, indented)) == clean


def _every_quarter_hour() -> str:
    """A connector that cycles every 15 minutes for 12 hours (09:00:09.000 PST on), and amy,
    not in Azure AD yet, who fails in its first cycle within the second it starts (.548) and
    is notified, held back, in every cycle after."""
    log = Log(bias=480)
    start = datetime(2026, 3, 1, 9, 0, 9)
    log.at(start - timedelta(seconds=9), "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).", thread=3604)
    log.at(start - timedelta(seconds=9), "CCloudUserSync::Process - User sync processing has started.")
    for cycle in range(48):
        at = start + timedelta(minutes=15 * cycle)
        step = [at + timedelta(milliseconds=137 * n) for n in range(7)]
        log.at(step[0], "Starting user delta sync, raise failure status messages = True")
        log.at(step[1], "Total received users from SCCM to be removed from cloud = 0")
        log.at(step[2], "Successfully removed users from cloud 0")
        log.at(step[3], "NotifyAccountAddition - SCCM user to add = amy@contoso.com")
        if cycle == 0:
            log.at(step[4], "Failed to add user amy@contoso.com; reason UserNotFound")
        received = 1 if cycle == 0 else 0
        log.at(step[5], f"Total received users to add from SCCM = {received}, Total Successfully added users to Cloud = 0")
        log.at(step[6], "UserDeltaSync:- Users Added = 0, Users Removed = 0")
    return log.text()


def test_rows_copied_from_cmtrace_show_the_interval_of_their_cycles(tmp_path: Path) -> None:
    """CMTrace's rows are a run of the log's lines (to the second), not lines someone chose:
    the interval of their cycles in a row is observed, as in the log. It was the 5-minute
    default: a connector that cycles every 15 minutes was `connector_stalled` 24 minutes after
    its last cycle, and amy expected at her due time, not at the cycle after it (her failure
    came in the second her cycle began: a day later that cycle's second is before the due
    time, as the log's milliseconds show)."""
    text = _every_quarter_hour()
    log, rows = write(tmp_path, text, "CloudUserSync.log"), write(tmp_path, copied_rows(text))
    for path in (log, rows):
        summary = json.loads(runner.invoke(app, ["summary", "--format", "json", path]).stdout)
        assert (summary["cycles"], summary["interval_s"], summary["interval_basis"]) == (48, 900, "observed")
        (amy,) = answers(path)[0]
        assert (amy["state"], amy["full_sync_due"][:19], amy["expected_recovery"][:19]) == (
            "waiting", "2026-03-02T09:00:09", "2026-03-02T09:15:09"
        )
        # (its last cycle at 20:45:09: silent for three intervals, 45 minutes, it has stalled)
        for now, code in (("2026-03-01 21:20", 0), ("2026-03-01 21:31", 1)):
            gate = runner.invoke(app, ["check", "--fail-on", "connector", "--now", now, path])
            assert gate.exit_code == code, (path, now, gate.stdout)


def test_rows_read_beside_a_sibling_log_keep_their_times_to_the_second(tmp_path: Path) -> None:
    """A sibling log given with the rows (CertMgr.log, with milliseconds) tells causes, not how
    the connector's times are written: amy's due time is still read to the second (her retry
    the cycle after it), as for the rows alone."""
    rows = write(tmp_path, copied_rows(_every_quarter_hour()))
    certificates = tmp_path / "CertMgr.log"
    certificates.write_bytes((REAL_LOGS / "CertMgr.log").read_bytes())
    report = runner.invoke(app, ["report", "--all", "--format", "json", "--source-tz", "Etc/GMT+8", rows, str(certificates)])
    assert report.exit_code == 0, report.stderr
    assert [(u["upn"], u["state"], u["expected_recovery"]) for u in json.loads(report.stdout)["users"]] == [
        ("amy@contoso.com", "waiting", "2026-03-02T09:15:09-08:00")
    ]


def test_two_copies_of_rows_that_meet_at_one_second_are_read_once(tmp_path: Path) -> None:
    """Two copies of CMTrace's rows pasted one after the other, overlapping by the two rows of
    9:10:12 AM (Mallory's request and its cycle's totals): time does not go back where they
    meet, and the totals counted twice made a failed add that no failure line names (`check
    --fail-on failed` failed), ivan pending instead of overdue."""
    rows = copied_rows(DEMO_TEXT).splitlines(keepends=True)
    mallory = next(n for n, row in enumerate(rows) if "= Mallory.Admin@" in row)
    assert "9:10:12 AM" in rows[mallory] and "9:10:12 AM" in rows[mallory + 1]
    clean = answers(write(tmp_path, "".join(rows), "rows.txt"))
    pasted = write(tmp_path, "".join(rows[: mallory + 2] + rows[mallory:]))
    assert answers(pasted) == clean
    assert [u["state"] for u in clean[0] if u["upn"] == "ivan@contoso.com"] == ["overdue"]
    note = runner.invoke(app, ["report", pasted])
    assert "ticket.txt: 2 records pasted twice (the same time and text again just after, where " \
        "copies meet) read once" in note.stderr
    # the same block a second later is no copy: a cycle that named the user again
    later = [row.replace("9:10:12 AM", "9:10:13 AM") for row in rows[mallory : mallory + 2]]
    again = answers(write(tmp_path, "".join(rows[: mallory + 2] + later + rows[mallory + 2 :])))
    assert again != clean


def test_an_excerpt_pasted_twice_at_one_instant_is_read_once(tmp_path: Path) -> None:
    """SPEC §1's excerpt with its first date group pasted again just after itself (all of it at
    10:23:54): scott failed once, in one cycle, as in the excerpt."""
    lines = EXCERPT_TEXT.splitlines(keepends=True)
    clean = answers(write(tmp_path, EXCERPT_TEXT, "clean.txt"))
    assert [(u["upn"], u["state"], u["failures"], u["requests"]) for u in clean[0]] == [
        ("scott@contoso.com", "recovered", 1, 2)
    ]
    assert answers(write(tmp_path, "".join(lines[:3] + lines[:3] + lines[3:]))) == clean


@pytest.mark.parametrize(
    "lines",
    [
        # (a line written many times over, as some components do: one text is no copy)
        ["NotifyAccountAddition - SCCM user to add = scott@contoso.com"] * 2,
        # (lines that name no user: two quiet cycles under one date)
        ["Total received users from SCCM to be removed from cloud = 0", "Successfully removed users from cloud 0"] * 2,
    ],
)
def test_what_is_no_copy_at_one_instant_is_read_as_it_stands(tmp_path: Path, lines: list[str]) -> None:
    text = "9/14/2014 10:23:54 AM  " + "\n                       ".join(lines) + "\n"
    result = runner.invoke(app, ["events", "--format", "csv", write(tmp_path, text)])
    assert len(result.stdout.splitlines()) == 1 + len(lines)


def test_the_words_after_a_quoted_excerpt_stay_out_of_its_records(tmp_path: Path) -> None:
    """A reply quoting SPEC §1's excerpt, signed below it: "Thanks," and "Bob" were records of
    10:28:54 (messages dated by the excerpt's last time); at the margin, and no message the
    catalogue knows, they are text around the excerpt, as the greeting is."""
    reply = (
        "Hi team,\n\nScott still can't enroll. Here is what the connector log says:\n\n"
        + quoted(EXCERPT_TEXT.split("9/15/2014")[0].rstrip("\n") + "\n", "> ")
        + "\nThanks,\nBob\n"
    )
    path = write(tmp_path, reply)
    events = runner.invoke(app, ["events", "--format", "ndjson", path]).stdout.splitlines()
    assert [(e["line"], e["kind"], e["time"]) for e in map(json.loads, events)] == [
        (1, "unparsed", None),
        (3, "unparsed", None),
        (5, "user_add_requested", "2014-09-14T10:23:54"),
        (6, "user_add_failed", "2014-09-14T10:23:54"),
        (7, "add_totals", "2014-09-14T10:23:54"),
        (9, "unparsed", None),
        (10, "unparsed", None),
    ]


def test_an_excerpt_whose_indentation_was_stripped_keeps_every_record(tmp_path: Path) -> None:
    """A mail program that strips leading spaces puts the lines a time dates at the margin:
    with no blank line between, they are still the excerpt's, whatever the catalogue knows of
    them (an error line of the connector too)."""
    stripped = "".join(line.lstrip() + "\n" for line in EXCERPT_TEXT.splitlines())
    assert answers(write(tmp_path, stripped)) == answers(write(tmp_path, EXCERPT_TEXT, "clean.txt"))
    failing = (
        "11/24/2026 10:00:00 AM  Starting user delta sync, raise failure status messages = True\n"
        "User delta sync failed with error 0x80004005\n"
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0\n"
    )
    events = runner.invoke(app, ["events", "--format", "ndjson", write(tmp_path, failing)]).stdout
    assert [(e["line"], e["kind"]) for e in map(json.loads, events.splitlines())] == [
        (1, "sync_started"), (2, "message"), (3, "add_totals"),
    ]


def _as_dated_lines(text: str) -> str:
    """SMS-trace text as an excerpt shows it: each record's date and time first (`9/14/2014
    10:23:54 AM`, as a ticket's viewer shows them), then two spaces and its message."""
    out = []
    for line in text.splitlines():
        found = TRAILER_TIME.search(line)
        assert found is not None, line
        month, day, year, hour, minute, second = map(int, found.groups())
        clock = f"{hour % 12 or 12}:{minute:02d}:{second:02d} {'AM' if hour < 12 else 'PM'}"
        out.append(f"{month}/{day}/{year} {clock}  {line[: line.index('  $$<')]}")
    return "\n".join(out) + "\n"


TRAILER_TIME = re.compile(r"><(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)")


@pytest.mark.parametrize("width", [64, 72, 76, 80, 90, 100])
def test_an_excerpt_of_dated_lines_cut_by_fold_gives_the_answers_of_the_excerpt(
    tmp_path: Path, width: int
) -> None:
    """`fold -w` cuts inside words (`scott@cont|oso.com`, `reason UserNotF|ound`) and before a
    space (`added| users to Cloud`): its pieces are joined as cut, never with a space, so no
    reason is shortened and no user is made up."""
    excerpt = _as_dated_lines("\n".join(DEMO_TEXT.splitlines()[2419:2460]))
    assert excerpt.splitlines()[:2] == [
        "11/25/2026 8:55:04 AM  Successfully removed users from cloud 0",
        "11/25/2026 8:55:05 AM  NotifyAccountAddition - SCCM user to add = heidi@contoso.com",
    ]
    clean = answers(write(tmp_path, excerpt, "clean.txt"))
    assert [(u["upn"], u["state"], u["reason"]) for u in clean[0]] == [
        ("heidi@contoso.com", "waiting", None),
        ("bob@contoso.com", "waiting", "UserNotFound"),
        ("Mallory.Admin@Contoso.com", "synced", None),
    ]
    assert answers(write(tmp_path, cut(excerpt, width))) == clean


def test_three_dated_lines_cut_at_76_keep_the_user_s_reason_and_fail_the_gate(
    tmp_path: Path,
) -> None:
    """Cut at 76, `reason UserNotFound` stood as `reason UserNotF` and `ound`: joined with a
    space, the user was `failed` for a reason no timer holds, and `--fail-on waiting,overdue`
    passed."""
    seed = (
        "9/14/2014 10:23:54 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
        "9/14/2014 10:23:54 AM  Failed to add user scott@contoso.com; reason UserNotFound\n"
        "9/14/2014 10:23:54 AM  Total received users to add from SCCM = 1, Total Successfully "
        "added users to Cloud = 0\n"
    )
    path = write(tmp_path, cut(seed, 76))
    assert cut(seed, 76).splitlines()[2:4] == [
        "9/14/2014 10:23:54 AM  Failed to add user scott@contoso.com; reason UserNotF",
        "ound",
    ]
    result = runner.invoke(app, ["check", "--fail-on", "waiting,overdue", path])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "scott@contoso.com\twaiting\tUserNotFound\texpected recovery by 2014-09-15T10:28:54",
        "FAIL: 1 user (1 waiting), limit 0 as of 2014-09-14T10:23:54",
    ]


@pytest.mark.parametrize("width", [64, 68])
@pytest.mark.parametrize("how", ["wrapped", "cut"])
@pytest.mark.parametrize("form", ["sms-trace", "dated lines"])
def test_an_excerpt_wrapped_narrower_than_mail_clients_do_gives_its_answers(
    tmp_path: Path, width: int, how: str, form: str
) -> None:
    """A chat window or a narrow ticket field may wrap at 64 to 68 columns: a trace's record
    then spans three lines. (Text of 60 columns or fewer is not taken for wrapped: a line of a
    reply or the blog post's quotes, no wider, would be joined to the one above.)"""
    lines = "\n".join(DEMO_TEXT.splitlines()[2419:2460]) + "\n"
    excerpt = lines if form == "sms-trace" else _as_dated_lines(lines)
    clean = answers(write(tmp_path, excerpt, "clean.txt"))
    assert [(u["upn"], u["state"]) for u in clean[0]] == [
        ("heidi@contoso.com", "waiting"),
        ("bob@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    pasted = wrapped(excerpt, width) if how == "wrapped" else cut(excerpt, width)
    assert max(map(len, pasted.splitlines())) <= width
    assert answers(write(tmp_path, pasted)) == clean


def _as_rows(text: str, separator: str) -> str:
    """SMS-trace text as CMTrace copies its selected rows (message, component, date and time,
    thread), the columns apart by `separator`: a tab, or spaces where a mail or chat turned
    the tabs into them."""
    out = []
    for line in text.splitlines():
        found = ROW_PARTS.search(line)
        assert found is not None, line
        component, month, day, year, hour, minute, second, thread = found.groups()
        clock = f"{int(hour) % 12 or 12}:{minute}:{second} {'AM' if int(hour) < 12 else 'PM'}"
        when = f"{int(month)}/{int(day)}/{year} {clock}"
        message = line[: line.index("  $$<")]
        out.append(separator.join([message, component, when, thread]))
    return "\n".join(out) + "\n"


ROW_PARTS = re.compile(
    r"\$\$<([^>]*)><(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)[^>]*><thread=([^>]*)>"
)


@pytest.mark.parametrize("separator", ["\t", "    "])
@pytest.mark.parametrize("how", ["folded 76", "folded 100", "wrapped 76", "cut at 100"])
def test_cmtrace_rows_as_pasted_give_the_answers_of_the_rows(
    tmp_path: Path, separator: str, how: str
) -> None:
    """Rows copied from CMTrace, wrapped: each row's columns end with its thread (`5616
    (0x15F0)`), so its pieces are put back until the thread ends one. Read line by line, the
    piece with a row's date was taken for an excerpt's date line: every record had the time
    of the first, and `ivan@contoso.com    SMS_CLOUD_USERSYNC    11/25/2026` was a user."""
    rows = _as_rows(DEMO_TEXT, separator)
    pasted = {
        "folded 76": lambda: folded(rows, 76),
        "folded 100": lambda: folded(rows, 100),
        "wrapped 76": lambda: wrapped(rows, 76),
        "cut at 100": lambda: cut(rows, 100),
    }[how]()
    zone = ["--source-tz", "America/Los_Angeles"]

    def read(path: str) -> tuple[list[Any], Any]:
        result = runner.invoke(app, ["report", "--all", "--format", "json", *zone, path])
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)
        return document["users"], document["summary"]

    clean = read(write(tmp_path, rows, "rows.txt"))
    assert [(u["upn"], u["state"]) for u in clean[0] if u["state"] != "synced"] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("erin@contoso.com", "waiting"),
        ("ivan@contoso.com", "overdue"),
        ("dave@contoso.com", "failed"),
        ("frank@contoso.com", "pending"),
        ("carol@contoso.com", "recovered"),
    ]
    assert read(write(tmp_path, pasted)) == clean


def folded(text: str, width: int) -> str:
    """Text as `fold -s -w` wraps it: broken after the last space that fits (the space kept at
    the end of the piece), a word longer than the line cut."""
    out = []
    for line in text.splitlines():
        while len(line) > width:
            space = line.rfind(" ", 0, width)
            end = space + 1 if space > 0 else width
            out.append(line[:end])
            line = line[end:]
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("width", [86, 90, 95, 100])
def test_a_dated_excerpt_wrapped_by_mail_is_not_taken_for_one_cut_inside_words(
    tmp_path: Path, width: int
) -> None:
    """Every cycle's totals line is broken at the same word by a mail client: lines of one width
    that differ in their dates only are no sign of `fold -w` (which needs three messages cut at
    the width); taken for one, the pieces were joined with no space and scott stayed pending."""
    excerpt = (
        "9/14/2014 10:23:54 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
        "9/14/2014 10:23:54 AM  Failed to add user scott@contoso.com; reason UserNotFound\n"
        + "".join(
            f"9/14/2014 10:{minute}:54 AM  Total received users to add from SCCM = {n}, Total "
            "Successfully added users to Cloud = 0\n"
            for minute, n in (("23", 1), ("28", 0), ("33", 0))
        )
        + "9/15/2014 10:24:12 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com\n"
        "9/15/2014 10:24:12 AM  Total received users to add from SCCM = 1, Total Successfully "
        "added users to Cloud = 1\n"
        "9/15/2014 10:24:12 AM  UserDeltaSync:- Users Added = 1, Users Removed = 0\n"
    )
    clean = answers(write(tmp_path, excerpt, "clean.txt"))
    assert [(u["upn"], u["state"]) for u in clean[0]] == [("scott@contoso.com", "recovered")]
    assert answers(write(tmp_path, wrapped(excerpt, width))) == clean


@pytest.mark.parametrize(
    "last",
    ["Cheers", "--", "Thanks"],
)
@pytest.mark.parametrize("indent", ["", "  "])
def test_a_word_after_a_user_s_name_is_no_part_of_it(tmp_path: Path, last: str, indent: str) -> None:
    """Quoted lines (of the blog post, or of a ticket's excerpt) and a word of the reply after
    them: a name is one word, so the word makes no user (`bob@contoso.com Cheers`, pending)."""
    text = (
        "We saw this in the log on the server yesterday:\n"
        f"{indent}NotifyAccountAddition - SCCM user to add = ann.longername@contoso.com\n"
        f"{indent}Failed to add user ann.longername@contoso.com; reason UserNotFound\n"
        f"{indent}NotifyAccountAddition - SCCM user to add = bob.longername@contoso.com\n"
        f"{last}\n"
    )
    users, _ = answers(write(tmp_path, text))
    assert [(u["upn"], u["state"]) for u in users] == [
        ("ann.longername@contoso.com", "waiting"),
        ("bob.longername@contoso.com", "pending"),
    ]


def demo_window(start: int, end: int) -> str:
    """Lines `start` to `end` (from 0, end excluded) of the demo log."""
    return "\n".join(DEMO_TEXT.splitlines()[start:end]) + "\n"


def how_pasted(text: str) -> tuple[bool, int | None, str, bool, str | None] | None:
    """What `aspasted.pasting` reads of a text: quoted, width, what makes records whole, cut
    inside words, the quoting."""
    found = aspasted.pasting(text)
    if found is None:
        return None
    return found.quoted, found.width, found.whole_by, found.cut, found.prefix


# (lines 2401-2403 of the demo log: heidi notified at 08:40:04, the totals line left out)
HEIDI_NOTIFIED = (2400, 2403)


@pytest.mark.parametrize(
    ("width", "is_cut"),
    [(70, True), (72, True), (74, False)],
)
def test_sms_trace_is_taken_for_cut_by_three_cuts_inside_its_trailers(
    tmp_path: Path, width: int, is_cut: bool
) -> None:
    """Three records of the demo log cut every `width` characters (`fold -w`). At 70 and 72
    each record's trailer is cut inside a word (at 70: `$$<SMS_CL|OUD`, `<11-25-|2026`,
    `$$<SMS_C|LOUD`): three cuts where no space can have been, so the text was cut. At 74 the
    second record is cut between its date and its time, where a space was: two such cuts are
    too few to tell (a wrapper may break a long word). Read either way, the text gives the
    answers of the window."""
    text = demo_window(*HEIDI_NOTIFIED)
    pasted = cut(text, width)
    assert how_pasted(pasted) == (False, width, "trace", is_cut, None)
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


def test_sms_trace_quoted_then_cut_is_cut_at_the_width_of_its_unquoted_first_pieces(
    tmp_path: Path,
) -> None:
    """Quoted `> `, then cut at 68: each record's first piece is 68 wide with its quoting, so
    66 without it, and the piece after it 68 wide but for the last (and a piece that is only
    `>`). The width 68 and the first pieces' 66, the width less the quoting's two columns,
    are both widths of a cut text: three in three cut where no space was."""
    text = demo_window(*HEIDI_NOTIFIED)
    pasted = cut(quoted(text, "> "), 68)
    assert how_pasted(pasted) == (True, 68, "trace", True, "> ")
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


def test_message_lines_quoted_then_cut_are_taken_for_cut(tmp_path: Path) -> None:
    """The message lines of ten records (bob's failure and the cycles around it), quoted `> `
    then cut at 72: both totals lines are cut at `added us|ers`, which make a known message
    joined as they are and not with a space between: they tell a cut, and the text is read
    as cut."""
    text = "".join(line.split("  $$<")[0] + "\n" for line in demo_window(2440, 2450).splitlines())
    pasted = cut(quoted(text, "> "), 72)
    assert how_pasted(pasted) == (True, 68, "", True, "> ")
    users, _ = answers(write(tmp_path, pasted))
    assert [(u["upn"], u["state"]) for u in users] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


@pytest.mark.parametrize(
    ("form", "window", "paste_it", "pasting_read"),
    [
        (
            "dated lines",
            (2400, 2404),
            lambda text: quoted(wrapped(text, 68), "> "),
            (True, 65, "", False, "> "),
        ),
        ("copied rows", (2400, 2403), lambda text: wrapped(text, 84), (False, 82, "rows", False, None)),
    ],
)
def test_short_excerpts_wrapped_at_spaces_are_not_taken_for_cut(
    tmp_path: Path,
    form: str,
    window: tuple[int, int],
    paste_it: Callable[[str], str],
    pasting_read: tuple[bool, int, str, bool, str | None],
) -> None:
    """A few records as dated lines or copied rows (their tabs made spaces), wrapped at spaces,
    then quoted: they show no cut (pieces that make a known message either way or neither),
    so their pieces are joined as wrapped, and give the window's answers."""
    lines = demo_window(*window)
    text = _as_dated_lines(lines) if form == "dated lines" else _as_rows(lines, "\t")
    pasted = paste_it(text)
    assert how_pasted(pasted) == pasting_read
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


@pytest.mark.parametrize(
    ("piece", "following", "whole_by", "told"),
    [
        # a row cut inside its date: a row only as it stands, not with a space put in
        (
            "Successfully removed users from cloud 0\tSMS_CLOUD_USERSYNC\t11/25",
            "/2026 8:40:04 AM\t5616 (0x15F0)",
            "rows",
            "cut",
        ),
        # a row cut before the space between its date and time: the same row either way
        (
            "Successfully removed users from cloud 0\tSMS_CLOUD_USERSYNC\t11/25/2026",
            " 8:40:04 AM\t5616 (0x15F0)",
            "rows",
            None,
        ),
        # a row whose tabs a mail made spaces, wrapped at 64: the last two of its pieces are a
        # row (its message is no catalogue's) only with the space the wrapper dropped
        (
            "added users to Cloud = 0  SMS_CLOUD_USERSYNC      11/25/2026",
            "8:40:05 AM   5616 (0x15F0)",
            "rows",
            "wrapped",
        ),
        (
            "Total received users to add from SCCM = 2, Total Successfully added us",
            "ers to Cloud = 1",
            "",
            "cut",
        ),
        (
            "Total received users to add from SCCM = 2, Total Successfully added",
            "users to Cloud = 1",
            "",
            "wrapped",
        ),
        # a name cut: a known message either way, but read to its end only as cut (a name
        # holds no space)
        ("NotifyAccountAddition - SCCM user to add = carol@con", "toso.com", "", "cut"),
        ("Hi team, the connector log from this morning is", "below.", "", None),
    ],
)
def test_what_two_pieces_tell_of_how_a_line_was_broken(
    piece: str, following: str, whole_by: str, told: str | None
) -> None:
    """`cut` where two pieces make a record joined as they are and not with a space between,
    `wrapped` where the other way round, nothing where both or neither (see `cuts.cut_at`)."""
    assert cuts.told(piece, following, whole_by) == told


def test_sms_trace_cut_below_a_line_of_the_reply_is_still_taken_for_cut(tmp_path: Path) -> None:
    """Ten records of the demo log cut at 80 (`fold -w 80`), under a line of the reply that
    the first piece follows: nine of the ten lines another piece follows are 80 wide, nine in
    ten, so the text was cut. Read so, heidi's totals lines (`... added users to Clo|ud = 0`)
    are whole again and she waits, as in the window."""
    text = demo_window(2400, 2410)
    pasted = "Hi team, here is the connector log from this morning:\n" + cut(text, 80)
    assert how_pasted(pasted) == (False, 80, "trace", True, None)
    users, _ = answers(write(tmp_path, pasted))
    assert [(u["upn"], u["state"]) for u in users] == [("heidi@contoso.com", "waiting")]
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


def test_dated_lines_cut_at_72_are_taken_for_cut_though_no_piece_tells_it(
    tmp_path: Path,
) -> None:
    """Four records as dated lines cut at 72: the cuts fall before a space (` cloud = 0`),
    after one (`Total |Successfully`) and inside a name (`heidi@|contoso.com`), where the
    pieces make a known message either way: none tells a cut or a wrap, and all three lines
    that another piece follows are 72 wide: the text was cut."""
    text = _as_dated_lines(demo_window(2400, 2404))
    pasted = cut(text, 72)
    assert how_pasted(pasted) == (False, 72, "", True, None)
    users, _ = answers(write(tmp_path, pasted))
    assert [(u["upn"], u["state"]) for u in users] == [("heidi@contoso.com", "waiting")]
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


def test_message_lines_cut_at_spaces_are_not_taken_for_cut_by_a_line_that_wide(
    tmp_path: Path,
) -> None:
    """The message lines of ten records cut at 68: both totals lines break after `added `,
    where the pieces tell nothing, and Mallory's notification is 68 wide by itself: three
    lines of four that another piece follows (or a line that is no known message) are 68
    wide, fewer than nine in ten, and no piece tells a cut. Not taken for cut, the text is
    still read as the window."""
    text = "".join(line.split("  $$<")[0] + "\n" for line in demo_window(2440, 2450).splitlines())
    pasted = cut(text, 68)
    assert "NotifyAccountAddition - SCCM user to add = Mallory.Admin@Contoso.com\n" in pasted
    assert how_pasted(pasted) == (False, 68, "", False, None)
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, text, "clean.log"))


def test_dated_lines_cut_at_84_under_two_lines_of_the_reply_are_taken_for_cut(
    tmp_path: Path,
) -> None:
    """Thirty records as dated lines cut at 84 (`... messages = Tru|e`, `... Total
    Successfully| added ...`), under two lines of the reply: of the ten lines that another
    piece follows, nine are 84 wide, the reply's first is not. Nine in ten: the text was cut,
    and reads as the reply and the lines."""
    reply = "Hi team, the connector log from this morning is\nbelow, as the server wrote it:\n"
    text = _as_dated_lines(demo_window(2410, 2440))
    pasted = reply + cut(text, 84)
    assert "messages = Tru\ne\n" in pasted
    assert how_pasted(pasted) == (False, 84, "", True, None)
    users, _ = answers(write(tmp_path, pasted))
    assert [(u["upn"], u["state"]) for u in users] == [
        ("heidi@contoso.com", "waiting"),
        ("bob@contoso.com", "pending"),
    ]
    assert answers(write(tmp_path, pasted)) == answers(write(tmp_path, reply + text, "clean.log"))


@pytest.mark.parametrize("marker", [">", ">>", "> >", "|", "> ", ">> ", "| "])
@pytest.mark.parametrize("name", ["SPEC §1", "the blog post's quotes"])
def test_an_excerpt_quoted_with_or_without_a_space_after_the_marker_gives_its_answers(
    tmp_path: Path, name: str, marker: str
) -> None:
    """`sed 's/^/>/'`: the date lines read `>9/14/2014 ...` and the lines under them `>` then
    their own 23 columns, which looked like `> ` quoting: the date lines kept their `>`, no time
    was read, and scott was `waiting` where he recovered (SPEC §1, as the sample ticket holds
    it)."""
    text = EXCERPT_TEXT if name == "SPEC §1" else BLOG_QUOTES
    quoted_text = "".join(marker + line for line in text.splitlines(keepends=True))
    clean = answers(write(tmp_path, text, "clean.txt"))
    assert answers(write(tmp_path, quoted_text)) == clean


SIGNED = "\n-- \nJohn Doe\nIT Operations\n"
"""An e-mail's signature below the pasted log: RFC 3676's `-- ` (two dashes and a space)."""


@pytest.mark.parametrize(
    "text",
    ["".join(DEMO_TEXT.splitlines(keepends=True)[2900:2950]), EXCERPT_TEXT],
    ids=["demo lines 2901-2950", "SPEC's excerpt"],
)
def test_the_line_before_an_e_mail_s_signature_leaves_no_lines_out(
    tmp_path: Path, text: str
) -> None:
    """`-- ` was read as grep's `--` (lines left out after the last record): in 50 lines of the
    demo log, bob, erin and heidi turned `pending` with no due time, their retry "maybe
    unseen", where the excerpt says they wait."""
    clean = answers(write(tmp_path, text, "clean.txt"))
    signed = write(tmp_path, text + SIGNED, "signed.txt")
    assert answers(signed) == clean
    result = runner.invoke(app, ["report", signed])
    assert "leaves lines out" not in result.stderr
    assert "3 lines are no record and not judged" in result.stderr


def test_grep_s_own_mark_between_records_still_leaves_lines_out(tmp_path: Path) -> None:
    lines = DEMO_TEXT.splitlines(keepends=True)
    text = "".join([*lines[2900:2920], "--\n", *lines[2930:2950]])
    result = runner.invoke(app, ["report", write(tmp_path, text, "grep.txt")])
    assert "an excerpt that leaves lines out in 1 place" in result.stderr


PICKED_CYCLES = """\
9/14/2014 10:23:54 AM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = scott@contoso.com
                       Failed to add user scott@contoso.com; reason UserNotFound
                       Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0
9/15/2014 10:20:02 AM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = scott@contoso.com
                       Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0
"""


def test_the_cycles_someone_picked_for_an_excerpt_measure_no_interval(tmp_path: Path) -> None:
    """Two cycles a day apart, pasted: the interval was "observed" at 86,168 s, and scott's
    retry predicted a day after his due time (9/16 10:16). Whoever pasted the lines chose
    them: the interval is the default, and his retry the first cycle on its schedule after
    9/15 10:23:54."""
    path = write(tmp_path, PICKED_CYCLES)
    result = runner.invoke(
        app, ["report", "--format", "json", "--source-tz", "America/New_York", path]
    )
    document = json.loads(result.stdout)
    summary = document["summary"]
    assert (summary["interval_s"], summary["interval_basis"]) == (300, "default")
    assert [(u["upn"], u["state"], u["expected_recovery"]) for u in document["users"]] == [
        ("scott@contoso.com", "waiting", "2014-09-15T10:25:02-04:00")
    ]
