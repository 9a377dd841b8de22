"""A log quoted on a page or in a document, its ` - ` set as a dash (WordPress, Confluence,
Word, Markdown's `--`): `NotifyAccountAddition – SCCM user to add = …`.

Every request was a message of no known kind: held-back users were never notified, and `check`
passed (exit 0) with nothing on stderr where the log fails bob, erin and heidi; in SPEC §1's
excerpt scott was `waiting` where he recovered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from logsync.events import classify, phrase_starts

from .conftest import SAMPLES, run_installed

DASHES = ["\u2013", "\u2014", "--", "\u2011", "\u2212"]
"""An en dash, an em dash, Markdown's two hyphens, a non-breaking hyphen, a minus sign."""
DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")


def dashed(text: str, dash: str) -> str:
    for message in ("NotifyAccountAddition - ", "CCloudUserSync::Process - "):
        text = text.replace(message, message.replace("-", dash))
    return text.replace("UserDeltaSync:- ", f"UserDeltaSync:{dash} ")


def answers(path: Path, pure: str) -> tuple[list[dict[str, object]], dict[str, object]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    return document["users"], document["summary"]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("dash", DASHES)
def test_the_demo_log_with_its_dashes_set_gives_the_answers_of_the_log(tmp_path: Path, dash: str, pure: str) -> None:
    excerpt = "\n".join(DEMO.splitlines()[2400:2700]) + "\n"  # (bob's failure and held-back cycles)
    clean = tmp_path / "clean.log"
    clean.write_text(excerpt, encoding="utf-8")
    path = tmp_path / "dashed.log"
    path.write_text(dashed(excerpt, dash), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != excerpt
    assert answers(path, pure) == answers(clean, pure)
    check = run_installed("check", str(path), LOGSYNC_PURE=pure)
    assert check.returncode == 1
    assert check.stdout.decode().splitlines()[-1].startswith("FAIL: 2 users (2 waiting)")


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("dash", DASHES)
def test_spec_s_excerpt_with_its_dash_set_gives_its_answers(tmp_path: Path, dash: str, pure: str) -> None:
    path = tmp_path / "ticket.txt"
    path.write_text(dashed(TICKET, dash), encoding="utf-8")
    users, _ = answers(path, pure)
    assert [(u["upn"], u["state"], u["recovered_at"]) for u in users] == [
        ("scott@contoso.com", "recovered", "2014-09-15T10:24:12")
    ]


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("NotifyAccountAddition \u2013 SCCM user to add = bob@contoso.com", "user_add_requested"),
        ("NotifyAccountAddition\u00a0-- SCCM user to add = bob@contoso.com", "message"),
        ("NotifyAccountAddition  \u2014  SCCM user to add = bob@contoso.com", "user_add_requested"),
        ("NotifyAccountAddition --- SCCM user to add = bob@contoso.com", "message"),
        ("NotifyAccountAddition SCCM user to add = bob@contoso.com", "message"),
        ("NotifyAccountAddition \u2013\u2013 SCCM user to add = bob@contoso.com", "message"),
        ("NotifyAccountAddition \u2010 SCCM user to add = bob@contoso.com", "user_add_requested"),
        ("NotifyAccountAddition \u2015 SCCM user to add = bob@contoso.com", "user_add_requested"),
        ("NotifyAccountAddition \u2016 SCCM user to add = bob@contoso.com", "message"),
        ("NotifyAccountAddition \uff0d SCCM user to add = bob@contoso.com", "user_add_requested"),
        ("CCloudUserSync::Process \u2014 User sync processing has started", "processing_started"),
        ("CCloudUserSync::Process -- User sync processing thread is now stopping", "processing_stopping"),
        ("UserDeltaSync:\u2013 Users Added = 1, Users Removed = 0", "sync_summary"),
        ("UserDeltaSync:-- Users Added = 1, Users Removed = 0", "sync_summary"),
        ("UserDeltaSync:--- Users Added = 1, Users Removed = 0", "message"),
    ],
)
def test_which_dashes_a_message_may_have(message: str, kind: str) -> None:
    assert classify(message)[0] == kind


def test_the_phrases_that_tell_lines_cut_off_are_the_messages_as_logged() -> None:
    """The dash is no field: lines cut off at a width are told by the messages' words as
    logged (`cut -c1-40` of the blog post's quotes cuts 3 lines, not 4: see
    `test_pasted_cuts`)."""
    starts = phrase_starts()
    assert "NotifyAccountAddition - SCCM user to add=" in starts
    assert "CCloudUserSync::Process - User sync processing has started" in starts
    assert not any("(?:" in start or "\u2013" in start for start in starts)
