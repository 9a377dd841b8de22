"""Connector health: exact findings and advice on the samples and on built logs."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.analysis import analyze
from logsync.cli import app
from logsync.health import MAX_EVIDENCE, HealthCollector, Summary
from logsync.times import iso

from .conftest import SAMPLES
from .logtext import Log, rebiased

PST = timezone(timedelta(hours=-8))


def summarize(*paths: str, now: datetime | None = None) -> Summary:
    collector = HealthCollector()
    analysis = analyze(list(paths), now=now, collector=collector)
    return collector.summarize(analysis)


def codes(summary: Summary) -> list[str]:
    return [finding.code for finding in summary.findings]


def test_a_connector_that_waited_for_its_certificate_then_stopped() -> None:
    summary = summarize(str(SAMPLES / "certificate-wait"))
    assert codes(summary) == ["connector_stopped", "certificate_missing", "restarts"]
    stopped, missing, restarts = summary.findings
    assert (stopped.severity, stopped.message) == (
        "error",
        "the connector said it is stopping at 2023-02-26T20:19:12.431-08:00 after waiting for its "
        "certificate and did not start again: nothing syncs until it does",
    )
    assert [(e.line, iso(e.time)) for e in stopped.evidence] == [(20, "2023-02-26T20:19:12.431-08:00")]
    assert missing.severity == "error"
    assert missing.message == (
        "the connector waited for its certificate 11 times (last at 2023-02-26T20:18:12.431-08:00) "
        "and has not synced since"
    )
    assert [(e.line, iso(e.time)) for e in missing.evidence] == [(19, "2023-02-26T20:18:12.431-08:00")]
    assert restarts.severity == "warning"
    assert [e.line for e in restarts.evidence] == [1, 7, 13]
    assert summary.cycles == 0
    assert [a.code for a in summary.advice] == ["check_certmgr"]


def test_a_stalled_connector(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30").cycles("2026-03-02 12:00", "2026-03-02 12:30")
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"), now=datetime(2026, 3, 2, 14, 0))
    assert codes(summary) == ["connector_stalled"]
    (stalled,) = summary.findings
    assert stalled.message == (
        "no cycle for 1h 35m between 2026-03-02T10:25:00-04:00 and 2026-03-02T12:00:00-04:00; "
        "no cycle for the last 1h 35m (last cycle at 2026-03-02T12:25:00-04:00) — more than 3 intervals of 5m"
    )
    assert [e.line for e in stalled.evidence] == [31, 56]
    assert [a.code for a in summary.advice] == ["check_connector"]


def test_of_stalls_of_one_length_the_latest_are_shown(tmp_path: Path) -> None:
    """Six stalls of 1h 35m each: the evidence keeps MAX_EVIDENCE (5) of the longest gaps, and
    of equal ones the later (the first, 08:25 to 10:00, is left out)."""
    log = Log()
    for hour in range(8, 22, 2):
        log.cycles(f"2026-03-02 {hour}:00", f"2026-03-02 {hour}:30")
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"), now=datetime(2026, 3, 2, 20, 30))
    (stalled,) = summary.findings
    assert stalled.code == "connector_stalled"
    assert stalled.message.count("no cycle for 1h 35m between") == MAX_EVIDENCE == 5
    assert stalled.message.startswith(
        "no cycle for 1h 35m between 2026-03-02T10:25:00-04:00 and 2026-03-02T12:00:00-04:00; "
    )
    assert [e.line for e in stalled.evidence] == [61, 91, 121, 151, 181]


def test_a_stall_after_an_excerpt_without_cycle_starts_names_no_restart(tmp_path: Path) -> None:
    """`grep "Total received users to add"` of the demo log keeps every cycle's totals, not
    their starts: the stall runs from the last totals (16:00:05.507), and no restart is made
    up. (A pasted excerpt, whose lines someone chose, shows no stall: see test_excerpts.)"""
    lines = (SAMPLES / "CloudUserSync.log").read_bytes().splitlines(keepends=True)
    path = tmp_path / "totals.log"
    path.write_bytes(b"".join(line for line in lines if b"Total received users to add" in line))
    now = datetime(2026, 11, 26, 13, 36, 6)
    summary = summarize(str(path), now=now.replace(tzinfo=PST))
    stalled = next(finding for finding in summary.findings if finding.code == "connector_stalled")
    assert stalled.message == (
        "no cycle for the last 21h 36m (last cycle's totals at 2026-11-25T16:00:05.507-08:00) — "
        "more than 3 intervals of 5m"
    )


def test_a_stalled_connector_is_told_to_be_checked_where_it_stopped(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"), now=datetime(2026, 3, 2, 10, 46))
    assert codes(summary) == ["connector_stalled"]
    assert [(a.code, a.text) for a in summary.advice] == [
        (
            "check_connector",
            "Check that SMS_CLOUD_USERSYNC is running (Configuration Manager Service Manager) and "
            "read smsexec.log around 2026-03-02T10:25:00-04:00 for why the connector stopped "
            "cycling.",
        )
    ]
    # at 3 intervals exactly it is not stalled yet: no finding, no advice
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"), now=datetime(2026, 3, 2, 10, 40))
    assert (codes(summary), summary.advice) == ([], [])


@pytest.mark.parametrize(
    ("path", "more"),
    [
        (SAMPLES / "cmtrace" / "CloudUserSync.log", ""),
        (None, " (nor in the other gaps the finding lists)"),
    ],
)
def test_a_stall_that_is_over_is_advice_about_the_past(tmp_path: Path, path: Path | None, more: str) -> None:
    """The connector cycles again at the log's end: its stall is over, so the advice says where
    to read why it paused, not that it should be checked to be running."""
    if path is None:
        log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
        log.cycles("2026-03-02 12:00", "2026-03-02 12:30").cycles("2026-03-02 14:00", "2026-03-02 14:30")
        path = Path(log.write(tmp_path / "CloudUserSync.log"))
        gap = ("2026-03-02T10:25:00-04:00", "2026-03-02T12:00:00-04:00")
    else:
        gap = ("2014-09-14T10:28:50.436-04:00", "2014-09-15T10:24:08.400-04:00")
    summary = summarize(str(path))
    assert summary.findings[0].code == "connector_stalled"
    assert (summary.advice[-1].code, summary.advice[-1].text) == (
        "past_stall",
        f"The connector did not cycle from {gap[0]} to {gap[1]}{more} and has cycled since: read "
        "smsexec.log from then for why it paused (a stop of SMS Executive or of the server "
        "leaves the same gap).",
    )


@pytest.mark.parametrize(
    ("path", "options", "fact", "shown"),
    [
        ("CloudUserSync.log", [], "cycles\t398\t300.037\tobserved", "398 cycles every 5m ·"),
        ("CloudUserSync.log", ["--interval", "10m"], "cycles\t398\t600\tgiven",
         "398 cycles every 10m (--interval) ·"),
        ("pasted/ticket.txt", [], "cycles\t2\t300\tdefault",
         "2 cycles every 5m (the default: the input shows no two cycles in a row near enough to measure it) ·"),
    ],
)
def test_the_interval_says_how_it_is_known(path: str, options: list[str], fact: str, shown: str) -> None:
    given = [str(SAMPLES / path), *options]
    text = CliRunner().invoke(app, ["summary", "--format", "text", *given])
    assert text.stdout.splitlines()[1] == fact
    table = CliRunner().invoke(app, ["summary", "--format", "table", "--color", "never", *given])
    assert shown in " ".join(table.stdout.split())
    basis = fact.rsplit("\t", 1)[1]
    document = json.loads(CliRunner().invoke(app, ["summary", "--format", "json", *given]).stdout)
    assert (document["interval_observed"], document["interval_basis"]) == (basis == "observed", basis)
    report = json.loads(CliRunner().invoke(app, ["report", "--format", "json", *given]).stdout)
    assert (report["summary"]["interval_observed"], report["summary"]["interval_basis"]) == (
        basis == "observed", basis,
    )
    markdown = CliRunner().invoke(app, ["summary", "--format", "markdown", *given]).stdout
    assert f"Cycles: {shown.split(' cycles')[0]}, every {shown.split(' every ')[1][:-2]}." in markdown


def test_a_stall_now_after_an_earlier_gap_is_read_about_where_it_began(tmp_path: Path) -> None:
    """The demo log without its hours 12 and 13 of the first day: a gap then, and, judged at
    17:00 the next day, a stall now. The advice points at the stall now (the last cycle), and
    users stuck now come before a gap that is over."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "CloudUserSync.log"
    path.write_text("".join(line for line in lines if "<11-24-2026 12:" not in line and "<11-24-2026 13:" not in line))
    now = summarize(str(path), now=datetime(2026, 11, 25, 17, 0))
    assert now.advice[0].code == "check_connector"
    assert "read smsexec.log around 2026-11-25T16:04:55.644-08:00 for why" in now.advice[0].text
    over = summarize(str(path))
    assert [a.code for a in over.advice] == [
        "restart_sms_executive", "check_azure_ad", "dirsync_schedule", "past_stall",
    ]
    assert over.advice[-1].text.startswith(
        "The connector did not cycle from 2026-11-24T11:55:04.394-08:00 to "
        "2026-11-24T14:00:04.519-08:00 and has cycled since"
    )


def test_the_times_in_findings_and_advice_are_in_the_zone_shown() -> None:
    """SPEC §4 rule 8: `--tz` converts all output, the times written in findings and advice
    too (they were as logged)."""
    cmtrace = str(SAMPLES / "cmtrace" / "CloudUserSync.log")
    text = CliRunner().invoke(app, ["summary", "--format", "text", "--tz", "UTC", cmtrace]).stdout
    assert (
        "no cycle for 23h 55m between 2014-09-14T14:28:50.436+00:00 and "
        "2014-09-15T14:24:08.400+00:00"
    ) in text
    assert "The connector did not cycle from 2014-09-14T14:28:50.436+00:00 to" in text
    restarts = CliRunner().invoke(
        app, ["summary", "--format", "json", "--tz", "UTC", str(SAMPLES / "certificate-wait")]
    )
    finding = next(f for f in json.loads(restarts.stdout)["findings"] if f["code"] == "restarts")
    assert finding["message"].endswith("2023-02-27T03:53:46.420+00:00, "
        "2023-02-27T04:03:59.423+00:00, 2023-02-27T04:14:12.426+00:00")
    as_logged = summarize(cmtrace)  # (and the library's own summary stays as logged)
    assert "2014-09-14T10:28:50.436-04:00" in as_logged.findings[0].message


def test_stalls_are_listed_in_time_order_and_one_of_three_intervals_is_none(tmp_path: Path) -> None:
    """Two gaps that are over, the longer first: listed in time order, and the past-stall
    advice names the first. A gap of exactly three intervals (15m) is no stall."""
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
    log.cycles("2026-03-02 12:30", "2026-03-02 13:00").cycles("2026-03-02 14:00", "2026-03-02 14:30")
    summary = summarize(log.write(tmp_path / "gaps.log"))
    (stalled,) = summary.findings
    assert (stalled.code, stalled.severity, stalled.message) == (
        "connector_stalled",
        "warning",
        "no cycle for 2h 05m between 2026-03-02T10:25:00-04:00 and 2026-03-02T12:30:00-04:00; "
        "no cycle for 1h 05m between 2026-03-02T12:55:00-04:00 and 2026-03-02T14:00:00-04:00 — "
        "more than 3 intervals of 5m",
    )
    assert [a.text for a in summary.advice] == [
        "The connector did not cycle from 2026-03-02T10:25:00-04:00 to 2026-03-02T12:30:00-04:00 "
        "(nor in the other gaps the finding lists) and has cycled since: read smsexec.log from "
        "then for why it paused (a stop of SMS Executive or of the server leaves the same gap).",
    ]
    exact = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30").cycles("2026-03-02 10:40", "2026-03-02 11:10")
    summary = summarize(exact.write(tmp_path / "exact.log"))
    assert (codes(summary), summary.advice) == ([], [])


def test_a_stall_since_a_restart_names_it_as_evidence(tmp_path: Path) -> None:
    """A restart and no cycle after it for more than three intervals: the stall runs from the
    restart, which is its evidence and where to read smsexec.log."""
    log = Log().cycles("2026-03-02 08:00", "2026-03-02 08:30").restart("2026-03-02 09:00:00")
    path = log.write(tmp_path / "CloudUserSync.log")
    summary = summarize(path, now=datetime(2026, 3, 2, 9, 15, 1))
    stalled = summary.findings[0]
    assert (stalled.code, stalled.severity, stalled.message) == (
        "connector_stalled",
        "warning",
        "no cycle for the last 15m (last restart at 2026-03-02T09:00:00-04:00) — more than 3 "
        "intervals of 5m",
    )
    assert [(e.source, e.line) for e in stalled.evidence] == [(path, 31)]
    assert [(a.code, a.text) for a in summary.advice] == [
        (
            "check_connector",
            "Check that SMS_CLOUD_USERSYNC is running (Configuration Manager Service Manager) and "
            "read smsexec.log around 2026-03-02T09:00:00-04:00 for why the connector stopped "
            "cycling.",
        )
    ]


def test_the_next_user_held_back_since_before_the_input_is_expected_by_a_bound(tmp_path: Path) -> None:
    """The demo log's last 50 lines: its waiting users were held back since before them, so
    when the next recovers is a latest bound ("by"), as report and check say."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(True)
    path = tmp_path / "tail.log"
    path.write_text("".join(lines[-50:]), encoding="utf-8")
    stuck = next(f for f in summarize(str(path)).findings if f.code == "stuck_users")
    assert stuck.message == (
        "3 users wait for the 24 h full sync; the next (bob@contoso.com) is expected by "
        "2026-11-26T15:35:06.078-08:00"
    )
    whole = next(f for f in summarize(str(SAMPLES / "CloudUserSync.log")).findings if f.code == "stuck_users")
    assert " is expected at 2026-11-26T09:15:03.266-08:00" in whole.message


def test_a_restart_in_between_is_not_a_stall(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:30")
    log.at("2026-03-02 10:26:00", "SMS_CLOUD_USERSYNC is stopping...")
    log.restart("2026-03-02 11:50:00")
    log.cycles("2026-03-02 11:50:30", "2026-03-02 12:30")
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"))
    assert codes(summary) == ["restarts"]
    assert summary.findings[0].severity == "info"


def test_demo_day_findings_and_advice() -> None:
    summary = summarize(str(SAMPLES / "CloudUserSync.log"))
    assert codes(summary) == ["stuck_users", "overdue_users", "fails_at_every_full_sync"]
    stuck, overdue, again = summary.findings
    assert stuck.message == (
        "3 users wait for the 24 h full sync; the next (bob@contoso.com) is expected at "
        "2026-11-26T09:15:03.266-08:00"
    )
    assert overdue.message == "1 user passed the expected recovery with no retry logged (ivan@contoso.com)"
    assert [(e.line, iso(e.time)) for e in overdue.evidence] == [(99, "2026-11-24T08:20:08.636-08:00")]
    assert again.message == (
        "1 user failed again at every full sync since its first failure (heidi@contoso.com 2 "
        "times): no timer will add it while the UPN is not in Azure AD"
    )
    assert [(e.line, iso(e.time)) for e in again.evidence] == [(2527, "2026-11-25T10:10:08.506-08:00")]
    assert [a.code for a in summary.advice] == [
        "restart_sms_executive", "check_azure_ad", "dirsync_schedule", "fix_other_failures",
    ]
    # a restart's full sync retries every UserNotFound user, the overdue one too
    assert summary.advice[0].text.endswith(
        "retry 3 waiting users (bob@contoso.com, erin@contoso.com, heidi@contoso.com) up to "
        "22h 29m sooner and 1 overdue user (ivan@contoso.com)."
    )
    # held-back users are notified in every cycle: counted apart from the users tried
    assert {
        day: (c.requested, c.held_back, c.added, c.failed) for day, c in summary.per_day.items()
    } == {
        "2026-11-24": (6, 548, 2, 4),
        "2026-11-25": (6, 486, 2, 3),
    }
    assert dict(summary.reasons) == {"UserNotFound": 6, "LicenseLimitReached": 1}


@pytest.mark.parametrize(
    ("kept", "added"),
    [
        (("Total received users to add", "Starting user"), (2, 2)),  # (totals alone)
        (("Failed to add user", "Starting user"), (0, 0)),  # (failure lines alone)
        (("Failed to add user", "Total received users to add"), (2, 2)),
    ],
    ids=["totals", "failure lines", "both"],
)
def test_a_day_s_failed_adds_are_its_failure_lines_and_what_its_totals_count_beyond(
    tmp_path: Path, kept: tuple[str, ...], added: tuple[int, int]
) -> None:
    """An excerpt of the demo log's cycle totals (`grep "Total received users to add"`) showed
    two clean days beside its own finding of 7 failed adds: a day's failures were its failure
    lines alone. The failed adds a cycle's totals count beyond its failure lines count too."""
    lines = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines(keepends=True)
    path = tmp_path / "excerpt.log"
    path.write_text("".join(line for line in lines if line.startswith(kept)), "utf-8")
    summary = summarize(str(path))
    assert [(day, c.failed, c.added) for day, c in summary.per_day.items()] == [
        ("2026-11-24", 4, added[0]),
        ("2026-11-25", 3, added[1]),
    ]


def _later(line: str, by: timedelta) -> str:
    """An SMS-trace line `by` later by its clock."""
    head, mark, tail = line.partition("><")
    when = datetime.strptime(tail[:23], "%m-%d-%Y %H:%M:%S.%f") + by
    return f"{head}{mark}{when:%m-%d-%Y %H:%M:%S.%f}"[:-3] + tail[23:]


def test_a_failure_whose_cycle_s_totals_come_after_midnight_counts_once(tmp_path: Path) -> None:
    """The demo log 16:19:51.4 later: carol fails at 23:59:59.929, her cycle's totals come at
    00:00:00.066 the next day. Her failure is the day of its line, counted once."""
    lines = (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig").splitlines(keepends=True)
    shifted = [_later(line, timedelta(hours=16, minutes=19, seconds=51.4)) for line in lines[:60]]
    assert "11-24-2026 23:59:59.929" in shifted[46] and "11-25-2026 00:00:00.066" in shifted[47]
    path = tmp_path / "CloudUserSync.log"
    path.write_text("".join(shifted), "utf-8")
    summary = summarize(str(path))
    assert [(day, c.requested, c.failed, c.added) for day, c in summary.per_day.items()] == [
        ("2026-11-24", 1, 1, 0),
        ("2026-11-25", 0, 0, 0),
    ]


def test_smsexec_and_cloudusersync_report_one_restart_once() -> None:
    day = SAMPLES / "restart-day"
    summary = summarize(str(day / "CloudUserSync.log"), str(day / "smsexec.log"))
    assert [iso(r.time) for r in summary.restarts] == ["2026-03-02T07:59:56-05:00", "2026-03-02T13:00:12.500-05:00"]
    assert codes(summary) == ["stuck_users", "fails_at_every_full_sync", "restarts"]


def test_status_failures_from_statmsg_and_messages(tmp_path: Path) -> None:
    log = Log().cycles("2026-03-02 10:00", "2026-03-02 10:10")
    log.at(
        "2026-03-02 10:06:00",
        'STATMSG: ID=6203 SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" SYS=CM01 SITE=PS1 PID=2240 TID=5616',
    )
    log.at("2026-03-02 10:07:00", "User delta sync failed with error 0x80004005")
    log.at("2026-03-02 10:08:00", "Skipping user with empty user principal name")
    summary = summarize(log.write(tmp_path / "CloudUserSync.log"))
    assert codes(summary) == ["status_failures"]
    assert summary.findings[0].message == "3 status messages or log line(s) report failing syncs or bad user data"
    assert [e.line for e in summary.findings[0].evidence] == [11, 12, 13]


def test_summary_json_through_the_cli() -> None:
    result = CliRunner().invoke(app, ["summary", "--format", "json", str(SAMPLES / "certificate-wait")])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) == {
        "span", "as_of", "cycles", "interval_s", "interval_observed", "interval_basis",
        "restarts", "per_day", "reasons", "findings", "advice",
    }
    assert (document["cycles"], document["interval_s"], document["interval_observed"]) == (0, 300, False)
    # with no two cycles there is no interval to speak of: people's formats leave it out
    for fmt, line in (("markdown", "Cycles: 0."), ("html", "0 cycles · 3 restarts")):
        page = CliRunner().invoke(app, ["summary", "--format", fmt, str(SAMPLES / "certificate-wait")])
        assert line in page.stdout and "every 5m" not in page.stdout, fmt
    assert document["span"] == {"start": "2023-02-26T19:53:46.420-08:00", "end": "2023-02-26T20:19:12.431-08:00"}
    assert document["as_of"] == document["span"]["end"]
    assert [f["code"] for f in document["findings"]] == [
        "connector_stopped", "certificate_missing", "restarts",
    ]

def test_summary_text_holds_what_the_table_shows(in_root: Path) -> None:
    text = CliRunner().invoke(app, ["summary", "--format", "text", "sample_logs/certificate-wait"])
    log = "sample_logs/certificate-wait/CloudUserSync.log"
    assert text.stdout.splitlines() == [
        "span\t2023-02-26T19:53:46.420-08:00\t2023-02-26T20:19:12.431-08:00",
        "cycles\t0\t300\tdefault",
        f"restart\t2023-02-26T19:53:46.420-08:00\t{log}:1",
        f"restart\t2023-02-26T20:03:59.423-08:00\t{log}:7",
        f"restart\t2023-02-26T20:14:12.426-08:00\t{log}:13",
        "error\tconnector_stopped\tthe connector said it is stopping at 2023-02-26T20:19:12.431-08:00 "
        f"after waiting for its certificate and did not start again: nothing syncs until it does\t{log}:20",
        "error\tcertificate_missing\tthe connector waited for its certificate 11 times (last at "
        f"2023-02-26T20:18:12.431-08:00) and has not synced since\t{log}:19",
        "warning\trestarts\tSMS_CLOUD_USERSYNC started 3 times: 2023-02-26T19:53:46.420-08:00, "
        f"2023-02-26T20:03:59.423-08:00, 2023-02-26T20:14:12.426-08:00\t{log}:1",
        "advice\tcheck_certmgr\tCheck CertMgr.log on the site server: the connector cannot sync "
        "users until Certmgr installs its certificate.\t-",
    ]
    demo = CliRunner().invoke(app, ["summary", "--format", "text", "sample_logs/CloudUserSync.log"])
    assert [line for line in demo.stdout.splitlines() if line.startswith(("day", "reason"))] == [
        "day\t2026-11-24\t6\t548\t2\t4",
        "day\t2026-11-25\t6\t486\t2\t3",
        "reason\tUserNotFound\t6",
        "reason\tLicenseLimitReached\t1",
    ]



@pytest.mark.parametrize("native", [True, False])
def test_the_span_ends_at_the_latest_record_not_the_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, native: bool
) -> None:
    """The public lab's CloudUserSync.log writes 20:14:12.429 and then 20:14:12.427 on the same
    thread: the span, `as_of` and the note that the log ended use the latest record."""
    if not native:
        monkeypatch.setattr("logsync.accel.native", None)
    lab = (SAMPLES / "certificate-wait" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    path = tmp_path / "CloudUserSync.log"
    path.write_text("".join(lab.splitlines(keepends=True)[12:15]), encoding="utf-8")
    written = re.findall(r"20:14:12\.\d+", path.read_text())
    assert written == ["20:14:12.426", "20:14:12.429", "20:14:12.427"]
    summary = summarize(str(path))
    assert (iso(summary.start), iso(summary.end)) == (
        "2023-02-26T20:14:12.426-08:00", "2023-02-26T20:14:12.429-08:00",
    )
    result = CliRunner().invoke(app, ["report", "--format", "json", str(path)])
    assert json.loads(result.stdout)["as_of"] == "2023-02-26T20:14:12.429-08:00"
    assert result.stderr == (
        "logsync: the log ends 2023-02-26T20:14:12.429-08:00 (3y 272d ago); times are as of "
        "its last record; --now now judges as of now\n"
    )


def test_dirsync_advice_names_both_directory_syncs_and_the_waits_the_log_shows() -> None:
    """Issue 27 item 9: "Shorten the DirSync interval (3 hours by default)" was the advice of
    2014; Azure AD Connect syncs every 30 minutes by default."""
    (advice,) = [a for a in summarize(str(SAMPLES / "CloudUserSync.log")).advice if a.code == "dirsync_schedule"]
    assert advice.text == (
        "5 users failed with UserNotFound on their first try: user discovery found them before "
        "directory sync had put them in Azure AD. 1 of them waited 24h 05m from that try to its add "
        "(carol@contoso.com). Avoiding the 24 h wait takes directory sync before the connector's "
        "first try, at most one cycle (5m) after discovery: shorter than either default sync "
        "interval (DirSync's was 3 hours, Azure AD Connect's is 30 minutes), so schedule user "
        "discovery after the directory sync cycle."
    )
    restart_day = [str(SAMPLES / "restart-day" / "CloudUserSync.log"), str(SAMPLES / "restart-day" / "smsexec.log")]
    collector = HealthCollector()
    analysis = analyze(restart_day, collector=collector, interval=timedelta(hours=1))
    (advice,) = [a for a in collector.summarize(analysis).advice if a.code == "dirsync_schedule"]
    assert advice.text == (
        "2 users failed with UserNotFound on their first try: user discovery found them before "
        "directory sync had put them in Azure AD. 1 of them waited 4h 01m from that try to its add "
        "(xavier@fabrikam.com). Avoiding the 24 h wait takes directory sync before the connector's "
        "first try, at most one cycle (1h 00m) after discovery: a sync interval under 1h 00m would "
        "have avoided it (Azure AD Connect's default of 30 minutes is; DirSync's default of 3 hours "
        "is not), or schedule user discovery after the directory sync cycle."
    )


def test_a_summary_judged_after_its_log_ends_keeps_the_log_s_span() -> None:
    """`summary --now` a week after the demo log's end: its span ran to the judgement (the
    table read "2026-11-24 … → 2026-12-02 …" for a log that ends on the 25th); it ends with
    the log, and the judgement is said apart. `--now` inside the log ends the span there."""
    demo = str(SAMPLES / "CloudUserSync.log")
    later = CliRunner().invoke(app, ["summary", "--format", "json", "--now", "2026-12-02T12:00", demo])
    document = json.loads(later.stdout)
    assert (document["span"], document["as_of"]) == (
        {"start": "2026-11-24T06:59:55.211-08:00", "end": "2026-11-25T16:04:59.644-08:00"},
        "2026-12-02T12:00:00-08:00",
    )
    text = CliRunner().invoke(app, ["summary", "--format", "text", "--now", "2026-12-02T12:00", demo])
    assert text.stdout.splitlines()[:2] == [
        "span\t2026-11-24T06:59:55.211-08:00\t2026-11-25T16:04:59.644-08:00",
        "as_of\t2026-12-02T12:00:00-08:00",
    ]
    table = CliRunner().invoke(
        app, ["summary", "--format", "table", "--color", "never", "--now", "2026-12-02T12:00", demo],
        env={"COLUMNS": "200"},
    )
    assert table.stdout.splitlines()[0].startswith(
        "Connector summary · 2026-11-24 06:59:55 -08:00 → 2026-11-25 16:04:59 -08:00 (judged as "
        "of 2026-12-02 12:00:00 -08:00) · 398 cycles every 5m"
    )
    inside = CliRunner().invoke(app, ["summary", "--format", "text", "--now", "2026-11-25T08:00", demo])
    assert inside.stdout.splitlines()[0] == (
        "span\t2026-11-24T06:59:55.211-08:00\t2026-11-25T08:00:00-08:00"
    )


@pytest.mark.parametrize("bias", [480, 0, -330])
def test_the_days_of_a_summary_in_tz_are_that_zone_s_whatever_the_log_s_bias(
    tmp_path: Path, bias: int
) -> None:
    log = tmp_path / "CloudUserSync.log"
    log.write_text(rebiased((SAMPLES / "CloudUserSync.log").read_text("utf-8-sig"), bias))
    result = CliRunner().invoke(app, ["summary", "--tz", "UTC", "--format", "json", str(log)])
    document = json.loads(result.stdout)
    assert [tuple(day.values()) for day in document["per_day"]] == [
        ("2026-11-24", 6, 260, 2, 4),
        ("2026-11-25", 5, 771, 2, 3),
        ("2026-11-26", 1, 3, 0, 0),  # (the log ends 2026-11-26T00:04:59Z)
    ]
    assert document["span"]["end"] == "2026-11-26T00:04:59.644+00:00"


def test_a_waiting_user_whose_expected_recovery_passed_is_said_to_be_late(tmp_path: Path) -> None:
    """The demo log to 08:30 on 11-25, ivan notified in the cycles at 08:25 and 08:30 (after his
    full sync was due at 08:20:08) and not received: he waits out the grace of two intervals
    (SPEC §4 rule 6). The summary said "the next (ivan) is expected at 08:25:04", a time past
    with no retry; it says so, and when he is overdue."""
    lines = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines(keepends=True)
    trailer = "  $$<SMS_CLOUD_USERSYNC><11-25-2026 {}+480><thread=5616 (0x15F0)>\r\n"
    notified = "NotifyAccountAddition - SCCM user to add = ivan@contoso.com" + trailer
    text = [*lines[:2385], notified.format("08:25:04.700"), *lines[2385:2390]]
    text += [notified.format("08:30:04.700"), *lines[2390:2392]]
    path = tmp_path / "CloudUserSync.log"
    path.write_text("".join(text), encoding="utf-8")
    summary = summarize(str(path))
    (stuck,) = [f for f in summary.findings if f.code == "stuck_users"]
    assert stuck.message == (
        "2 users wait for the 24 h full sync; the next (ivan@contoso.com) was expected at "
        "2026-11-25T08:25:04.296-08:00, with no retry logged since: overdue from "
        "2026-11-25T08:35:04.370-08:00 if none comes"
    )
    pst = timezone(timedelta(hours=-8))
    for now, said in (
        (datetime(2026, 11, 25, 8, 25, 4, 296000, tzinfo=pst), "was expected"),
        (datetime(2026, 11, 25, 8, 25, 4, 295999, tzinfo=pst), "is expected"),
    ):
        (stuck,) = [f for f in summarize(str(path), now=now).findings if f.code == "stuck_users"]
        assert f"the next (ivan@contoso.com) {said} at 2026-11-25T08:25:04." in stuck.message
    whole = summarize(str(SAMPLES / "CloudUserSync.log"))
    (stuck,) = [f for f in whole.findings if f.code == "stuck_users"]
    assert stuck.message == (
        "3 users wait for the 24 h full sync; the next (bob@contoso.com) is expected at "
        "2026-11-26T09:15:03.266-08:00"
    )


def test_two_times_are_one_restart_within_the_disorder_of_threads_only() -> None:
    """A restart's two lines are one within a second (the disorder of a log's threads); a time
    without an offset and one with an offset are never near (nothing says where one is), and a
    restart with no time is near only another with none."""
    from logsync.health.collector import _near

    at = datetime(2026, 11, 25, 10, 0, tzinfo=PST)
    second, micro = timedelta(seconds=1), timedelta(microseconds=1)
    assert [_near(at, at + step) for step in (second, second + micro, -second, -second - micro)] == [
        True, False, True, False
    ]
    naive = at.replace(tzinfo=None)
    assert (_near(at, naive), _near(naive, at), _near(naive, naive + second)) == (False, False, True)
    assert (_near(None, None), _near(None, at), _near(at, None)) == (True, False, False)


def test_a_try_its_cycle_did_not_receive_is_held_back_in_the_days_counts() -> None:
    """The newer half alone: jan's first notification in it (10:15) comes before the cycle's
    totals show him not received (held back since before the log, rule 2b). The day counted
    it a try, `3 tried, 14 held back`, where `timeline jan` says held back: 2 tried (kim,
    lea), 15 held back. The folder, whose older half shows jan's failure, is unchanged."""
    [day] = summarize(str(SAMPLES / "rotated" / "CloudUserSync.log")).per_day.values()
    assert (day.requested, day.held_back, day.added, day.failed) == (2, 15, 2, 0)
    [day] = summarize(str(SAMPLES / "rotated")).per_day.values()
    assert (day.requested, day.held_back, day.added, day.failed) == (3, 26, 2, 1)


def test_a_cycle_s_tries_beyond_its_received_count_are_held_back_across_batches() -> None:
    """The tracker's rows come in batches: a cycle's notifications may be counted in one and
    its totals read in the next. Two tries, one received: one is held back, whichever batch
    counted it (never a count below zero)."""
    from logsync.events import AddTotals

    zone = timezone.utc
    rows = [
        (0, zone, "sync_started", None, "a.log", 1),
        (1, zone, "user_add_requested", ("ann@contoso.com",), "a.log", 2),
        (2, zone, "user_add_requested", ("bob@contoso.com",), "a.log", 3),
        (3, zone, "add_totals", AddTotals(1, 1), "a.log", 4),
    ]
    for cut in range(1, 4):
        collector = HealthCollector()
        first, rest = rows[:cut], rows[cut:]
        collector.rows(first, [False] * sum(1 for row in first if row[2] == "user_add_requested"))
        collector.rows(rest, [False] * sum(1 for row in rest if row[2] == "user_add_requested"))
        [day] = collector.per_day.values()
        assert (day.requested, day.held_back, day.added, day.failed) == (1, 1, 1, 0), cut
