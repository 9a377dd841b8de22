"""The command line: formats, the JSON contract, exit codes, JUnit, through CliRunner and a real process."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import threading
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app

from .conftest import LOGSYNC, SAMPLES, run_installed
from .logtext import Log

runner = CliRunner()
DEMO = str(SAMPLES / "CloudUserSync.log")
SPEC_CASE = str(SAMPLES / "spec-case" / "CloudUserSync.log")
USER_KEYS = {
    "upn",
    "state",
    "reason",
    "first_failure",
    "last_failure",
    "failures",
    "full_sync_due",
    "expected_recovery",
    "recovered_at",
    "synced_at",
    "seconds_remaining",
}


def run(*args: str, stdin: str | bytes | None = None, columns: int = 80):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": str(columns)})


def logsync(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed program in a real process, as a shell or CI would run it."""
    return subprocess.run(
        [LOGSYNC, *args], input=stdin, capture_output=True, timeout=120
    )


def test_report_json_contract() -> None:
    result = run("report", "--format", "json", DEMO)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document) >= {"as_of", "inputs", "users", "summary"}
    assert document["as_of"] == "2026-11-25T16:04:59.644-08:00"
    (source,) = document["inputs"]
    assert {
        k: source[k] for k in ("path", "format", "encoding", "lines", "records", "unparsed")
    } == {
        "path": DEMO,
        "format": "sms-trace",
        "encoding": "utf-8-sig",
        "lines": 3041,
        "records": 3041,
        "unparsed": 0,
    }
    assert [(u["upn"], u["state"]) for u in document["users"]] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("erin@contoso.com", "waiting"),
        ("ivan@contoso.com", "overdue"),
        ("dave@contoso.com", "failed"),
    ]
    assert all(set(u) >= USER_KEYS for u in document["users"])
    assert {
        k: document["summary"][k]
        for k in (
            "waiting",
            "overdue",
            "recovered",
            "synced",
            "failed",
            "pending",
            "cycles",
            "restarts",
        )
    } == {
        "waiting": 3,
        "overdue": 1,
        "recovered": 1,
        "synced": 3,
        "failed": 1,
        "pending": 1,
        "cycles": 398,
        "restarts": 1,
    }
    bob = document["users"][0]
    assert bob["full_sync_due"] == "2026-11-26T09:10:08.462-08:00"
    # the last cycle (16:04:55.644) plus 206 median gaps of 300.037 s
    assert bob["expected_recovery"] == "2026-11-26T09:15:03.266-08:00"
    assert bob["seconds_remaining"] == 61803.622
    assert document["connector"] == {
        "state": "running",
        "problem": None,
        "since": None,
        "last_cycle": "2026-11-25T16:04:55.644-08:00",
        "last_restart": "2026-11-24T06:59:55.211-08:00",
        "problems": [],
        "text": "connector running, last cycle 2026-11-25T16:04:55.644-08:00",
        "evidence": None,
        "causes": [],
    }


def test_report_all_ndjson_text_and_csv_agree() -> None:
    ndjson = [
        json.loads(line)
        for line in run("report", "--all", "--format", "ndjson", DEMO).stdout.splitlines()
    ]
    text = [
        line.split("\t")
        for line in run("report", "--all", "--format", "text", DEMO).stdout.splitlines()
    ]
    rows = list(csv.DictReader(io.StringIO(run("report", "--all", "--format", "csv", DEMO).stdout)))
    assert len(ndjson) == len(text) == len(rows) == 10
    assert [u["upn"] for u in ndjson] == [t[0] for t in text] == [r["upn"] for r in rows]
    assert text[-1] == [
        "Mallory.Admin@Contoso.com",
        "synced",
        "-",
        "-",
        "-",
        "0",
        "-",
        "-",
        "-",
        "-",
        "2026-11-25T09:10:12.073-08:00",
        "-",
    ]
    assert rows[0]["seconds_remaining"] == "61803.622"


def test_report_user_glob_tz_and_now() -> None:
    result = run(
        "report",
        "--all",
        "--format",
        "json",
        "--user",
        "SCOTT@*",
        "--tz",
        "UTC",
        "--now",
        "2014-09-15 10:00",
        SPEC_CASE,
    )
    document = json.loads(result.stdout)
    (scott,) = document["users"]
    # as of 10:00 local the add at 10:24 has not happened: it is left out
    assert document["as_of"] == "2014-09-15T14:00:00+00:00"
    assert (scott["state"], scott["recovered_at"]) == ("waiting", None)
    assert scott["expected_recovery"] == "2014-09-15T14:24:08.402+00:00"
    assert scott["expected_recovery_observed"] is False
    assert result.stderr == "logsync: as of 2014-09-15T14:00:00+00:00: 30 later records left out\n"


def test_report_table_on_a_terminal_shows_stuck_users_and_a_footer() -> None:
    result = run("report", "--format", "table", "--color", "never", DEMO, columns=300)
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0] == (
        "as of 2026-11-25 16:04:59 -08:00 · 3041 lines · 398 cycles · 1 restart · "
        "connector running"
    )
    assert "bob@contoso.com" in lines[3] and "waiting" in lines[3] and "in 17h 10m" in lines[3]
    assert lines[-2] == (
        "4 stuck · next recovery 2026-11-26 09:15:03 -08:00 (in 17h 10m) · 1 overdue · "
        "1 failed: LicenseLimitReached · 1 recovered, 3 synced, 1 pending"
    )
    assert lines[-1] == (  # what to do next: the first advice
        "Next: Restart the SMS Executive service on the site server with the service connection "
        "point to force a full sync: it would retry 3 waiting users (bob@contoso.com, "
        "erin@contoso.com, heidi@contoso.com) up to 22h 29m sooner and 1 overdue user "
        "(ivan@contoso.com)."
    )
    quiet = run("report", "--format", "table", "--color", "never", "--quiet", DEMO, columns=300)
    assert quiet.stdout.splitlines()[-1].rstrip() == lines[-2]


def test_the_next_step_of_a_log_that_ended_long_ago_is_as_of_its_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ten days after the demo log ends, every time its advice names is past: the line says it
    is as of the log's end, and how to judge as of now (it read as an instruction for now)."""
    from datetime import datetime, timezone

    later = datetime(2026, 12, 5, 22, 4, 59, 644000, tzinfo=timezone.utc)
    monkeypatch.setattr("logsync.times.wall_clock", lambda: later)
    result = run("report", "--format", "table", "--color", "never", DEMO, columns=500)
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0].startswith("as of 2026-11-25 16:04:59 -08:00 (the log's end, 9d 22h ago) ·")
    assert lines[-1] == (
        "Next, as of the log's end 9d 22h ago (--now now judges as of now): Restart the SMS "
        "Executive service on the site server with the service connection point to force a "
        "full sync: it would retry 3 waiting users (bob@contoso.com, erin@contoso.com, "
        "heidi@contoso.com) up to 22h 29m sooner and 1 overdue user (ivan@contoso.com)."
    )
    # the advice covers every user, whichever are listed (carol recovered)
    carol = run("report", "--format", "table", "--color", "never", "--user", "carol*", DEMO, columns=500)
    assert carol.stdout.splitlines()[-1].rstrip() == lines[-1]
    # judged as of a time given, its times are the judgement's own
    now = run("report", "--format", "table", "--color", "never", "--now", "2026-11-25T16:05-08:00", DEMO, columns=500)
    assert now.stdout.splitlines()[-1].startswith("Next: Restart the SMS Executive service")


def test_report_with_nothing_stuck_says_so() -> None:
    result = run("report", "--format", "table", "--color", "never", SPEC_CASE, columns=500)
    assert [line.rstrip() for line in result.stdout.splitlines()[-2:]] == [
        "No users stuck or failed (1 recovered).",
        # the advice names both directory syncs and what the log shows (issue 27 item 9)
        "Next: 1 user failed with UserNotFound on its first try: user discovery found it before "
        "directory sync had put it in Azure AD. It waited 24h 00m from that try to its add "
        "(scott@contoso.com). Avoiding the 24 h wait takes directory sync before the connector's "
        "first try, at most one cycle (5m) after discovery: shorter than either default sync "
        "interval (DirSync's was 3 hours, Azure AD Connect's is 30 minutes), so schedule user "
        "discovery after the directory sync cycle.",
    ]


def test_report_with_no_advice_points_to_the_summary(tmp_path: Path) -> None:
    log = Log()
    log.cycle("2014-09-14 10:00:00", ("ok@contoso.com",))
    log.cycle("2014-09-14 10:05:00", ())
    path = log.write(tmp_path / "CloudUserSync.log")
    result = run("report", "--format", "table", "--color", "never", path, columns=300)
    assert result.stdout.splitlines()[-1].rstrip() == (
        f"Next: Nothing to fix in this log; `logsync summary {path}` shows the connector's "
        "health day by day."
    )


def test_report_fail_on() -> None:
    assert run("report", "--format", "text", "--fail-on", "overdue", DEMO).exit_code == 1
    assert run("report", "--format", "text", "--fail-on", "overdue", SPEC_CASE).exit_code == 0


def test_restart_what_if_moves_waiting_users_to_the_cycle_after_it() -> None:
    result = run("report", "--format", "json", "--restart-at", "2026-11-25 16:30", DEMO)
    document = json.loads(result.stdout)
    waiting = {u["upn"]: u for u in document["users"] if u["state"] == "waiting"}
    # the first cycle came 9.000 s after the log's own restart: so after this one too
    assert {u["expected_recovery"] for u in waiting.values()} == {"2026-11-25T16:30:09-08:00"}
    assert waiting["bob@contoso.com"]["time_saved_s"] == 60294.266
    assert document["what_if"]["restart_at"] == "2026-11-25T16:30:00-08:00"
    # a restart's full sync retries the overdue user too
    (ivan,) = [u for u in document["users"] if u["state"] == "overdue"]
    assert (ivan["upn"], ivan["expected_recovery"], ivan["recovery_by"]) == (
        "ivan@contoso.com",
        "2026-11-25T16:30:09-08:00",
        "what-if",
    )
    # freed sooner: the waiting users; retried: the overdue one, whose own retry did not come
    assert document["what_if"]["users_freed"] == [
        "bob@contoso.com",
        "erin@contoso.com",
        "heidi@contoso.com",
    ]
    assert document["what_if"]["users_retried"] == ["ivan@contoso.com"]


def test_events_default_ndjson_when_piped_and_filters() -> None:
    result = run("events", "--kind", "user_add_failed", SPEC_CASE)
    (line,) = result.stdout.splitlines()
    assert json.loads(line) == {
        "kind": "user_add_failed",
        "time": "2014-09-14T10:23:54-04:00",
        "source": SPEC_CASE,
        "line": 5,
        "component": "SMS_CLOUD_USERSYNC",
        "thread": 5616,
        "severity": "error",
        "text": "Failed to add user scott@contoso.com; reason UserNotFound",
        "upn": "scott@contoso.com",
        "reason": "UserNotFound",
    }
    window = run(
        "events",
        "--format",
        "text",
        "--since",
        "2014-09-15 10:24:12",
        "--until",
        "2014-09-15 10:24:12.420",
        SPEC_CASE,
    )
    assert [row.split("\t")[1] for row in window.stdout.splitlines()] == [
        "user_add_requested",
        "add_totals",
    ]
    as_json = json.loads(
        run("events", "--format", "json", "-k", "add_totals", "--user", "x", SPEC_CASE).stdout
    )
    assert as_json == []


def test_events_from_gzip_on_stdin() -> None:
    data = (SAMPLES / "spec-case" / "CloudUserSync.log.gz").read_bytes()
    result = logsync("events", "--kind", "user_add_failed", stdin=data)
    assert result.returncode == 0
    assert [json.loads(line)["source"] for line in result.stdout.splitlines()] == ["-"]


def test_timeline_json_and_unknown_user() -> None:
    document = json.loads(
        run("timeline", "scott@CONTOSO.com", "--format", "json", SPEC_CASE).stdout
    )
    assert document["user"]["state"] == "recovered"
    assert document["steps"][1] == {
        "time": "2014-09-14T10:23:54-04:00",
        "what": "failed",
        "detail": "reason UserNotFound; full sync due 2014-09-15T10:23:54-04:00",
        "source": SPEC_CASE,
        "line": 5,
    }
    missing = run("timeline", "nobody@contoso.com", "--format", "text", SPEC_CASE)
    assert missing.exit_code == 1
    assert missing.stderr == (
        "logsync: the log ends 2014-09-15T10:24:12.425-04:00 (12y 71d ago); times are as of its "
        "last record; --now now judges as of now\n"
        "logsync: nobody@contoso.com does not appear in the log\n"
    )


def test_timeline_csv_and_ndjson_hold_the_steps_as_the_text_rows_do() -> None:
    """SPEC §5's common formats: `timeline -f csv` (and `ndjson`) were refused."""
    rows = list(csv.reader(io.StringIO(run("timeline", "scott@contoso.com", "-f", "csv", SPEC_CASE).stdout)))
    assert rows[0] == ["time", "what", "detail", "source", "line"]
    assert rows[2] == [
        "2014-09-14T10:23:54-04:00", "failed",
        "reason UserNotFound; full sync due 2014-09-15T10:23:54-04:00", SPEC_CASE, "5",
    ]
    assert rows[-1][1:] == [
        "state",
        "recovered · 1 failure (UserNotFound) · full sync due 2014-09-15T10:23:54-04:00 · recovered 2014-09-15T10:24:12-04:00",
        "", "",
    ]
    text = run("timeline", "scott@contoso.com", "-f", "text", SPEC_CASE).stdout.splitlines()
    assert len(rows) == len(text) + 1
    lines = run("timeline", "scott@contoso.com", "-f", "ndjson", SPEC_CASE).stdout.splitlines()
    steps = json.loads(run("timeline", "scott@contoso.com", "-f", "json", SPEC_CASE).stdout)["steps"]
    assert [json.loads(line) for line in lines[:-1]] == steps
    assert json.loads(lines[-1])["what"] == "state"
    several = run("timeline", "contoso", "-f", "ndjson", DEMO)
    assert (several.exit_code, len(json.loads(several.stdout)["matches"])) == (1, 10)


def test_a_user_not_met_before_now_is_said_absent_up_to_now_only() -> None:
    """heidi first appears at 10:05: as of 10:00 she is not in what was judged, which is not
    the whole log."""
    missing = run("timeline", "heidi", "--now", "2026-11-24T10:00", "--format", "text", DEMO)
    assert missing.exit_code == 1
    assert missing.stdout == ""
    assert missing.stderr == (
        "logsync: as of 2026-11-24T10:00:00-08:00: 2,807 later records left out\n"
        "logsync: heidi does not appear in the log up to 2026-11-24T10:00:00-08:00\n"
    )


DEMO_CHECK_LINES = [
    "bob@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T09:15:03.266-08:00",
    "heidi@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T10:15:03.710-08:00",
    "erin@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T14:35:05.634-08:00",
    "ivan@contoso.com\toverdue\tUserNotFound\texpected recovery 2026-11-25T08:25:04.296-08:00 "
    "passed, no retry logged",
    "dave@contoso.com\tfailed\tLicenseLimitReached\tno automatic retry",
]


def test_check_names_each_failing_user_then_the_verdict(tmp_path: Path) -> None:
    junit = tmp_path / "results.xml"
    failing = run("check", "--junit", str(junit), DEMO)
    assert failing.exit_code == 1
    assert failing.stdout.splitlines() == [
        *DEMO_CHECK_LINES,
        "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00"
        "; 1 pending user not counted by --fail-on waiting,overdue,failed,connector",
    ]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("11", "5")
    cases = {case.get("name"): case.find("failure") for case in suite.iter("testcase")}
    assert cases["alice@contoso.com"] is None
    assert cases["SMS_CLOUD_USERSYNC"] is None
    assert cases["bob@contoso.com"].get("message") == (
        "waiting for full sync due 2026-11-26T09:10:08.462-08:00; expected recovery 2026-11-26T09:15:03.266-08:00"
    )
    ok = run("check", SPEC_CASE)
    assert (ok.exit_code, ok.stdout) == (
        0,
        "ok: no waiting, overdue or failed user as of 2014-09-15T10:24:12.425-04:00\n",
    )
    as_json = run("check", "--format", "json", DEMO)
    document = json.loads(as_json.stdout)
    assert (as_json.exit_code, document["passed"], document["max_stuck"]) == (1, False, 0)
    assert document["fail_on"] == [
        "certificate_missing", "connector_stalled", "connector_stopped", "failed", "no_cycles",
        "overdue", "waiting",
    ]
    assert [u["upn"] for u in document["failing"]] == [
        "bob@contoso.com", "heidi@contoso.com", "erin@contoso.com", "ivan@contoso.com", "dave@contoso.com",
    ]
    assert document["within_limit"] == []


def test_check_limits_and_fail_on() -> None:
    assert run("check", "--max-stuck", "5", DEMO).exit_code == 0
    assert run("check", "--max-stuck", "4", DEMO).exit_code == 1
    assert run("check", "--fail-on", "failed", "--max-stuck", "1", DEMO).exit_code == 0
    assert run("check", "--fail-on", "failed", DEMO).exit_code == 1
    within = run("check", "--max-stuck", "5", DEMO)
    assert within.stdout.splitlines()[-1] == (
        "ok: 5 users (3 waiting, 1 overdue, 1 failed), limit 5 as of 2026-11-25T16:04:59.644-08:00"
        "; 1 pending user not counted by --fail-on waiting,overdue,failed,connector"
    )


def test_junit_of_a_passing_gate_has_no_failures(tmp_path: Path) -> None:
    """Users within --max-stuck are reported, not failed: failures exactly when exit is 1."""
    junit = tmp_path / "results.xml"
    result = run("check", "--max-stuck", "10", "--junit", str(junit), DEMO)
    assert result.exit_code == 0
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("11", "0")
    assert [case.find("failure") for case in suite.iter("testcase")] == [None] * 11
    outputs = {case.get("name"): case.findtext("system-out") for case in suite.iter("testcase")}
    assert outputs["ivan@contoso.com"] == (
        "overdue: full sync was due 2026-11-25T08:20:08.636-08:00; expected recovery "
        "2026-11-25T08:25:04.296-08:00 passed, with no retry logged (within --max-stuck); "
        "first failure 2026-11-24T08:20:08.636-08:00, failures 1"
    )
    assert outputs["alice@contoso.com"] is None


def test_junit_fails_only_the_connector_where_only_it_fails_the_gate(tmp_path: Path) -> None:
    """`--max-stuck 10` with a stalled connector: the gate fails on the connector alone, but the
    five users within the limit were failed testcases too, and `failing` in JSON."""
    junit = tmp_path / "results.xml"
    result = run("check", "--now", "2026-11-27T00:00-08:00", "--max-stuck", "10", "--junit", str(junit), DEMO)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1].startswith("FAIL: 5 users")
    assert "limit 10; connector: connector_stalled" in result.stdout.splitlines()[-1]
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    failed = [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert failed == ["SMS_CLOUD_USERSYNC"]
    outputs = {case.get("name"): case.findtext("system-out") or "" for case in suite.iter("testcase")}
    assert sum("(within --max-stuck)" in text for text in outputs.values()) == 5
    document = json.loads(run("check", "--now", "2026-11-27T00:00-08:00", "--max-stuck", "10", "--format", "json", DEMO).stdout)
    assert (document["passed"], document["failing"], len(document["within_limit"])) == (False, [], 5)
    over = json.loads(run("check", "--now", "2026-11-27T00:00-08:00", "--max-stuck", "4", "--format", "json", DEMO).stdout)
    assert (over["passed"], len(over["failing"]), over["within_limit"]) == (False, 5, [])


def test_junit_says_by_only_of_a_latest_bound_as_check_does(tmp_path: Path) -> None:
    """An overdue user's exact expected recovery was "expected by …" in JUnit (a latest bound's
    words: JSON's `expected_recovery_bound` null), where `check` gave the time itself."""
    junit = tmp_path / "exact.xml"
    result = run("check", "--now", "2026-11-27T00:00-08:00", "--junit", str(junit), DEMO)
    assert "bob@contoso.com\toverdue\tUserNotFound\texpected recovery 2026-11-26T09:15:03.266-08:00 passed" in result.stdout
    messages = {case.get("name"): case.find("failure") for case in ET.parse(junit).getroot().iter("testcase")}
    bob = messages["bob@contoso.com"]
    assert bob is not None and bob.get("message") == (
        "overdue: full sync was due 2026-11-26T09:10:08.462-08:00; expected recovery "
        "2026-11-26T09:15:03.266-08:00 passed, with no retry logged"
    )
    held = Log(bias=300).steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com").write(tmp_path / "held.log")
    junit = tmp_path / "bound.xml"
    result = run("check", "--now", "2026-03-05T09:00", "--junit", str(junit), held)
    assert "expected recovery by 2026-03-03T09:00:00-05:00 passed" in result.stdout
    failures = [case.find("failure") for case in ET.parse(junit).getroot().iter("testcase")]
    assert [f.get("message") for f in failures if f is not None and f.get("type") == "overdue"] == [
        "overdue: full sync was due by 2026-03-03T09:00:00-05:00; expected recovery by "
        "2026-03-03T09:00:00-05:00 passed, with no retry logged"
    ]


@pytest.mark.parametrize("path", ["", "  "])
def test_an_empty_junit_path_is_refused(tmp_path: Path, path: str) -> None:
    """`--junit "$JUNIT_PATH"` with the variable unset wrote no report and said nothing."""
    result = run("check", "--junit", path, DEMO)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "logsync: error: --junit: an empty path (an unset variable?): give a file, or -\n"
    )


def test_junit_of_users_without_a_known_failure_says_what_it_knows(tmp_path: Path) -> None:
    """A user held back since before the log (the rotated pair's newer half alone), and one of
    an input with no times: their testcases said `due None` and `first failure None`."""
    junit = tmp_path / "results.xml"
    assert run("check", "--junit", str(junit), str(SAMPLES / "rotated" / "CloudUserSync.log")).exit_code == 1
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == (
        "waiting for full sync due by 2025-06-11T10:15:00.137+01:00; expected recovery by "
        "2025-06-11T10:20:00+01:00"
    )
    assert failure.text == (
        "first failure unknown (held back since before the log: its failure is not in the "
        "input), failures 0"
    )
    quoted = tmp_path / "quoted.txt"
    quoted.write_text("Failed to add user bob@contoso.com; reason UserNotFound\n")
    assert run("check", "--junit", str(junit), str(quoted)).exit_code == 1
    failure = ET.parse(junit).getroot().find("testsuite/testcase/failure")
    assert failure is not None
    assert (failure.get("message"), failure.text) == (
        "waiting for full sync due unknown; expected recovery unknown",
        "first failure unknown (the input has no times), failures 1",
    )
    assert "None" not in junit.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "missing.log"], "logsync: error: missing.log: no such file or directory\n"),
        (
            ["report", "--tz", "Mars/Base", DEMO],
            "logsync: error: --tz: unknown time zone 'Mars/Base' "
            "(give UTC, local, an offset such as -05:00, an IANA name such as America/New_York or a Windows name such as Eastern Standard Time)\n",
        ),
        (
            ["report", "--interval", "-5m", DEMO],
            "logsync: error: --interval: cannot read '-5m' as a duration (try 24h, 5m, 90s)\n",
        ),
        (
            ["report", "--now", "garbage", DEMO],
            "logsync: error: --now: cannot read 'garbage' as a date and time "
            "(for example 2026-11-25T12:00 or '11/25/2026 12:00 PM')\n",
        ),
        (["events", "--kind", "nope", DEMO], None),
        (["check", "--fail-on", "sad", DEMO], None),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str | None) -> None:
    result = logsync(*args)
    assert result.returncode == 2
    assert result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("logsync: error: ")
    if message is not None:
        assert result.stderr.decode() == message


def test_every_command_has_help_with_examples() -> None:
    names = [info.name or info.callback.__name__ for info in app.registered_commands]  # type: ignore[union-attr]
    assert sorted(names) == ["check", "completion", "events", "report", "summary", "timeline", "watch"]
    for name in names:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Examples" in result.stdout
        assert ("--format" in result.stdout) == (name != "completion")


def test_progress_bar_only_for_long_inputs_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from logsync.cli import Env, notes
    from logsync.cli.notes import reading
    from logsync.cli.options import common

    stderr = io.StringIO()
    env = Env(stdout=io.StringIO(), stderr=stderr, stdout_isatty=False, stderr_isatty=True, stdin_is_pipe=False)
    opts = common(env, [DEMO], color="always")  # a StringIO is no terminal: force one
    with reading(opts, env) as progress:
        assert progress is None  # the demo log is far below the threshold
    monkeypatch.setattr(notes, "PROGRESS_MIN_BYTES", 0)
    with reading(opts, env) as progress:
        assert progress is not None
        progress(1000)
        # drawn from the reading loop, by no thread of its own
        assert threading.active_count() == 1
    assert "reading" in stderr.getvalue()
    piped = Env(stdout=io.StringIO(), stderr=io.StringIO(), stdout_isatty=False, stderr_isatty=False, stdin_is_pipe=False)
    with reading(opts, piped) as progress:
        assert progress is None


def test_a_bug_keeps_its_traceback_and_exits_70_never_the_code_of_a_finding(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from logsync.cli import application

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the analysis")

    monkeypatch.setattr("logsync.cli.options.Common.analyze", broken)
    monkeypatch.setattr(application.signal, "signal", lambda *args: None)
    monkeypatch.setattr(application.gc, "set_threshold", lambda *args: None)
    monkeypatch.setattr(application.sys, "argv", ["logsync", "check", DEMO])
    with pytest.raises(SystemExit) as ended:
        application.main()
    assert ended.value.code == 70
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[-2] == "RuntimeError: a bug in the analysis"
    assert lines[-1] == (
        "logsync: internal error: this is a bug in logsync, not a finding about the log (exit "
        "code 70); please report it with the traceback above, the command line, `logsync "
        "--version` and the log (or the lines of it that cause this)"
    )


def test_a_user_asked_for_by_name_is_shown_whatever_its_state() -> None:
    """Issue 27 item 6 (SPEC §4 rule 10): `report --user carol@contoso.com` (recovered) printed
    nothing."""
    text = run("report", "--user", "carol@contoso.com", DEMO)
    assert (text.exit_code, text.stdout) == (
        0,
        "carol@contoso.com\trecovered\tUserNotFound\t2026-11-24T07:40:08.529-08:00\t"
        "2026-11-24T07:40:08.529-08:00\t1\t2026-11-25T07:40:08.529-08:00\t-\t-\t"
        "2026-11-25T07:45:08.707-08:00\t2026-11-25T07:45:08.707-08:00\t-\n",
    )
    document = json.loads(run("report", "--format", "json", "--user", "CAROL@*", DEMO).stdout)
    assert [(u["upn"], u["state"]) for u in document["users"]] == [("carol@contoso.com", "recovered")]
    assert document["summary"]["recovered"] == 1 and document["summary"]["stuck"] == 0


def test_timeline_of_a_part_of_several_upns_lists_them() -> None:
    """Issue 27 item 6: `timeline contoso` said `contoso does not appear in the log`."""
    result = run("timeline", "contoso", DEMO)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "carol@contoso.com", "alice@contoso.com", "grace@contoso.com", "ivan@contoso.com",
        "heidi@contoso.com", "dave@contoso.com", "bob@contoso.com", "Mallory.Admin@Contoso.com",
        "erin@contoso.com", "frank@contoso.com",
    ]
    assert result.stderr.splitlines()[-1] == (
        "logsync: contoso is part of 10 UPNs (listed); give one of them"
    )
    document = json.loads(run("timeline", "--format", "json", "contoso", DEMO).stdout)
    assert (document["user"], document["steps"], len(document["matches"])) == (None, [], 10)


def test_summary_shows_the_users_asked_for_whatever_their_state() -> None:
    """Issue 27 item 6: `summary --user` was "No such option"."""
    text = run("summary", "--user", "carol@contoso.com", DEMO)
    assert text.exit_code == 0
    assert text.stdout.splitlines()[-1] == (
        "user\tcarol@contoso.com\trecovered\tUserNotFound\t2026-11-24T07:40:08.529-08:00\t"
        "2026-11-24T07:40:08.529-08:00\t1\t2026-11-25T07:40:08.529-08:00\t-\t-\t"
        "2026-11-25T07:45:08.707-08:00\t2026-11-25T07:45:08.707-08:00\t-"
    )
    document = json.loads(run("summary", "--format", "json", "--user", "*@contoso.com", DEMO).stdout)
    assert [u["upn"] for u in document["users"]] == [
        "bob@contoso.com", "heidi@contoso.com", "erin@contoso.com", "ivan@contoso.com",
        "dave@contoso.com", "frank@contoso.com", "carol@contoso.com", "alice@contoso.com",
        "grace@contoso.com", "Mallory.Admin@Contoso.com",
    ]
    assert "users" not in json.loads(run("summary", "--format", "json", DEMO).stdout)
    markdown = run("summary", "--format", "markdown", "--user", "carol@contoso.com", DEMO).stdout
    assert markdown.endswith(
        "## Users asked for\n\n"
        "| User | State | Reason | Stuck since | Full sync due | Expected recovery | Remaining |\n"
        "|---|---|---|---|---|---|---|\n"
        "| `carol@contoso.com` | recovered | UserNotFound | `2026-11-24 07:40:08 -08:00` | "
        "`2026-11-25 07:40:08 -08:00` | – | – |\n"
    )
    nobody = run("summary", "--user", "bobb@contoso.com", DEMO)
    assert nobody.exit_code == 0
    assert "logsync: --user bobb@contoso.com matches no user of the log; did you mean " \
        "bob@contoso.com?\n" in nobody.stderr


def test_fail_on_help_names_every_connector_problem() -> None:
    """Issue 27 item 10: `check --help` said "connector (all three)" and left out
    `connector_stopped`; it listed `recovered` and `synced`, which are no finding."""
    for command in ("check", "report"):
        shown = " ".join(run(command, "--help", columns=100).stdout.split())
        assert "connector_stalled, connector_stopped, connector" in shown
        assert "all four" in shown and "all three" not in shown
        assert "recovered," not in shown.split("--fail-on", 1)[1].split("--", 1)[0]


def test_the_source_tree_without_its_dependencies_says_so_in_one_line(tmp_path: Path) -> None:
    """`python -m logsync` from a source tree on a Python without typer, rich or dateutil (here:
    without site-packages): one line naming what is missing, exit 2, never a traceback."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(Path(__file__).resolve().parent.parent / "logsync", tmp_path / "logsync")
    done = subprocess.run(
        [sys.executable, "-S", "-m", "logsync", "report", "x.log"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "logsync: error: dateutil is not installed: install logsync with its dependencies "
        "(pip install .) and run it as `logsync`\n"
    )


@pytest.mark.parametrize("upn", ["heidi", "heidi@contoso.com", "contoso", "nobody"])
@pytest.mark.parametrize("stdin", [False, True])
def test_timeline_reads_its_input_once_whatever_part_of_a_upn_it_is_given(
    monkeypatch: pytest.MonkeyPatch, upn: str, stdin: bool
) -> None:
    """A part of a UPN is resolved in the same reading (stdin cannot be read twice)."""
    import logsync.analysis

    calls: list[str] = []
    real = logsync.analysis.analyze

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(upn)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(logsync.analysis, "analyze", counted)
    demo = SAMPLES / "CloudUserSync.log"
    if stdin:
        result = runner.invoke(app, ["timeline", upn, "--format", "json", "-"], input=demo.read_bytes())
    else:
        result = runner.invoke(app, ["timeline", upn, "--format", "json", str(demo)])
    assert calls == [upn]
    assert result.exit_code == (0 if "heidi" in upn else 1), result.stderr
    if "heidi" in upn:
        document = json.loads(result.stdout)
        assert (document["user"]["upn"], document["user"]["state"]) == ("heidi@contoso.com", "waiting")


@pytest.mark.parametrize(
    ("bound", "note"),
    [
        (["--since", "2026-12-02T12:00-08:00"], "--since 2026-12-02T12:00:00-08:00"),
        (["--until", "2026-11-24T06:59:55.211-08:00"], "--until 2026-11-24T06:59:55.211-08:00"),
        (
            ["--since", "2026-11-25T16:04:59.645"],
            "--since 2026-11-25T16:04:59.645 (the log's own time)",
        ),
    ],
    ids=["since after the end", "until at the first record", "since a microsecond after the end"],
)
def test_events_say_when_a_bound_leaves_out_every_record(bound: list[str], note: str) -> None:
    """Before, `events --since now-2h` of a log that ended a week ago wrote nothing, exit 0,
    and said nothing. The bounds' edges: `--until` at the first record leaves it out (before),
    `--since` at the last record keeps it."""
    for form in ("ndjson", "csv"):
        result = run("events", "--format", form, *bound, DEMO)
        assert result.exit_code == 0
        assert result.stdout in ("", "kind,time,source,line,component,thread,severity,text,upn,"
                                 "reason,mode,received,added,removed,thread_id,minutes,"
                                 "raise_failure_status,id,sev,status_component,problem\n")
        assert result.stderr == (
            f"logsync: {note} leaves out every record: the input spans "
            "2026-11-24T06:59:55.211-08:00 to 2026-11-25T16:04:59.644-08:00\n"
        )
    kept = run("events", "--since", "2026-11-25T16:04:59.644-08:00", DEMO)
    assert (len(kept.stdout.splitlines()), kept.stderr) == (1, "")


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_bound_is_not_said_to_leave_out_every_record_where_time_goes_back(tmp_path: Path, pure: str) -> None:
    """The rotated halves pasted in the wrong order, given on stdin (written in file order):
    `--since` and `--until` kept 96 events and said they left out every record of a span that
    ran backwards (its first and last records in file order). What is said is that a bound
    leaves out both, where it does: and a bound beyond every record, whose output is empty, is
    said so too."""
    lines = Path(DEMO).read_text(encoding="utf-8-sig").splitlines(keepends=True)
    wrong = "".join(lines[1500:] + lines[:1500]).encode()
    jump = (
        "logsync: stdin:1542: time goes back (logs pasted together?); events are in file order (a "
        "record that two runs share is written for each); give it as a file (logsync events FILE, "
        "or < FILE) to merge its runs by time\n"
    )
    ends = "(2026-11-24T23:10:04.589-08:00, 2026-11-24T23:05:05.733-08:00), where time goes back\n"
    bounds = ["--since", "2026-11-25T00:00", "--until", "2026-11-25T01:00"]
    result = run_installed("events", *bounds, "-", stdin=wrong, LOGSYNC_PURE=pure)
    assert len(result.stdout.splitlines()) == 96
    assert result.stderr.decode() == jump + (
        "logsync: --since 2026-11-25T00:00:00 (the log's own time) leaves out the input's first "
        f"and last records in file order {ends}"
    )
    kept = run_installed("events", "--until", "2026-11-25T01:00", "-", stdin=wrong, LOGSYNC_PURE=pure)
    assert kept.stderr.decode() == jump  # (it keeps both)
    beyond = run_installed("events", "--since", "2027-01-01T00:00", "-", stdin=wrong, LOGSYNC_PURE=pure)
    assert (beyond.stdout, beyond.stderr.decode()) == (b"", jump + (
        "logsync: --since 2027-01-01T00:00:00 (the log's own time) leaves out the input's first "
        f"and last records in file order {ends}"
    ))


def test_check_quiet_prints_its_verdict_alone() -> None:
    """`--quiet` prints only the essentials: for the gate, its verdict line (it printed
    nothing, exit 1, leaving a log reader to guess why the job failed)."""
    quiet = run("check", "--quiet", DEMO)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (
        1,
        "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of "
        "2026-11-25T16:04:59.644-08:00; 1 pending user not counted by --fail-on "
        "waiting,overdue,failed,connector\n",
        "",
    )


@pytest.mark.parametrize("upn", ["", "  "])
def test_timeline_of_an_empty_upn_is_a_usage_error(upn: str) -> None:
    """An unset shell variable (`logsync timeline "$USER_UPN"`) said `  does not appear in the
    log`, exit 1 (a finding); it names no user."""
    empty = run("timeline", upn, DEMO)
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        2, "", "logsync: error: UPN is empty: give a user's UPN, or a part of it\n",
    )


def test_a_bound_without_offset_that_leaves_out_every_record_is_said_in_the_log_s_own_time() -> None:
    """With `--tz UTC`, `--since '2026-11-25 17:00'` is the log's own 17:00 (-08:00), after its
    end; the note showed the span in UTC (14:59 to 00:04 the next day), which holds 17:00."""
    result = run("events", "--tz", "UTC", "--since", "2026-11-25 17:00", DEMO)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "logsync: --since 2026-11-25T17:00:00 (the log's own time) leaves out every record: the "
        "input spans 2026-11-24T06:59:55.211-08:00 to 2026-11-25T16:04:59.644-08:00\n",
    )
