"""The message catalogue of SPEC §3: each known message, its kind and exact fields."""

from __future__ import annotations

import pytest

from logsync.events import (
    KINDS,
    AddTotals,
    CertificateWait,
    ComponentStarted,
    RemoveTotals,
    StatusMessage,
    SyncStarted,
    SyncSummary,
    UserAddFailed,
    UserAddRequested,
    UsersRemoved,
    classify,
    message_starts,
)

CASES = [
    (
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).",
        "component_started",
        ComponentStarted(5616),
    ),
    (
        "SMS_CLOUD_USERSYNC started, ThreadMain() thread ID = 5616.",
        "component_started",
        ComponentStarted(5616),
    ),
    ("CCloudUserSync::Process - User sync processing has started.", "processing_started", None),
    (
        "CCloudUserSync::Process - User sync processing thread is now stopping.",
        "processing_stopping",
        None,
    ),
    ("SMS_CLOUD_USERSYNC is stopping...", "processing_stopping", None),
    (
        "Certmgr has not installed certificate yet, sleep for 1 minutes.",
        "certificate_wait",
        CertificateWait(1),
    ),
    (
        "Starting user delta sync, raise failure status messages = True",
        "sync_started",
        SyncStarted("delta", True),
    ),
    (
        "Starting user Full sync, raise failure status messages = False",
        "sync_started",
        SyncStarted("full", False),
    ),
    (
        "NotifyAccountAddition - SCCM user to add = scott@contoso.com",
        "user_add_requested",
        UserAddRequested("scott@contoso.com"),
    ),
    (
        "Failed to add user scott@contoso.com; reason UserNotFound",
        "user_add_failed",
        UserAddFailed("scott@contoso.com", "UserNotFound"),
    ),
    (
        "Failed  to add user   scott@contoso.com ;  reason   UserNotFound",
        "user_add_failed",
        UserAddFailed("scott@contoso.com", "UserNotFound"),
    ),
    (
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
        "add_totals",
        AddTotals(1, 0),
    ),
    (
        "Total received users from SCCM to be removed from cloud = 0",
        "remove_totals",
        RemoveTotals(0),
    ),
    ("Successfully removed users from cloud 0", "users_removed", UsersRemoved(0)),
    (
        "UserDeltaSync:- Users Added = 1, Users Removed = 0",
        "sync_summary",
        SyncSummary("delta", 1, 0),
    ),
    (
        "UserFullSync:- Users Added = 12, Users Removed = 3",
        "sync_summary",
        SyncSummary("full", 12, 3),
    ),
    (
        'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="SMS_CLOUD_USERSYNC" SYS=CM01 SITE=PS1 PID=2240 TID=5616',
        "status_message",
        StatusMessage(500, "I", "SMS_CLOUD_USERSYNC", 5616),
    ),
    ("SMS_EXECUTIVE started SMS_DMP_DOWNLOADER as thread ID 3564 (0xDEC).", "message", None),
    # the sibling logs of the public lab (tests/data/real-logs), `~~` decoded
    ("Failed to get connector certificate", "certificate_failed", None),
    ("HasIntuneSubscription: Site has no Intune subscription.", "no_intune_subscription", None),
    ("Starting component SMS_CLOUDCONNECTION", "message", None),
    ("failed to add user lower-case is not the connector's wording", "message", None),
]


@pytest.mark.parametrize(("text", "kind", "data"), CASES)
def test_catalogue(text: str, kind: str, data: object) -> None:
    assert classify(text) == (kind, data)


def test_every_kind_is_listed_once() -> None:
    assert KINDS == (
        "component_started",
        "processing_stopping",
        "processing_started",
        "certificate_wait",
        "sync_started",
        "user_add_requested",
        "user_add_failed",
        "add_totals",
        "remove_totals",
        "users_removed",
        "sync_summary",
        "status_message",
        "certificate_failed",
        "no_intune_subscription",
        "message",
        "unparsed",
    )


def test_message_starts_is_a_superset_filter() -> None:
    """Longest first: a match ends at the first alternative that fits."""
    assert message_starts(["user_add_failed", "add_totals"]) == (
        "Total +received +users +to +add +from +SCCM *= *|Failed +to +add +user +"
    )


def test_hostile_messages_classify_in_linear_time() -> None:
    # Each of these would take minutes with a backtracking-prone pattern.
    for text in (
        "Failed to add user " + " " * 200_000 + "x",
        "Failed to add user " + "a;" * 100_000,
        "Total received users to add from SCCM = " + "1" * 100_000,
        "NotifyAccountAddition - SCCM user to add = " + " \t" * 100_000,
    ):
        kind, _ = classify(text)
        assert kind in ("message", "user_add_failed", "user_add_requested")
