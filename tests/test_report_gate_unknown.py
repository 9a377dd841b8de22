"""`report --fail-on` counts every user `check` counts: a pending user whose outcome the input
cannot say, in a state `--fail-on` names that it may be in (`UserState.unknown_as`).

A user retried after its failure, its cycle's totals to come (the end of a live log, `--now`
inside its cycle), and a redacted name several users share were counted by `check` and not by
`report --fail-on`: `report` passed (exit 0) where `check` failed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SAMPLES, run_installed

RESTART_DAY = SAMPLES / "restart-day" / "CloudUserSync.log"
INSIDE = "2026-03-02T13:00:39.996-05:00"
"""Inside the full sync after the restart: yolanda and zack retried, their totals to come."""
SHARED = """\
11/24/2026 1:15:04 PM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Failed to add user <UPN of User Account>; reason LicenseLimitReached
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Failed to add user <UPN of User Account>; reason UserNotFound
                       Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0
"""


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(("fail_on", "code"), [("waiting", 1), ("overdue", 0), ("failed", 0)])
def test_a_user_retried_before_its_totals(fail_on: str, code: int, pure: str) -> None:
    report = run_installed("report", "--fail-on", fail_on, "--now", INSIDE, str(RESTART_DAY), LOGSYNC_PURE=pure)
    check = run_installed("check", "--fail-on", fail_on, "--now", INSIDE, str(RESTART_DAY), LOGSYNC_PURE=pure)
    assert (report.returncode, check.returncode) == (code, code)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("fail_on", ["waiting", "overdue", "failed"])
def test_a_name_several_users_share(tmp_path: Path, fail_on: str, pure: str) -> None:
    path = tmp_path / "ticket.txt"
    path.write_text(SHARED, encoding="utf-8")
    report = run_installed("report", "--fail-on", fail_on, str(path), LOGSYNC_PURE=pure)
    check = run_installed("check", "--fail-on", fail_on, str(path), LOGSYNC_PURE=pure)
    assert (report.returncode, check.returncode) == (1, 1)


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_gate_that_names_no_state_they_may_be_in_passes(tmp_path: Path, pure: str) -> None:
    path = tmp_path / "ticket.txt"
    path.write_text(SHARED, encoding="utf-8")
    report = run_installed("report", "--fail-on", "connector_stopped", str(path), LOGSYNC_PURE=pure)
    assert report.returncode == 0
