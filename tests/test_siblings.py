"""Sibling logs (SPEC §2, §4 rules 3 and 9): a folder is read with CertMgr.log, dmpuploader.log,
sitecomp.log and smsexec.log, and the connector's verdict names the cause they show.

The lab's folder is built from real text: the connector's log of the public lab's certificate
wait (sample_logs/certificate-wait, which begins with the lines SPEC §2 quotes) beside the lab's
own CertMgr.log, dmpuploader.log and sitecomp.log (tests/data/real-logs, MIT).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.analysis import analyze
from logsync.cli import app
from logsync.follow import Follower
from logsync.pipeline import EventStream
from logsync.sources import expand_paths
from logsync.times import iso
from logsync.tracker import Tracker, TrackerOptions
from logsync.watch import Watcher

from .conftest import LOGSYNC, REAL_LOGS, SAMPLES
from .logtext import Log
from .test_bulk import assert_same

CAUSE = (
    "the site has no Intune subscription (dmpuploader.log:8), "
    "so the connector gets no certificate (CertMgr.log:29)"
)
INSTALL = "component install errors: status messages 1091, 1081, 1016 (sitecomp.log:579)"
CONNECTOR = (
    "connector stopped since 2023-02-26T20:19:12.431-08:00 after waiting for its certificate "
    f"since 2023-02-26T20:14:12.427-08:00: {CAUSE}; {INSTALL}"
)


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    folder = tmp_path / "Logs"
    folder.mkdir()
    shutil.copy(SAMPLES / "certificate-wait" / "CloudUserSync.log", folder)
    for name in ("CertMgr.log", "dmpuploader.log", "sitecomp.log"):
        shutil.copy(REAL_LOGS / name, folder)
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})
    return result.exit_code, result.stdout, result.stderr


def test_a_folder_is_read_with_its_sibling_logs(lab: Path) -> None:
    assert [Path(name).name for name in expand_paths([str(lab)], stdin_is_pipe=False)] == [
        "CloudUserSync.log",
        "CertMgr.log",
        "dmpuploader.log",
        "sitecomp.log",
    ]
    stream = EventStream([str(lab)])
    events = list(stream)
    causes = [(Path(e.source).name, e.line, e.kind) for e in events if e.kind.startswith(("cert", "no_"))]
    assert causes[:3] == [
        ("CertMgr.log", 29, "certificate_failed"),
        ("CertMgr.log", 158, "certificate_failed"),
        ("CloudUserSync.log", 3, "certificate_wait"),
    ]
    assert sorted(line for name, line, kind in causes if kind == "certificate_failed") == [29, 158, 246, 338]
    assert [line for name, line, kind in causes if kind == "no_intune_subscription"] == [8, 22, 33]
    # of the siblings only the records about the connector; every line is still accounted for
    kept = {name: sum(1 for e in events if Path(e.source).name == name) for name in ("CertMgr.log", "dmpuploader.log", "sitecomp.log")}
    assert kept == {"CertMgr.log": 4, "dmpuploader.log": 3, "sitecomp.log": 20}
    assert [(Path(s.path).name, s.lines, s.records) for s in stream.inputs] == [
        ("CloudUserSync.log", 20, 20),
        ("CertMgr.log", 399, 399),
        ("dmpuploader.log", 39, 39),
        ("sitecomp.log", 4380, 4380),
    ]
    # a sibling log named on its own is read whole
    assert len(list(EventStream([str(lab / "CertMgr.log")]))) == 399


def test_the_verdict_names_the_cause_with_file_and_line(lab: Path) -> None:
    connector = assert_same([str(lab)], health=True).connector
    assert [(c.kind, Path(c.source).name, c.line, iso(c.time), c.status_ids) for c in connector.causes] == [
        ("no_intune_subscription", "dmpuploader.log", 8, "2023-02-26T19:54:22.060-08:00", ()),
        ("certificate_failed", "CertMgr.log", 29, "2023-02-26T19:52:16.318-08:00", ()),
        ("install_errors", "sitecomp.log", 579, "2023-02-26T19:52:55.557-08:00", (1091, 1081, 1016)),
    ]
    # without the siblings, no cause is known
    assert analyze([str(lab / "CloudUserSync.log")]).connector.causes == ()


def test_report_and_check_name_the_cause(lab: Path) -> None:
    code, out, err = run("report", "--format", "json", str(lab))
    assert code == 0
    connector = json.loads(out)["connector"]
    assert connector["text"] == CONNECTOR
    assert connector["causes"][0] == {
        "kind": "no_intune_subscription",
        "time": "2023-02-26T19:54:22.060-08:00",
        "source": str(lab / "dmpuploader.log"),
        "line": 8,
        "status_ids": [],
    }
    assert connector["causes"][2]["status_ids"] == [1091, 1081, 1016]
    code, out, err = run("report", "--format", "text", str(lab))
    assert f"logsync: {CONNECTOR} (connector_stopped)\n" in err
    code, out, err = run("check", "--format", "text", str(lab))
    assert code == 1
    assert out.splitlines()[0] == f"connector\tconnector_stopped\t{CONNECTOR}"


def test_summary_names_the_cause_and_advises_linking_an_intune_subscription(lab: Path) -> None:
    code, out, _ = run("summary", "--format", "json", str(lab))
    assert code == 0
    document = json.loads(out)
    findings = {finding["code"]: finding for finding in document["findings"]}
    missing = findings["certificate_missing"]
    assert missing["message"] == (
        "the connector waited for its certificate 11 times (last at "
        f"2023-02-26T20:18:12.431-08:00) and has not synced since: {CAUSE}"
    )
    assert [(Path(e["source"]).name, e["line"]) for e in missing["evidence"]] == [
        ("CloudUserSync.log", 19),
        ("dmpuploader.log", 8),
        ("CertMgr.log", 29),
    ]
    assert findings["install_errors"]["message"] == (
        "sitecomp.log shows component install errors of SMS_CLOUD_USERSYNC: "
        "status messages 1091, 1081, 1016"
    )
    assert "status_failures" not in findings  # install errors are not failing syncs
    assert [advice["code"] for advice in document["advice"]] == ["link_intune_subscription"]
    assert document["advice"][0]["text"] == (
        "Link an Intune subscription to the hierarchy (Administration > Cloud Services > "
        "Microsoft Intune Subscriptions): the site has none (dmpuploader.log:8), so Certmgr gets "
        "no certificate for the connector, which cannot sync users without it."
    )
    # the connector's log alone: only the wait, and the old advice
    _, out, _ = run("summary", "--format", "json", str(lab / "CloudUserSync.log"))
    assert [advice["code"] for advice in json.loads(out)["advice"]] == ["check_certmgr"]


def test_watch_names_the_cause(lab: Path) -> None:
    watcher = Watcher(Follower(lab / "CloudUserSync.log"), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    watcher.read_siblings()
    result, _ = watcher.changes(watcher.as_of(watcher.last_time))  # type: ignore[arg-type]
    assert [(c.kind, c.line) for c in result.connector.causes] == [
        ("no_intune_subscription", 8),
        ("certificate_failed", 29),
        ("install_errors", 579),
    ]
    process = subprocess.run(
        ["timeout", "-s", "INT", "5", LOGSYNC, "watch", "--format", "ndjson", "--poll", "0.2", str(lab)],
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    first = json.loads(process.stdout.splitlines()[0])
    assert (first["kind"], first["state"]) == ("connector", "stopped")
    assert first["text"] == CONNECTOR


def test_a_cycle_after_the_cause_clears_it(lab: Path) -> None:
    # The connector got its certificate and cycled: CertMgr's earlier failures are over.
    log = lab / "CloudUserSync.log"
    text = log.read_text(encoding="utf-8-sig")
    text += (
        "Starting user delta sync, raise failure status messages = True  "
        "$$<SMS_CLOUD_USERSYNC><02-26-2023 20:20:12.431+480><thread=4388 (0x1124)>\n"
        "Certmgr has not installed certificate yet, sleep for 1 minutes.  "
        "$$<SMS_CLOUD_USERSYNC><02-26-2023 20:21:12.431+480><thread=4388 (0x1124)>\n"
    )
    log.write_text(text, encoding="utf-8")
    connector = assert_same([str(lab)]).connector
    assert connector.state == "waiting_for_certificate"
    assert connector.causes == ()


def test_smsexec_and_the_connector_report_one_restart(tmp_path: Path) -> None:
    # SPEC §4 rule 3: the same thread ID in smsexec.log and CloudUserSync.log is one restart.
    for name in ("CloudUserSync.log", "smsexec.log"):
        shutil.copy(SAMPLES / "restart-day" / name, tmp_path)
    analysis = assert_same([str(tmp_path)])
    assert [Path(name.path).name for name in analysis.inputs] == ["CloudUserSync.log", "smsexec.log"]
    assert analysis.inputs[1].records == 4
    assert [(iso(r.time), r.thread_id) for r in analysis.result.restarts] == [
        ("2026-03-02T07:59:56-05:00", 5616),
        ("2026-03-02T13:00:12.500-05:00", 7012),
    ]
    started = [e for e in EventStream([str(tmp_path)]) if e.kind == "component_started"]
    assert [(Path(e.source).name, e.line, e.data.thread_id) for e in started] == [
        ("CloudUserSync.log", 1, 5616),
        ("smsexec.log", 1, 5616),
        ("CloudUserSync.log", 379, 7012),
        ("smsexec.log", 3, 7012),
    ]


def test_an_empty_sibling_log_is_passed_over(lab: Path) -> None:
    (lab / "CertMgr.log").write_bytes(b"")
    (lab / "smsexec.log").write_bytes(b"")
    assert [Path(name).name for name in expand_paths([str(lab)], stdin_is_pipe=False)] == [
        "CloudUserSync.log",
        "dmpuploader.log",
        "sitecomp.log",
    ]
    connector = analyze([str(lab)]).connector
    assert [(c.kind, c.line) for c in connector.causes] == [
        ("no_intune_subscription", 8),
        ("install_errors", 579),
    ]
    assert run("check", "--format", "text", str(lab))[1].splitlines()[0] == (
        "connector\tconnector_stopped\tconnector stopped since 2023-02-26T20:19:12.431-08:00 "
        "after waiting for its certificate since 2023-02-26T20:14:12.427-08:00: the site has no "
        f"Intune subscription (dmpuploader.log:8); {INSTALL}"
    )


def test_a_zip_of_the_lab_folder_names_the_same_cause(lab: Path, tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
        for path in sorted(lab.iterdir()):
            packed.write(path, f"Logs/{path.name}")
        packed.writestr("Logs/smsexec.log", b"")  # empty: passed over
    code, out, _ = run("report", "--format", "json", str(archive))
    assert code == 0
    document = json.loads(out)
    assert [stats["path"] for stats in document["inputs"]] == [
        f"{archive}/Logs/{name}"
        for name in ("CloudUserSync.log", "CertMgr.log", "dmpuploader.log", "sitecomp.log")
    ]
    assert document["connector"]["text"] == CONNECTOR


def test_a_stall_names_the_install_errors_after_the_last_cycle(tmp_path: Path) -> None:
    # The connector cycled until 19:45 (lab time), then went silent; sitecomp.log's install
    # errors for it at 19:52:55 came in that silence.
    log = Log(bias=480).cycles("2023-02-26 19:20:00", "2023-02-26 19:50:00")  # to 19:45
    log.write(tmp_path / "CloudUserSync.log")
    shutil.copy(REAL_LOGS / "sitecomp.log", tmp_path)
    analysis = analyze([str(tmp_path)], now=datetime(2023, 2, 26, 20, 19, 12))
    connector = analysis.connector
    assert (connector.state, iso(connector.since)) == ("stalled", "2023-02-26T19:45:00-08:00")
    assert [(c.kind, c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", 579, (1091, 1081, 1016))
    ]
    code, out, _ = run("check", "--format", "text", "--now", "2023-02-26 20:19:12", str(tmp_path))
    assert code == 1
    assert out.splitlines()[0] == (
        "connector\tconnector_stalled\tconnector stalled since 2023-02-26T19:45:00-08:00 "
        f"(34m without a cycle): {INSTALL}"
    )


def test_the_bundled_site_folder_names_the_cause(in_root: Path) -> None:
    """sample_logs/site-logs, the folder the README offers to try: the lab's real CertMgr.log and
    dmpuploader.log beside the connector's log."""
    cause = (
        "connector stopped since 2023-02-26T20:19:12.431-08:00 after waiting for its certificate "
        "since 2023-02-26T20:14:12.427-08:00: the site has no Intune subscription "
        "(dmpuploader.log:8), so the connector gets no certificate (CertMgr.log:29)"
    )
    check = CliRunner().invoke(app, ["check", "--format", "text", "sample_logs/site-logs"])
    assert (check.exit_code, check.stdout.splitlines()) == (
        1,
        [
            f"connector\tconnector_stopped\t{cause}",
            "FAIL: no waiting, overdue or failed user; connector: connector_stopped as of "
            "2023-02-26T20:19:12.431-08:00",
        ],
    )
    summary = json.loads(CliRunner().invoke(app, ["summary", "--format", "json", "sample_logs/site-logs"]).stdout)
    assert [a["code"] for a in summary["advice"]] == ["link_intune_subscription"]


def test_watch_reads_the_causes_with_their_own_offsets(lab: Path) -> None:
    """The sibling logs `watch` reads apart keep each record's offset, as one reading of the
    folder does."""
    watcher = Watcher(Follower(lab / "CloudUserSync.log"), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    watcher.read_siblings()
    result, _ = watcher.changes(watcher.as_of(watcher.last_time))  # type: ignore[arg-type]
    read_once = analyze([str(lab)]).connector.causes
    assert [(c.kind, iso(c.time)) for c in result.connector.causes] == [
        (c.kind, iso(c.time)) for c in read_once
    ]
    assert all(c.time.utcoffset() is not None for c in read_once)


def test_watch_reads_a_sibling_log_pasted_in_the_wrong_order(lab: Path) -> None:
    # CertMgr.log's halves swapped: its time goes back once; the cause is still named, as the
    # reading of the folder names it (the line numbers are those of the pasted file).
    certmgr = lab / "CertMgr.log"
    lines = certmgr.read_bytes().splitlines(True)
    certmgr.write_bytes(b"".join(lines[200:] + lines[:200]))
    watcher = Watcher(Follower(lab / "CloudUserSync.log"), Tracker(TrackerOptions()))
    watcher.read_rotated()
    watcher.read()
    watcher.read_siblings()
    result, _ = watcher.changes(watcher.as_of(watcher.last_time))  # type: ignore[arg-type]
    causes = [(c.kind, c.line) for c in result.connector.causes]
    assert causes == [
        ("no_intune_subscription", 8),
        ("certificate_failed", 199 + 29),
        ("install_errors", 579),
    ]
    assert causes == [(c.kind, c.line) for c in analyze([str(lab)]).connector.causes]


def test_a_sibling_log_older_than_the_connector_s_neither_starts_its_span_nor_sets_its_offset(
    tmp_path: Path,
) -> None:
    """The demo log beside the lab's sitecomp.log, which begins in 2023 (a site's component
    log reaches back years): the span, the interval and every time shown are those of the demo
    log alone. The copy of sitecomp.log written in UTC+1 shows that its offset is never the one
    computed times are shown in."""
    alone = analyze([str(SAMPLES / "CloudUserSync.log")])
    for bias in ("+480>", "-060>"):
        folder = tmp_path / bias[:4]
        folder.mkdir()
        shutil.copy(SAMPLES / "CloudUserSync.log", folder)
        text = (REAL_LOGS / "sitecomp.log").read_text(encoding="utf-8-sig")
        (folder / "sitecomp.log").write_text(text.replace("+480>", bias), encoding="utf-8")
        both = analyze([str(folder)])
        assert [stats.sibling for stats in both.inputs] == [False, True]
        assert (both.result.first_time, both.as_of) == (alone.result.first_time, alone.as_of)
        assert iso(both.result.first_time) == "2026-11-24T06:59:55.211-08:00"
        assert [(u.upn, u.state, iso(u.full_sync_due)) for u in both.users] == [
            (u.upn, u.state, iso(u.full_sync_due)) for u in alone.users
        ]
        code, out, _ = run("summary", "--format", "json", str(folder))
        assert code == 0
        assert json.loads(out)["span"] == {
            "start": "2026-11-24T06:59:55.211-08:00",
            "end": "2026-11-25T16:04:59.644-08:00",
        }


def demo_beside(tmp_path: Path, sibling: str, text: bytes) -> list[str]:
    """The inputs of a folder that holds the demo log and a sibling log of `text`."""
    folder = tmp_path / "Logs"
    folder.mkdir()
    shutil.copy(SAMPLES / "CloudUserSync.log", folder)
    (folder / sibling).write_bytes(text)
    return expand_paths([str(folder)], stdin_is_pipe=False)


def test_a_sibling_log_that_goes_further_does_not_move_the_judgement(tmp_path: Path) -> None:
    """A CertMgr.log record three days after the connector's log ends (a folder copied later)
    says nothing of how far the connector's log goes: as of its own last record, bob, heidi and
    erin still wait and the connector runs."""
    names = demo_beside(
        tmp_path,
        "CertMgr.log",
        b"Failed to get connector certificate  $$<SMS_CERTIFICATE_MANAGER><11-28-2026 "
        b"10:00:00.000+480><thread=4104 (0x1008)>\r\n",
    )
    alone = analyze([str(SAMPLES / "CloudUserSync.log")])
    beside = analyze(names)
    assert beside.as_of == alone.as_of == datetime.fromisoformat("2026-11-25T16:04:59.644-08:00")
    assert [(u.upn, u.state) for u in beside.users] == [(u.upn, u.state) for u in alone.users]
    assert beside.connector.state == "running"


def test_sibling_records_of_another_year_are_no_cause(lab: Path) -> None:
    """The lab's connector log moved to 2026 beside the lab's 2023 sibling logs: the stop is
    told, but no record of 2023 is named as its cause (before, "the site has no Intune
    subscription (dmpuploader.log:8)", from three years earlier)."""
    log = lab / "CloudUserSync.log"
    log.write_bytes(log.read_bytes().replace(b"02-26-2023", b"11-20-2026"))
    analysis = analyze(expand_paths([str(lab)], stdin_is_pipe=False))
    assert (analysis.connector.state, analysis.connector.causes) == ("stopped", ())
    # a day before the log begins is still its time: the lab's own folder names its causes
    same_year = lab.parent / "same"
    shutil.copytree(lab, same_year)
    (same_year / "CloudUserSync.log").write_bytes((SAMPLES / "certificate-wait" / "CloudUserSync.log").read_bytes())
    kinds = [c.kind for c in analyze(expand_paths([str(same_year)], stdin_is_pipe=False)).connector.causes]
    assert kinds == ["no_intune_subscription", "certificate_failed", "install_errors"]


def test_a_sibling_log_s_restart_after_the_connector_s_log_ends_is_left_out(tmp_path: Path) -> None:
    """smsexec.log logs a restart of the connector 16 hours after its log's last record (a
    folder copied later). Judged as of that last record, it happened after the judgement: bob,
    heidi and erin kept it as their expected recovery (11-26 08:00:09) and `summary` counted it.
    `--now` after it judges as of then: the restart counts."""
    names = demo_beside(
        tmp_path,
        "smsexec.log",
        b"SMS_CLOUD_USERSYNC started, ThreadMain() thread ID = 5616.  $$<SMS_EXECUTIVE>"
        b"<11-26-2026 08:00:00.000+480><thread=3604 (0xE14)>\r\n",
    )
    alone = analyze([str(SAMPLES / "CloudUserSync.log")])
    beside = analyze(names)
    assert [(u.upn, u.state, u.instants) for u in beside.users] == [
        (u.upn, u.state, u.instants) for u in alone.users
    ]
    assert (len(beside.result.restarts), beside.connector.last_restart) == (
        1, datetime.fromisoformat("2026-11-24T06:59:55.211-08:00"),
    )
    later = analyze(names, now=datetime.fromisoformat("2026-11-26T09:00:00-08:00"))
    assert len(later.result.restarts) == 2
    expected = {u.upn: iso(u.expected_recovery) for u in later.users if u.stuck}
    assert expected["bob@contoso.com"] == "2026-11-26T08:00:09-08:00"
    assert [row[4] for row in beside.after_log] == [names[-1]] and later.after_log == ()


def test_a_sibling_log_s_records_after_the_connector_s_log_are_said_to_be_left_out(
    tmp_path: Path,
) -> None:
    """They were left out without a word, while SPEC §4 rule 5 takes as_of from the last
    record of all inputs: stderr says which, up to when, and the `--now` that counts them."""
    names = demo_beside(
        tmp_path,
        "smsexec.log",
        b"SMS_CLOUD_USERSYNC started, ThreadMain() thread ID = 5616.  $$<SMS_EXECUTIVE>"
        b"<11-26-2026 08:00:00.000+480><thread=3604 (0xE14)>\r\n",
    )
    folder = str(Path(names[0]).parent)
    result = CliRunner().invoke(app, ["report", "--format", "json", folder])
    assert result.stderr.splitlines()[-1] == (
        f"logsync: {names[-1]}: 1 record about the connector after its own log ends, up to "
        "2026-11-26T08:00:00-08:00, left out (judged as of the connector's log); --now "
        "2026-11-26T08:00:00-08:00 counts it"
    )
    assert json.loads(result.stdout)["as_of"] == "2026-11-25T16:04:59.644-08:00"
    counted = CliRunner().invoke(app, ["report", "--now", "2026-11-26T08:00:00-08:00", folder])
    assert "left out (judged" not in counted.stderr
    quiet = CliRunner().invoke(app, ["report", "-q", folder])
    assert quiet.stderr == ""
