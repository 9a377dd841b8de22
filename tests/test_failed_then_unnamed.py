"""A user whose failure is in the input, missing from a later complete cycle, was not added in
the cycle where it failed (SPEC §4 rule 2b).

Lines with no times (a cycle that fails scott and adds amy), then a timed cycle that names
neither: scott was `recovered` ("in a cycle before this one, which does not name it"), the one
where he failed, and `check` passed. Whether another user was added in his cycle decided it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_installed

START = "Starting user delta sync, raise failure status messages = True"
REMOVALS = ["Total received users from SCCM to be removed from cloud = 0", "Successfully removed users from cloud 0"]


def untimed_cycle(*added: str) -> list[str]:
    """A cycle as the blog post quotes it: scott fails, `added` are added."""
    named = ["scott@contoso.com", *added]
    return [
        START, *REMOVALS,
        *(f"NotifyAccountAddition - SCCM user to add = {upn}" for upn in named),
        "Failed to add user scott@contoso.com; reason UserNotFound",
        f"Total received users to add from SCCM = {len(named)}, Total Successfully added users to Cloud = {len(added)}",
        f"UserDeltaSync:- Users Added = {len(added)}, Users Removed = 0",
    ]


def timed_cycle() -> list[str]:
    """A cycle of the log, in SMS trace, that adds bob and names neither scott nor amy."""
    messages = [
        START, *REMOVALS, "NotifyAccountAddition - SCCM user to add = bob@contoso.com",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
        "UserDeltaSync:- Users Added = 1, Users Removed = 0",
    ]
    return [
        f"{text}  $$<SMS_CLOUD_USERSYNC><11-25-2026 09:10:04.{229 + n:03d}+480><thread=5616 (0x15F0)>"
        for n, text in enumerate(messages)
    ]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("added", [(), ("amy@contoso.com",), ("amy@contoso.com", "carol@contoso.com")])
def test_a_user_that_failed_is_not_added_in_the_cycle_of_its_failure(
    tmp_path: Path, added: tuple[str, ...], pure: str
) -> None:
    path = tmp_path / "excerpt.txt"
    path.write_text("\n".join([*untimed_cycle(*added), *timed_cycle()]) + "\n")
    report = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    users = {u["upn"]: u for u in json.loads(report.stdout)["users"]}
    scott = users["scott@contoso.com"]
    assert (scott["state"], scott["recovered_at"], scott["expected_recovery"], scott["expected_recovery_bound"]) == (
        "waiting", None, "2026-11-26T09:10:04.229-08:00", "latest",
    )
    assert [users[upn]["state"] for upn in added] == ["synced"] * len(added)
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert (check.returncode, check.stdout.decode().splitlines()[-1]) == (
        1, "FAIL: 1 user (1 waiting), limit 0 as of 2026-11-25T09:10:04.234-08:00",
    )
