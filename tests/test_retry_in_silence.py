"""A user whose due time lies in a silence of the connector (`the connector was not heard from
… to …`) may have been retried there, unseen: `pending` (retry_unseen), from the log's end on.

It was `waiting` for the cycle that ended the silence, one already read whole without naming it
("expected recovery" in the past, `seconds_remaining` below zero, observed), while stderr said
that users whose retry may be in the silence are pending; `overdue` only two intervals later."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import run_installed

START = "Starting user delta sync, raise failure status messages = True"
REMOVALS = ["Total received users from SCCM to be removed from cloud = 0", "Successfully removed users from cloud 0"]


def cycle(day: str, clock: str, upn: str, added: int) -> list[str]:
    messages = [
        START, *REMOVALS, f"NotifyAccountAddition - SCCM user to add = {upn}",
        *([] if added else [f"Failed to add user {upn}; reason UserNotFound"]),
        f"Total received users to add from SCCM = 1, Total Successfully added users to Cloud = {added}",
        f"UserDeltaSync:- Users Added = {added}, Users Removed = 0",
    ]
    return [
        f"{text}  $$<SMS_CLOUD_USERSYNC><{day} {clock}.{100 + 10 * n:03d}+480><thread=5616 (0x15F0)>"
        for n, text in enumerate(messages)
    ]


def scott(path: Path, *options: str, pure: str = "") -> tuple[str, str | None, str | None]:
    result = run_installed("report", "--format", "json", *options, str(path), LOGSYNC_PURE=pure)
    (user,) = [u for u in json.loads(result.stdout)["users"] if u["upn"] == "scott@contoso.com"]
    return user["state"], user["pending_reason"], user["expected_recovery"]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("now", [[], ["--now", "2026-11-25T09:12:00-08:00"], ["--now", "2026-11-25T10:00:00-08:00"]])
def test_a_due_time_in_a_silence_leaves_the_retry_unseen(tmp_path: Path, now: list[str], pure: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    lines = cycle("11-20-2026", "09:05:04", "scott@contoso.com", 0) + cycle("11-25-2026", "09:10:04", "amy@contoso.com", 1)
    path.write_text("\n".join(lines) + "\n")
    assert scott(path, *now, pure=pure) == ("pending", "retry_unseen", "2026-11-25T09:10:04.100-08:00")
    check = run_installed("check", *now, str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert "FAIL: 1 user (1 pending that may be stuck)" in check.stdout.decode()


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_silence_that_ends_before_the_due_time_leaves_the_user_waiting(tmp_path: Path, pure: str) -> None:
    path = tmp_path / "CloudUserSync.log"
    lines = cycle("11-25-2026", "03:05:04", "scott@contoso.com", 0) + cycle("11-25-2026", "09:10:04", "amy@contoso.com", 1)
    path.write_text("\n".join(lines) + "\n")
    assert scott(path, pure=pure) == ("waiting", None, "2026-11-26T03:10:04.100-08:00")  # (the next cycle after its due time)


@pytest.mark.parametrize(("clock", "state"), [("09:07:04", "waiting"), ("09:10:04", "waiting"), ("09:10:05", "pending")])
def test_a_silence_too_short_after_the_due_time_to_hold_a_cycle_leaves_the_user_waiting(
    tmp_path: Path, clock: str, state: str
) -> None:
    """Due 2 minutes before the silence ends, no cycle of the schedule (every 5 minutes) lies
    between: the cycle that ends it is the retry (SPEC's excerpt: due 18 s before); 5 minutes
    and 1 second before, one does."""
    path = tmp_path / "CloudUserSync.log"
    lines = cycle("11-24-2026", "09:05:04", "scott@contoso.com", 0) + cycle("11-25-2026", clock, "amy@contoso.com", 1)
    path.write_text("\n".join(lines) + "\n")
    assert scott(path)[:2] == (state, None if state == "waiting" else "retry_unseen")
