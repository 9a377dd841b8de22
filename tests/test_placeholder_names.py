"""Redaction placeholders that have a UPN's shape (`xxx@xxx`, `user@domain.com`): a ticket's
`sed` that turned every name into one placeholder made every user one, judged by the last line
naming it, with no note: `check --fail-on overdue,failed` passed on the demo log, whose ivan is
overdue and dave failed (sweep). Such a name is no UPN (`paste.redacted`): named twice in one
cycle, it is the name of several users, whose outcome is unknown (`shared_name`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats.paste import placeholder, redacted

from .conftest import SAMPLES


@pytest.mark.parametrize(
    ("name", "masked", "any_user"),
    [
        ("xxx@xxx", True, True),
        ("XXX@contoso.com", True, True),
        ("XX@contoso.com", False, False),  # (initials: a name)
        ("x@contoso.com", False, False),
        ("xavier@contoso.com", False, False),
        ("bob@xxx.com", True, True),
        ("bob@xx", True, True),
        ("bob@x.com", False, False),
        ("user@domain.com", False, True),  # (its suffix read as any UPN's: advice holds)
        ("username@contoso.com", False, True),
        ("users@contoso.com", False, False),
        ("bob@domain.local", False, False),  # (a real on-premises suffix)
        ("jane.doe@contoso.com", False, True),
        ("John.Doe@fabrikam.com", False, True),
        ("first.last@contoso.com", False, True),
        ("firstname.lastname@contoso.com", False, True),
        ("someone@contoso.com", False, True),
        ("Mallory.Admin@Contoso.com", False, False),
        ("jan@example.org", False, False),
        ("bob@contoso.com", False, False),
        ("<UPN of User Account>", True, True),
    ],
)
def test_a_placeholder_with_a_upn_s_shape(name: str, masked: bool, any_user: bool) -> None:
    """A name masked with x's is no UPN (no advice on its suffix); a name a ticket puts for
    any user is one only where it is named twice in one cycle (several users')."""
    assert (redacted(name), placeholder(name)) == (masked, any_user)


def redacted_demo(tmp_path: Path, first: int = 1, last: int | None = None) -> str:
    text = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    lines = text.splitlines()[first - 1 : last]
    path = tmp_path / "redacted.log"
    path.write_text(re.sub(r"[A-Za-z.]+@[Cc]ontoso\.com", "xxx@xxx", "\n".join(lines) + "\n"))
    return str(path)


def test_check_fails_on_a_log_whose_every_name_is_one_placeholder(tmp_path: Path) -> None:
    path = redacted_demo(tmp_path)
    gate = CliRunner().invoke(app, ["check", "--fail-on", "overdue,failed", path])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines() == [
        "xxx@xxx (not a UPN)\tpending\tUserNotFound\toutcome unknown: a redacted name that at "
        "least 4 users share (the input names it 4 times in one cycle): whose failures these "
        "are, and whether each is stuck, it cannot say",
        "FAIL: at least 4 users (4 pending that may be stuck), limit 0 as of "
        "2026-11-25T16:04:59.644-08:00; a redacted name stands for users the input cannot count: "
        "no limit passes",
    ]
    assert (
        "logsync: xxx@xxx is the name of at least 4 users (named again in one cycle at "
        f"2026-11-24T08:00:08.351-08:00, {path}; one cycle names it 4 times): judged as one, "
        "pending, whose outcome is unknown, that a gate counts as 4 at least (no limit passes); "
        "give their names unredacted to judge each\n"
    ) in gate.stderr


def test_an_excerpt_whose_names_are_one_placeholder_gives_no_advice_on_it(tmp_path: Path) -> None:
    path = redacted_demo(tmp_path, 2434, 2460)
    result = CliRunner().invoke(app, ["report", "--format", "json", path])
    assert result.exit_code == 0
    assert '"upn":"xxx@xxx","state":"pending"' in result.stdout
    assert '"pending_reason":"shared_name","upn_redacted":true' in result.stdout
    # (no finding nor advice built on its suffix `xxx`: before, "add a routable UPN suffix")
    summary = json.loads(CliRunner().invoke(app, ["summary", "--format", "json", path]).stdout)
    assert [f["code"] for f in summary["findings"]] == ["unreconciled_counts"]
    assert summary["advice"] == []


def test_a_name_a_ticket_puts_for_every_user_is_several_users(tmp_path: Path) -> None:
    """`user@domain.com` for every name: named twice in one cycle, several users' (pending),
    where `check --fail-on overdue,failed` passed before."""
    text = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    path = tmp_path / "users.log"
    path.write_text(re.sub(r"[A-Za-z.]+@[Cc]ontoso\.com", "user@domain.com", text))
    gate = CliRunner().invoke(app, ["check", "--fail-on", "overdue,failed", str(path)])
    assert gate.exit_code == 1
    assert gate.stdout.splitlines()[0] == (
        "user@domain.com\tpending\tUserNotFound\toutcome unknown: a redacted name that at "
        "least 4 users share (the input names it 4 times in one cycle): whose failures these "
        "are, and whether each is stuck, it cannot say"
    )
