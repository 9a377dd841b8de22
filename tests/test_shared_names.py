"""A redacted name that several users share: a ticket or a log whose every UPN was replaced by
the same placeholder (`<UPN of User Account>`, `***@contoso.com`).

Every user was one: its state that of whichever user the input named last. In the demo log so
redacted, `check --fail-on overdue` passed where ivan is overdue, and `--fail-on failed` where
dave failed (LicenseLimitReached). The connector names a user once a cycle: a name named, or
failed, twice in one cycle is the name of several users. Which failures are whose, and whether
each is stuck, the input cannot say: it is `pending` (`shared_name`), and every gate counts it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from logsync.tracker import SHARED_NAME
from logsync.tracker.model import UserState

from .conftest import SAMPLES, run_installed

TWO = """\
11/24/2026 1:15:04 PM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = dave@contoso.com
                       Failed to add user dave@contoso.com; reason LicenseLimitReached
                       NotifyAccountAddition - SCCM user to add = erin@contoso.com
                       Failed to add user erin@contoso.com; reason UserNotFound
                       Total received users to add from SCCM = 2, Total Successfully added users to Cloud = 0
                       UserDeltaSync:- Users Added = 0, Users Removed = 0
"""
"""A cycle that fails dave (LicenseLimitReached) and erin (UserNotFound)."""
PLACEHOLDER = "<UPN of User Account>"
DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")


ONE_NAME_NOTE = (
    f"logsync: {PLACEHOLDER} is a redacted name, judged as one user (no cycle names it twice): if "
    "it stands for several, their failures and states are judged as one's, and a gate counts "
    "one; give the names unredacted to judge each\n"
)


def redacted(text: str, name: str) -> str:
    return re.sub(r"[\w.'-]+@contoso\.com", name, text, flags=re.I)


def written(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def report(path: Path, pure: str) -> tuple[list[tuple[object, ...]], str]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    users = json.loads(result.stdout)["users"]
    found = [(u["upn"], u["state"], u["pending_reason"], u["expected_recovery"]) for u in users]
    return found, result.stderr.decode()


def gate(path: Path, fail_on: str, pure: str) -> tuple[int, str]:
    result = run_installed("check", "--fail-on", fail_on, str(path), LOGSYNC_PURE=pure)
    return result.returncode, result.stdout.decode().splitlines()[-1]


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_placeholder_named_twice_in_a_cycle_is_several_users(tmp_path: Path, pure: str) -> None:
    path = written(tmp_path, redacted(TWO, PLACEHOLDER), "ticket.txt")
    users, stderr = report(path, pure)
    assert users == [(PLACEHOLDER, "pending", SHARED_NAME, None)]
    assert "judged as one user" not in stderr  # (the note of a name no cycle names twice)
    assert (
        "logsync: <UPN of User Account> is the name of at least 2 users (named again in one cycle "
        f"at 2026-11-24T13:15:04, {path}:4; one cycle names it twice): judged as one, pending, "
        "whose outcome is unknown, that a gate counts as 2 at least (no limit passes); give their "
        "names unredacted to judge each\n"
    ) in stderr
    for fail_on in ("failed", "overdue", "waiting"):
        assert gate(path, fail_on, pure) == (
            1, "FAIL: at least 2 users (2 pending that may be stuck), limit 0 as of 2026-11-24T13:15:04; a "
            "redacted name stands for users the input cannot count: no limit passes"
        )


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("name", [PLACEHOLDER, "***@contoso.com"])
def test_the_demo_log_with_every_name_redacted_fails_every_gate(tmp_path: Path, name: str, pure: str) -> None:
    path = written(tmp_path, redacted(DEMO, name), "CloudUserSync.log")
    users, stderr = report(path, pure)
    assert users == [(name, "pending", SHARED_NAME, None)]
    assert f"logsync: {name} is the name of at least 4 users (named again in one cycle at " in stderr
    for fail_on in ("failed", "overdue"):  # (the log fails dave, and ivan is overdue)
        code, last = gate(path, fail_on, pure)  # (4: the most users one cycle of it names)
        assert (code, last[:61]) == (1, "FAIL: at least 4 users (4 pending that may be stuck), limit 0")


@pytest.mark.parametrize("pure", ["", "1"])
def test_one_user_redacted_throughout_is_judged_as_that_user(tmp_path: Path, pure: str) -> None:
    """Named once a cycle: one user, whose name is redacted (SPEC §1's scott recovered)."""
    path = written(tmp_path, redacted(TICKET, PLACEHOLDER), "ticket.txt")
    users, stderr = report(path, pure)
    assert users == [(PLACEHOLDER, "recovered", None, None)]
    assert "is the name of" not in stderr
    assert ONE_NAME_NOTE in stderr


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_name_in_full_named_twice_in_a_cycle_is_no_shared_name(tmp_path: Path, pure: str) -> None:
    """Only a redacted name is taken for several users' (a UPN is one user's)."""
    text = TWO.replace("erin@contoso.com", "dave@contoso.com")
    path = written(tmp_path, text, "ticket.txt")
    users, stderr = report(path, pure)
    assert [user[:3] for user in users] == [("dave@contoso.com", "waiting", None)]
    assert "is the name of" not in stderr


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_shared_name_that_never_failed_keeps_its_state(tmp_path: Path, pure: str) -> None:
    """Named twice in one cycle, and no failure: no user of it failed."""
    text = TWO.replace(
        "Failed to add user dave@contoso.com; reason LicenseLimitReached\n", ""
    ).replace("Failed to add user erin@contoso.com; reason UserNotFound\n", "")
    text = re.sub(r"^ +\n", "", text.replace("Cloud = 0", "Cloud = 2"), flags=re.M)
    path = written(tmp_path, redacted(text, PLACEHOLDER), "ticket.txt")
    users, stderr = report(path, pure)
    assert [(user[0], user[2]) for user in users] == [(PLACEHOLDER, None)]
    assert "is the name of" not in stderr


def test_every_gate_counts_a_shared_name() -> None:
    fields = dict.fromkeys(UserState._fields)
    user = UserState(**{**fields, "state": "pending", "pending_reason": SHARED_NAME, "failures": 2})  # type: ignore[arg-type]
    assert user.outcome_unknown
    assert user.unknown_as == ("waiting", "overdue", "failed")
    assert user.listed_in(("failed",))


SWAPPED = TWO.replace("LicenseLimitReached", "Other").replace("UserNotFound", "LicenseLimitReached")
"""The cycle with its failures' reasons swapped: the last one names no timer (LicenseLimitReached)."""
NEXT_CYCLE = """\
11/24/2026 1:20:04 PM  Starting user delta sync, raise failure status messages = True
                       Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0
"""
ADDED_NEXT_DAY = """\
11/25/2026 1:20:04 PM  Starting user delta sync, raise failure status messages = True
                       NotifyAccountAddition - SCCM user to add = <UPN of User Account>
                       Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1
"""


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("text", "now"),
    [
        (redacted(SWAPPED.replace("Other", "UserNotFound"), PLACEHOLDER) + NEXT_CYCLE, "2026-11-26T12:00"),
        (redacted(TWO, PLACEHOLDER) + ADDED_NEXT_DAY, None),
    ],
    ids=["failed last", "added later"],
)
def test_a_shared_name_settled_as_failed_or_recovered_is_pending_in_every_output(
    tmp_path: Path, text: str, now: str | None, pure: str
) -> None:
    """Whatever state its last lines would settle (`failed`, `recovered`), every output and
    every gate has it pending (`report` lists, and counts, the states it is asked for)."""
    path = written(tmp_path, text, "ticket.txt")
    at = ["--now", now] if now else []
    listed = run_installed("report", "--format", "json", *at, str(path), LOGSYNC_PURE=pure)
    document = json.loads(listed.stdout)
    assert [(u["upn"], u["state"], u["pending_reason"]) for u in document["users"]] == [
        (PLACEHOLDER, "pending", SHARED_NAME)
    ]
    assert (document["summary"]["pending"], document["summary"]["failed"]) == (1, 0)
    assert document["summary"]["recovered"] == 0
    for fail_on in ("overdue", "waiting", "failed"):
        check = run_installed("check", "--fail-on", fail_on, *at, str(path), LOGSYNC_PURE=pure)
        report = run_installed("report", "--fail-on", fail_on, *at, str(path), LOGSYNC_PURE=pure)
        assert (check.returncode, report.returncode) == (1, 1)


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    "text",
    [
        # (`findstr "Failed to add"`: one user, failed a day apart, no cycle between)
        "Failed to add user <UPN of User Account>; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>"
        "<09-14-2014 10:23:54.000+240><thread=5616 (0x15F0)>\n"
        "Failed to add user <UPN of User Account>; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>"
        "<09-15-2014 10:24:12.000+240><thread=5616 (0x15F0)>\n",
        # (no times: whether the second naming is in the same cycle, the input cannot say)
        "NotifyAccountAddition - SCCM user to add = <UPN of User Account>\n"
        "Failed to add user <UPN of User Account>; reason UserNotFound\n"
        "NotifyAccountAddition - SCCM user to add = <UPN of User Account>\n"
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0\n",
        # (no times, no cycle's start: failures of one cycle or of two, the input cannot say)
        "Failed to add user <UPN of User Account>; reason UserNotFound\n" * 2,
    ],
    ids=["failures a day apart", "no times", "failures with no times"],
)
def test_a_name_again_where_no_cycle_shows_it_is_one_user(tmp_path: Path, text: str, pure: str) -> None:
    path = written(tmp_path, text, "ticket.txt")
    users, stderr = report(path, pure)
    assert [user[:3] for user in users] == [(PLACEHOLDER, "waiting", None)]
    assert "is the name of" not in stderr



@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("named", ["both", "notified", "failed"])
def test_a_placeholder_again_in_a_cycle_whose_start_shows_with_no_times(
    tmp_path: Path, pure: str, named: str
) -> None:
    """The blog post's message lines, with no times: three users named `<UPN of User Account>`
    in one cycle whose start line is quoted. They were one user, `waiting` with 3 failures,
    and nothing said. The connector names a user once a cycle: where the cycle's start shows,
    a name again in it is several users' (as with times)."""
    notify = f"NotifyAccountAddition - SCCM user to add = {PLACEHOLDER}\n"
    fail = f"Failed to add user {PLACEHOLDER}; reason UserNotFound\n"
    each = {"both": notify + fail, "notified": notify, "failed": fail}[named]
    lines = [
        "Starting user delta sync, raise failure status messages = True\n",
        "Total received users from SCCM to be removed from cloud = 0\n",
        "Successfully removed users from cloud 0\n",
        *(notify + fail if k == 0 else each for k in range(3)),
        "Total received users to add from SCCM = 3, Total Successfully added users to Cloud = 0\n",
    ]
    path = tmp_path / "quoted.txt"
    path.write_text("".join(lines), encoding="utf-8")
    users, stderr = report(path, pure)
    assert users == [(PLACEHOLDER, "pending", SHARED_NAME, None)]
    assert (
        f"logsync: {PLACEHOLDER} is the name of at least 3 users (named again in one cycle, "
        f"{path}:6; one cycle names it 3 times): judged as one"
    ) in stderr
    assert run_installed("check", str(path), LOGSYNC_PURE=pure).returncode == 1


def failures(per_cycle: list[int], apart: int = 300) -> str:
    """`findstr "Failed to add"` of a log whose every name was redacted: each cycle (`apart`
    seconds after the one before) fails the given number of users, a second apart."""
    lines = []
    for cycle, count in enumerate(per_cycle):
        for k in range(count):
            at = 10 * 3600 + 23 * 60 + cycle * apart + k
            clock = f"{at // 3600:02d}:{at // 60 % 60:02d}:{at % 60:02d}"
            lines.append(
                f"Failed to add user {PLACEHOLDER}; reason UserNotFound  $$<SMS_CLOUD_USERSYNC>"
                f"<09-14-2014 {clock}.000+240><thread=5616 (0x15F0)>\n"
            )
    return "".join(lines)


def notified(per_cycle: list[int]) -> str:
    """The blog post's message lines with no times, every name redacted: each cycle, with its
    start line, notifies and fails the given number of users."""
    text = ""
    for count in per_cycle:
        text += "Starting user delta sync, raise failure status messages = True\n"
        text += f"NotifyAccountAddition - SCCM user to add = {PLACEHOLDER}\n" * count
        text += f"Failed to add user {PLACEHOLDER}; reason UserNotFound\n" * count
        text += (
            f"Total received users to add from SCCM = {count}, "
            "Total Successfully added users to Cloud = 0\n"
        )
    return text


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize(
    ("text", "users"),
    [
        (failures([3, 3, 3, 3]), 3),  # (not 12: the failures of each cycle are counted apart)
        (failures([2, 4, 1]), 4),
        # (the last failure of one and the first of the other 61 s apart: two cycles; 60 s
        # apart, one cycle's, as far as the input can say)
        (failures([2, 2], apart=62), 2),
        (failures([2, 2], apart=61), 4),
        (notified([2, 3, 2]), 3),
        (notified([3, 1, 1, 1]), 3),
    ],
    ids=["3 a cycle", "2, 4, 1", "61 s apart", "60 s apart", "no times 2, 3, 2", "no times 3, 1"],
)
def test_a_shared_name_stands_for_the_most_users_one_cycle_names(
    tmp_path: Path, text: str, users: int, pure: str
) -> None:
    path = written(tmp_path, text, "ticket.txt")
    result = run_installed("report", "--format", "json", str(path), LOGSYNC_PURE=pure)
    [user] = json.loads(result.stdout)["users"]
    assert (user["pending_reason"], user["shared_by"]) == (SHARED_NAME, users)
    assert f"is the name of at least {users} users" in result.stderr.decode()


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("limit", [2, 3, 100])
def test_every_output_of_the_gate_counts_each_user_a_shared_name_stands_for(
    tmp_path: Path, limit: int, pure: str
) -> None:
    """Three users named `<UPN of User Account>` in one cycle: one user `pending` before, and
    `check --max-stuck 1` passed. Each counts against `--max-stuck`, and as the input cannot
    say how many users the name stands for (3 at least), no limit passes: the exit code, the
    text, the JSON and the JUnit say the same."""
    path = written(tmp_path, notified([1, 3]), "quoted.txt")
    junit = tmp_path / "junit.xml"
    args = ("check", "--max-stuck", str(limit), str(path))
    text = run_installed(*args, "--junit", str(junit), LOGSYNC_PURE=pure)
    document = json.loads(run_installed(*args, "--format", "json", LOGSYNC_PURE=pure).stdout)
    assert (text.returncode, text.stdout.decode().splitlines()) == (
        1,
        [
            f"{PLACEHOLDER} (not a UPN)\tpending\tUserNotFound\toutcome unknown: a redacted name "
            "that at least 3 users share (the input names it 3 times in one cycle): whose "
            "failures these are, and whether each is stuck, it cannot say",
            f"FAIL: at least 3 users (3 pending that may be stuck), limit {limit} (the input has "
            "no times); a redacted name stands for users the input cannot count: no limit passes",
        ],
    )
    assert (document["passed"], document["counts"]["pending"], document["counted"]["pending"]) == (
        False, 1, 3
    )
    assert document["within_limit"] == []
    assert [(u["upn"], u["shared_by"]) for u in document["failing"]] == [(PLACEHOLDER, 3)]
    xml = junit.read_text(encoding="utf-8")
    assert '<testsuite name="logsync check" tests="2" failures="1"' in xml
    assert "pending: outcome unknown: a redacted name that at least 3 users share" in xml


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_gate_that_does_not_count_the_shared_name_passes(tmp_path: Path, pure: str) -> None:
    """`--fail-on connector`: the users, and the name, are not counted."""
    path = written(tmp_path, notified([1, 3]), "quoted.txt")
    result = run_installed("check", "--fail-on", "connector", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_users_a_gate_does_not_count_are_each_user_a_shared_name_stands_for(
    tmp_path: Path, pure: str
) -> None:
    """The demo log with every name redacted: the name stands for 4 users at least, and a gate
    that does not count them says so, not "1 pending user"; the clean log's line is unchanged."""
    path = written(tmp_path, redacted(DEMO, PLACEHOLDER), "CloudUserSync.log")
    code, last = gate(path, "connector", pure)
    assert (code, last) == (
        0, "ok: no connector problem as of 2026-11-25T16:04:59.644-08:00; at least 4 pending "
        "users not counted by --fail-on connector"
    )
    code, last = gate(written(tmp_path, DEMO, "clean.log"), "connector", pure)
    assert (code, last) == (
        0, "ok: no connector problem as of 2026-11-25T16:04:59.644-08:00; 4 stuck users, 1 "
        "failed user and 1 pending user not counted by --fail-on connector"
    )


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_shared_name_shows_no_add_or_recovery_of_one_of_its_users(tmp_path: Path, pure: str) -> None:
    """One of the users behind the name was added at 07:45 on the 25th: the name, pending, has
    no `synced_at` (nor `recovered_at`) in any output."""
    path = written(tmp_path, redacted(DEMO, PLACEHOLDER), "CloudUserSync.log")
    result = run_installed("report", "--all", "--format", "csv", str(path), LOGSYNC_PURE=pure)
    assert result.stdout.decode().splitlines()[1:] == [
        "<UPN of User Account>,pending,UserNotFound,2026-11-25T09:10:08.462-08:00,"
        "2026-11-25T14:30:09.041-08:00,3,2026-11-26T14:30:09.041-08:00,,,,,",
    ]
    result = run_installed("report", "--format", "json", str(path), LOGSYNC_PURE=pure)
    (user,) = json.loads(result.stdout)["users"]
    assert (user["synced_at"], user["recovered_at"], user["shared_by"]) == (None, None, 4)


def test_the_users_a_name_stands_for_are_counted_by_cycle() -> None:
    from logsync.tracker.openings import Openings

    openings = Openings()
    here = (0, None)
    for cycle, times in ((1, 2), (2, 3), (3, 2)):
        for _ in range(times - 1):  # (the first naming of a cycle is none again)
            openings.named_in_cycle("<x>", "<x>", here, "a.log", 1, cycle)
    assert openings.sharers == {"<x>": 3}
    assert openings.several == {"<x>": (here, "a.log", 1)}
    openings.named_in_cycle("bob@contoso.com", "bob@contoso.com", here, "a.log", 2, 4)
    assert "bob@contoso.com" not in openings.sharers  # (a name in full is one user's)
    # failures: again after the failure counted last is the same cycle's
    for us in (10, 11, 12):
        openings.named_in_cycle("<y>", "<y>", (us, None), "a.log", us, 1, (us - 1, None))
    openings.named_in_cycle("<y>", "<y>", (400, None), "a.log", 400, 1, (399, None))
    assert openings.sharers["<y>"] == 4  # (10 follows 9: none counted, so 2; then 3, 4; then 2)


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_redacted_name_no_cycle_names_twice_is_said_to_be_judged_as_one_user(
    tmp_path: Path, pure: str
) -> None:
    """bob and ivan redacted to one name, which no cycle names twice: judged as one user, who
    failed again (bob's failure) after it was overdue (ivan's), so `waiting`; ivan is overdue,
    and `check --fail-on overdue` passes. The input cannot say it is two users; stderr says
    what the judgement rests on, whatever the gate lists."""
    text = re.sub(r"(bob|ivan)@contoso\.com", PLACEHOLDER, DEMO)
    path = written(tmp_path, text, "CloudUserSync.log")
    gate = run_installed("check", "--fail-on", "overdue", str(path), LOGSYNC_PURE=pure)
    assert gate.returncode == 0
    assert gate.stderr.decode().count(ONE_NAME_NOTE) == 1
    clean = run_installed("check", "--fail-on", "overdue", str(written(tmp_path, DEMO, "a.log")))
    assert b"is a redacted name" not in clean.stderr


def test_past_many_users_only_the_listed_names_are_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ticket's scott, redacted: recovered, listed by `report --all` only."""
    from typer.testing import CliRunner

    from logsync.cli import app

    path = str(written(tmp_path, redacted(TICKET, PLACEHOLDER), "ticket.txt"))
    monkeypatch.setattr("logsync.cli.notes._MOST_SEARCHED", 1)  # (the ticket has 1 user)
    assert CliRunner().invoke(app, ["report", path]).stderr.count(ONE_NAME_NOTE) == 1
    monkeypatch.setattr("logsync.cli.notes._MOST_SEARCHED", 0)
    assert ONE_NAME_NOTE not in CliRunner().invoke(app, ["report", path]).stderr
    assert CliRunner().invoke(app, ["report", "--all", path]).stderr.count(ONE_NAME_NOTE) == 1


def test_a_gate_that_counts_some_users_says_the_shared_name_it_does_not_is_at_least_so_many(
    tmp_path: Path,
) -> None:
    """`--fail-on fixable` counts the stuck users in Azure AD, not heidi and erin under one
    redacted name (3 at least, with frank): the users it does not count are a least number."""
    path = written(tmp_path, re.sub(r"(heidi|erin)@contoso\.com", PLACEHOLDER, DEMO), "CloudUserSync.log")
    cloud = str(SAMPLES / "azure-ad-users.csv")
    result = run_installed("check", "--fail-on", "fixable", "--cloud-users", cloud, str(path))
    assert result.stdout.decode().splitlines()[-1] == (
        "FAIL: 2 users (1 waiting, 1 overdue), limit 0 as of 2026-11-25T16:04:59.644-08:00; 1 "
        "failed user and at least 3 pending users not counted by --fail-on fixable"
    )


def _trace(records: list[str], minute: int) -> str:
    """One cycle of SMS trace at 10:`minute` on 11-24 (UTC-8), its records 1 ms apart."""
    lines = [
        "Starting user delta sync, raise failure status messages = True",
        "Total received users from SCCM to be removed from cloud = 0",
        "Successfully removed users from cloud 0",
        *records,
    ]
    return "".join(
        f"{text}  $$<SMS_CLOUD_USERSYNC><11-24-2026 10:{minute:02}:00.{100 + n:03}+480>"
        "<thread=5616 (0x15F0)>\n"
        for n, text in enumerate(lines)
    )


MASKED = "***@contoso.com"
SHARED_AND_ALICE = (
    _trace(
        [f"NotifyAccountAddition - SCCM user to add = {MASKED}",
         f"Failed to add user {MASKED}; reason UserNotFound"] * 3
        + ["NotifyAccountAddition - SCCM user to add = alice@contoso.com",
           "Total received users to add from SCCM = 4, Total Successfully added users to Cloud = 1",
           "UserDeltaSync:- Users Added = 1, Users Removed = 0"],
        0,
    )
    + "".join(
        _trace(
            [f"NotifyAccountAddition - SCCM user to add = {MASKED}"] * 3
            + ["Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0",
               "UserDeltaSync:- Users Added = 0, Users Removed = 0"],
            minute,
        )
        for minute in (5, 10)
    )
)
"""A cycle notifies and fails three users whose names are masked alike, and adds alice (4
received, 1 added); two cycles name the three again and receive nobody."""


@pytest.mark.parametrize("pure", ["", "1"])
def test_a_shared_name_counts_as_its_users_in_its_cycle_s_totals(tmp_path: Path, pure: str) -> None:
    """The totals were read against the names (2, not the 4 users notified): "totals that do
    not match" and alice `pending`, where she was the one user added. The name's second and
    third users in the first cycle were held back by the first one's failure (`timeline`:
    held back; the day: 2 tried, 8 held back): they are tries, and in the next cycles, their
    own failures before, each is held back (4 tried, 6 held back)."""
    path = written(tmp_path, SHARED_AND_ALICE, "CloudUserSync.log")
    users, _ = report(path, pure)
    assert users == [
        (MASKED, "pending", SHARED_NAME, None),
        ("alice@contoso.com", "synced", None, None),
    ]
    result = run_installed("summary", "--format", "json", str(path), LOGSYNC_PURE=pure)
    summary = json.loads(result.stdout)
    assert [f["code"] for f in summary["findings"]] == []
    assert summary["per_day"] == [
        {"date": "2026-11-24", "requested": 4, "held_back": 6, "added": 1, "failed": 3}
    ]
    timeline = run_installed("timeline", MASKED, str(path), LOGSYNC_PURE=pure)
    steps = [line.split("\t") for line in timeline.stdout.decode().splitlines()]
    assert [(step[1], step[-1].rsplit(":", 1)[-1]) for step in steps[:7]] == [
        ("requested", "4"), ("failed", "5"), ("requested", "6"), ("failed", "7"),
        ("requested", "8"), ("failed", "9"), ("held_back", "16"),
    ]


@pytest.mark.parametrize("pure", ["", "1"])
def test_the_demo_log_redacted_whole_counts_its_first_day_s_tries_as_the_log_does(
    tmp_path: Path, pure: str
) -> None:
    """Every name masked alike: its first day was 1 tried and 553 held back, where the demo
    log has 6 tried (carol, alice, grace, ivan, ...) and 548 held back."""
    days = {}
    for name, text in (("clean.log", DEMO), ("CloudUserSync.log", redacted(DEMO, PLACEHOLDER))):
        path = written(tmp_path, text, name)
        result = run_installed("summary", "--format", "json", str(path), LOGSYNC_PURE=pure)
        days[name] = json.loads(result.stdout)["per_day"][0]
    assert days["CloudUserSync.log"] == days["clean.log"] == {
        "date": "2026-11-24", "requested": 6, "held_back": 548, "added": 2, "failed": 4
    }
