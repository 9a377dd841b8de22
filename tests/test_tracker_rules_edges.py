"""Edges of the tracker's rules that the mutation run (docs/mutation-survivors.md) found
untested, each on logs written in the connector's and its siblings' own words."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from logsync import analyze
from logsync.times import iso
from logsync.tracker import MAX_CAUSES

from .logtext import Log, sms_line

STOPPING = "CCloudUserSync::Process - User sync processing thread is now stopping."
CERTIFICATE = "Certmgr has not installed certificate yet, sleep for 1 minutes."


def sitecomp_error(when: datetime, status: int, bias: int = 300) -> str:
    """sitecomp.log's error status message for the connector: an install error."""
    return sms_line(
        when,
        f'STATMSG: ID={status} SEV=E LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" '
        f"SYS=CM1.CORP.CONTOSO.COM SITE=CHQ PID=7888 TID=7040 GMTDATE=Mon Mar 02 14:00:00.000 2026 "
        'ISTR0="60" NUMATTRS=0 LE=0X0',
        bias=bias,
        thread=7040,
        component="SMS_SITE_COMPONENT_MANAGER",
    )


def write(path: Path, lines: list[str]) -> str:
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return str(path)


def test_causes_past_the_kept_number_are_not_named(tmp_path: Path) -> None:
    """Rule 9 keeps at most MAX_CAUSES records of sibling logs since the last cycle: an install
    error after that many is not among the status messages named."""
    Log(bias=300).cycle("2026-03-02 09:00:00").at("2026-03-02 09:30:00", STOPPING).write(
        tmp_path / "CloudUserSync.log"
    )
    first = datetime(2026, 3, 2, 9, 1)
    errors = [sitecomp_error(first + timedelta(seconds=n), 1016) for n in range(MAX_CAUSES)]
    errors.append(sitecomp_error(datetime(2026, 3, 2, 9, 10), 1081))  # one past the bound
    write(tmp_path / "sitecomp.log", errors)
    connector = analyze([str(tmp_path)]).connector
    assert connector.state == "stopped"
    assert [(c.kind, iso(c.time), c.line, c.status_ids) for c in connector.causes] == [
        ("install_errors", "2026-03-02T09:01:00-05:00", 1, (1016,))
    ]


def test_causes_at_one_instant_in_two_offsets_are_both_named(tmp_path: Path) -> None:
    """CertMgr.log written at -08:00 and dmpuploader.log at UTC, each with a cause at the same
    instant: both are named, root first, each in its own log's offset."""
    log = Log(bias=480).cycle("2023-02-26 19:45:00")
    log.at("2023-02-26 20:14:12.427", CERTIFICATE)
    log.write(tmp_path / "CloudUserSync.log")
    write(
        tmp_path / "CertMgr.log",
        [
            sms_line(
                datetime(2023, 2, 26, 19, 52, 16, 318000),
                "Failed to get connector certificate",
                bias=480,
                thread=6960,
                component="SMS_CERTIFICATE_MANAGER",
            )
        ],
    )
    write(
        tmp_path / "dmpuploader.log",
        [
            sms_line(
                datetime(2023, 2, 27, 3, 52, 16, 318000),  # the same instant, in UTC
                "HasIntuneSubscription: Site has no Intune subscription.~~",
                bias=0,
                thread=6700,
                component="SMS_DMP_UPLOADER",
            )
        ],
    )
    connector = analyze([str(tmp_path)]).connector
    assert (connector.state, iso(connector.since)) == (
        "waiting_for_certificate",
        "2023-02-26T20:14:12.427-08:00",
    )
    assert [(c.kind, iso(c.time), Path(c.source).name, c.line) for c in connector.causes] == [
        ("no_intune_subscription", "2023-02-27T03:52:16.318+00:00", "dmpuploader.log", 1),
        ("certificate_failed", "2023-02-26T19:52:16.318-08:00", "CertMgr.log", 1),
    ]


def test_a_user_held_back_since_before_the_log_that_fails_in_it_keeps_its_own_timer(
    tmp_path: Path,
) -> None:
    """bob is notified and not received (held back since before the log, rule 2b), then his
    retry fails in the log: from then on his own 24 h timer holds him. A later complete cycle
    that does not notify him is no evidence that he was added."""
    log = Log(bias=300)
    log.steady(datetime(2026, 3, 2, 9, 0), "bob@contoso.com")  # received = 0: held back
    log.cycle("2026-03-02 09:05:00", ("bob@contoso.com",), {"bob@contoso.com": "UserNotFound"})
    log.cycle("2026-03-02 09:10:00")  # notifies nobody
    log.write(tmp_path / "CloudUserSync.log")
    (bob,) = analyze([str(tmp_path / "CloudUserSync.log")]).users
    assert (bob.state, bob.failures, bob.recovery_by, bob.bound, bob.recovered_at) == (
        "waiting", 1, "timer", None, None,
    )
    # the failing run began before the log (its first failure is unknown); its last failure is
    # in it, and starts the timer
    assert (bob.before_input, bob.first_failure) == (True, None)
    assert (iso(bob.last_failure), iso(bob.full_sync_due), iso(bob.expected_recovery)) == (
        "2026-03-02T09:05:02-05:00",
        "2026-03-03T09:05:02-05:00",
        "2026-03-03T09:10:00-05:00",
    )
