"""Terminal and pipe polish: layouts at 80, 100 and 120 columns, piped text, one-line errors,
shared options on every command, runnable examples, hints."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app

from .conftest import LOGSYNC, ROOT, SAMPLES, on_terminal, run_installed, without_log_end_note
from .logtext import Log

runner = CliRunner()


def long_upn_log(folder: Path) -> str:
    """UPNs of realistic length (30-42 characters), hourly cycles, one of each state."""
    log = Log(bias=480)
    log.cycle(
        "2026-11-24 09:10:00",
        ("heidi.vandermeer-jones@contoso.com", "Christopher.Montgomery@corp.contoso.com"),
        {
            "heidi.vandermeer-jones@contoso.com": "UserNotFound",
            "Christopher.Montgomery@corp.contoso.com": "LicenseLimitReached",
        },
    )
    log.cycles("2026-11-24 10:10", "2026-11-25 09:00", every=timedelta(hours=1))
    log.cycle(
        "2026-11-25 09:10:00",
        ("bartholomew.okonkwo-smith@fabrikam.example", "dana.lee@contoso.com"),
        {"bartholomew.okonkwo-smith@fabrikam.example": "UserNotFound"},
    )
    log.cycles("2026-11-25 10:10", "2026-11-25 16:00", every=timedelta(hours=1))
    return log.write(folder / "CloudUserSync.log")


EXPECTED = {
    ('report', 40): [
        'as of 2026-11-25 15:10:00 -08:00 · 162',
        'lines · 31 cycles · 0 restarts ·',
        'connector running',
        'bartholomew.okonkwo-smith@fabrikam.examp',
        'le',
        '  waiting · UserNotFound',
        '  stuck since Nov 25 09:10:02',
        '  full sync due Nov 26 09:10',
        '  expected recovery Nov 26 10:10 ~',
        '  in 19h 00m',
        'heidi.vandermeer-jones@contoso.com',
        '  overdue · UserNotFound',
        '  stuck since Nov 24 09:10:02',
        '  full sync due Nov 25 09:10',
        '  expected recovery Nov 25 10:10',
        '  overdue 5h 00m',
        'Christopher.Montgomery@corp.contoso.com',
        '  failed · LicenseLimitReached',
        '  stuck since Nov 24 09:10:04',
        'dana.lee@contoso.com',
        '  synced',
        'times at UTC-08:00 · ~ predicted from',
        'the cycle interval',
        '2 stuck · next recovery 2026-11-26',
        '10:10:00 -08:00 (in 19h 00m) · 1 overdue',
        '· 1 failed: LicenseLimitReached · 1',
        'synced',
        'Next: Restart the SMS Executive service',
        'on the site server with the service',
        'connection point to force a full sync:',
        'it would retry 1 waiting user',
        '(bartholomew.okonkwo-smith@fabrikam.exam',
        'ple) up to 18h 00m sooner and 1 overdue',
        'user',
        '(heidi.vandermeer-jones@contoso.com).',
    ],
    ('summary', 40): [
        'Connector summary · 2026-11-24 09:10:00',
        '-08:00 → 2026-11-25 15:10:00 -08:00 · 31',
        'cycles every 1h 00m · 0 restarts',
        '2026-11-24  tried 2 · held back 0 ·',
        'added 0 · failed 2',
        '2026-11-25  tried 2 · held back 0 ·',
        'added 1 · failed 1',
        'Failure reasons: UserNotFound ×2,',
        'LicenseLimitReached ×1',
        '▲ stuck_users  1 user waits for the 24 h',
        'full sync; the next',
        '(bartholomew.okonkwo-smith@fabrikam.exam',
        'ple) is expected at',
        '2026-11-26T10:10:00-08:00',
        '(CloudUserSync.log:129)',
        '✖ overdue_users  1 user passed the',
        'expected recovery with no retry logged',
        '(heidi.vandermeer-jones@contoso.com)',
        '(CloudUserSync.log:5)',
        '→ Restart the SMS Executive service on',
        'the site server with the service',
        'connection point to force a full sync:',
        'it would retry 1 waiting user',
        '(bartholomew.okonkwo-smith@fabrikam.exam',
        'ple) up to 18h 00m sooner and 1 overdue',
        'user',
        '(heidi.vandermeer-jones@contoso.com).',
        '→ 2 users failed with UserNotFound on',
        'their first try: user discovery found',
        'them before directory sync had put them',
        'in Azure AD. Avoiding the 24 h wait',
        'takes directory sync before the',
        "connector's first try, at most one cycle",
        '(1h 00m) after discovery: a sync',
        'interval under 1h 00m would have avoided',
        "it (Azure AD Connect's default of 30",
        "minutes is; DirSync's default of 3 hours",
        'is not), or schedule user discovery',
        'after the directory sync cycle.',
        '→ Users failing with LicenseLimitReached',
        'are not retried by any timer: fix the',
        'cause, then restart SMS Executive to',
        'retry them.',
    ],
    ('summary', 50): [
        'Connector summary · 2026-11-24 09:10:00 -08:00 →',
        '2026-11-25 15:10:00 -08:00 · 31 cycles every 1h',
        '00m · 0 restarts',
        'Day        ┃ Tried ┃ Held back ┃ Added ┃ Failed',
        '━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━',
        '2026-11-24 │     2 │         0 │     0 │      2',
        '2026-11-25 │     2 │         0 │     1 │      1',
        'Failure reasons: UserNotFound ×2,',
        'LicenseLimitReached ×1',
        '▲ stuck_users  1 user waits for the 24 h full',
        'sync; the next',
        '(bartholomew.okonkwo-smith@fabrikam.example) is',
        'expected at 2026-11-26T10:10:00-08:00',
        '(CloudUserSync.log:129)',
        '✖ overdue_users  1 user passed the expected',
        'recovery with no retry logged',
        '(heidi.vandermeer-jones@contoso.com)',
        '(CloudUserSync.log:5)',
        '→ Restart the SMS Executive service on the site',
        'server with the service connection point to force',
        'a full sync: it would retry 1 waiting user',
        '(bartholomew.okonkwo-smith@fabrikam.example) up to',
        '18h 00m sooner and 1 overdue user',
        '(heidi.vandermeer-jones@contoso.com).',
        '→ 2 users failed with UserNotFound on their first',
        'try: user discovery found them before directory',
        'sync had put them in Azure AD. Avoiding the 24 h',
        "wait takes directory sync before the connector's",
        'first try, at most one cycle (1h 00m) after',
        'discovery: a sync interval under 1h 00m would have',
        "avoided it (Azure AD Connect's default of 30",
        "minutes is; DirSync's default of 3 hours is not),",
        'or schedule user discovery after the directory',
        'sync cycle.',
        '→ Users failing with LicenseLimitReached are not',
        'retried by any timer: fix the cause, then restart',
        'SMS Executive to retry them.',
    ],
    ('report', 80): [
        'as of 2026-11-25 15:10:00 -08:00 · 162 lines · 31 cycles · 0 restarts ·',
        'connector running',
        'User                                       ┃ Expected       ┃',
        'State · Reason                             ┃ recovery       ┃      Remaining',
        '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━',
        'bartholomew.okonkwo-smith@fabrikam.example │ Nov 26 10:10 ~ │     in 19h 00m',
        'waiting · UserNotFound                     │                │',
        'heidi.vandermeer-jones@contoso.com         │ Nov 25 10:10   │ overdue 5h 00m',
        'overdue · UserNotFound                     │                │',
        'Christopher.Montgomery@corp.contoso.com    │ -              │              -',
        'failed · LicenseLimitReached               │                │',
        'dana.lee@contoso.com                       │ -              │              -',
        'synced · -                                 │                │',
        'times at UTC-08:00 · ~ predicted from the cycle interval',
        '2 stuck · next recovery 2026-11-26 10:10:00 -08:00 (in 19h 00m) · 1 overdue · 1',
        'failed: LicenseLimitReached · 1 synced',
        'Next: Restart the SMS Executive service on the site server with the service',
        'connection point to force a full sync: it would retry 1 waiting user',
        '(bartholomew.okonkwo-smith@fabrikam.example) up to 18h 00m sooner and 1 overdue',
        'user (heidi.vandermeer-jones@contoso.com).',
    ],
    ('report', 100): [
        'as of 2026-11-25 15:10:00 -08:00 · 162 lines · 31 cycles · 0 restarts · connector running',
        'User                                       ┃         ┃ Expected       ┃',
        'Reason                                     ┃ State   ┃ recovery       ┃      Remaining',
        '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━',
        'bartholomew.okonkwo-smith@fabrikam.example │ waiting │ Nov 26 10:10 ~ │     in 19h 00m',
        'UserNotFound                               │         │                │',
        'heidi.vandermeer-jones@contoso.com         │ overdue │ Nov 25 10:10   │ overdue 5h 00m',
        'UserNotFound                               │         │                │',
        'Christopher.Montgomery@corp.contoso.com    │ failed  │ -              │              -',
        'LicenseLimitReached                        │         │                │',
        'dana.lee@contoso.com                       │ synced  │ -              │              -',
        '-                                          │         │                │',
        'times at UTC-08:00 · ~ predicted from the cycle interval',
        '2 stuck · next recovery 2026-11-26 10:10:00 -08:00 (in 19h 00m) · 1 overdue · 1 failed:',
        'LicenseLimitReached · 1 synced',
        'Next: Restart the SMS Executive service on the site server with the service connection point to',
        'force a full sync: it would retry 1 waiting user (bartholomew.okonkwo-smith@fabrikam.example) up to',
        '18h 00m sooner and 1 overdue user (heidi.vandermeer-jones@contoso.com).',
    ],
    ('report', 120): [
        'as of 2026-11-25 15:10:00 -08:00 · 162 lines · 31 cycles · 0 restarts · connector running',
        'User                                       ┃         ┃ Full sync    ┃ Expected       ┃',
        'Reason                                     ┃ State   ┃ due          ┃ recovery       ┃      Remaining',
        '━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━',
        'bartholomew.okonkwo-smith@fabrikam.example │ waiting │ Nov 26 09:10 │ Nov 26 10:10 ~ │     in 19h 00m',
        'UserNotFound                               │         │              │                │',
        'heidi.vandermeer-jones@contoso.com         │ overdue │ Nov 25 09:10 │ Nov 25 10:10   │ overdue 5h 00m',
        'UserNotFound                               │         │              │                │',
        'Christopher.Montgomery@corp.contoso.com    │ failed  │ -            │ -              │              -',
        'LicenseLimitReached                        │         │              │                │',
        'dana.lee@contoso.com                       │ synced  │ -            │ -              │              -',
        '-                                          │         │              │                │',
        'times at UTC-08:00 · ~ predicted from the cycle interval',
        '2 stuck · next recovery 2026-11-26 10:10:00 -08:00 (in 19h 00m) · 1 overdue · 1 failed: LicenseLimitReached · 1 synced',
        'Next: Restart the SMS Executive service on the site server with the service connection point to force a full sync: it',
        'would retry 1 waiting user (bartholomew.okonkwo-smith@fabrikam.example) up to 18h 00m sooner and 1 overdue user',
        '(heidi.vandermeer-jones@contoso.com).',
    ],
    ('summary', 80): [
        'Connector summary · 2026-11-24 09:10:00 -08:00 → 2026-11-25 15:10:00 -08:00 · 31',
        'cycles every 1h 00m · 0 restarts',
        'Day        ┃ Tried ┃ Held back ┃ Added ┃ Failed ┃',
        '━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━',
        '2026-11-24 │     2 │         0 │     0 │      2 │ ████████████████████',
        '2026-11-25 │     2 │         0 │     1 │      1 │ ████████████████████',
        'Failure reasons: UserNotFound ×2, LicenseLimitReached ×1',
        '▲ stuck_users  1 user waits for the 24 h full sync; the next',
        '(bartholomew.okonkwo-smith@fabrikam.example) is expected at',
        '2026-11-26T10:10:00-08:00  (CloudUserSync.log:129)',
        '✖ overdue_users  1 user passed the expected recovery with no retry logged',
        '(heidi.vandermeer-jones@contoso.com)  (CloudUserSync.log:5)',
        '→ Restart the SMS Executive service on the site server with the service',
        'connection point to force a full sync: it would retry 1 waiting user',
        '(bartholomew.okonkwo-smith@fabrikam.example) up to 18h 00m sooner and 1 overdue',
        'user (heidi.vandermeer-jones@contoso.com).',
        '→ 2 users failed with UserNotFound on their first try: user discovery found them',
        'before directory sync had put them in Azure AD. Avoiding the 24 h wait takes',
        "directory sync before the connector's first try, at most one cycle (1h 00m)",
        'after discovery: a sync interval under 1h 00m would have avoided it (Azure AD',
        "Connect's default of 30 minutes is; DirSync's default of 3 hours is not), or",
        'schedule user discovery after the directory sync cycle.',
        '→ Users failing with LicenseLimitReached are not retried by any timer: fix the',
        'cause, then restart SMS Executive to retry them.',
    ],
    ('summary', 100): [
        'Connector summary · 2026-11-24 09:10:00 -08:00 → 2026-11-25 15:10:00 -08:00 · 31 cycles every 1h 00m',
        '· 0 restarts',
        'Day        ┃ Tried ┃ Held back ┃ Added ┃ Failed ┃',
        '━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━',
        '2026-11-24 │     2 │         0 │     0 │      2 │ ████████████████████',
        '2026-11-25 │     2 │         0 │     1 │      1 │ ████████████████████',
        'Failure reasons: UserNotFound ×2, LicenseLimitReached ×1',
        '▲ stuck_users  1 user waits for the 24 h full sync; the next',
        '(bartholomew.okonkwo-smith@fabrikam.example) is expected at 2026-11-26T10:10:00-08:00',
        '(CloudUserSync.log:129)',
        '✖ overdue_users  1 user passed the expected recovery with no retry logged',
        '(heidi.vandermeer-jones@contoso.com)  (CloudUserSync.log:5)',
        '→ Restart the SMS Executive service on the site server with the service connection point to force a',
        'full sync: it would retry 1 waiting user (bartholomew.okonkwo-smith@fabrikam.example) up to 18h 00m',
        'sooner and 1 overdue user (heidi.vandermeer-jones@contoso.com).',
        '→ 2 users failed with UserNotFound on their first try: user discovery found them before directory',
        "sync had put them in Azure AD. Avoiding the 24 h wait takes directory sync before the connector's",
        'first try, at most one cycle (1h 00m) after discovery: a sync interval under 1h 00m would have',
        "avoided it (Azure AD Connect's default of 30 minutes is; DirSync's default of 3 hours is not), or",
        'schedule user discovery after the directory sync cycle.',
        '→ Users failing with LicenseLimitReached are not retried by any timer: fix the cause, then restart',
        'SMS Executive to retry them.',
    ],
    ('summary', 120): [
        'Connector summary · 2026-11-24 09:10:00 -08:00 → 2026-11-25 15:10:00 -08:00 · 31 cycles every 1h 00m · 0 restarts',
        'Day        ┃ Tried ┃ Held back ┃ Added ┃ Failed ┃',
        '━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━╇━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━',
        '2026-11-24 │     2 │         0 │     0 │      2 │ ████████████████████',
        '2026-11-25 │     2 │         0 │     1 │      1 │ ████████████████████',
        'Failure reasons: UserNotFound ×2, LicenseLimitReached ×1',
        '▲ stuck_users  1 user waits for the 24 h full sync; the next (bartholomew.okonkwo-smith@fabrikam.example) is expected at',
        '2026-11-26T10:10:00-08:00  (CloudUserSync.log:129)',
        '✖ overdue_users  1 user passed the expected recovery with no retry logged (heidi.vandermeer-jones@contoso.com)',
        '(CloudUserSync.log:5)',
        '→ Restart the SMS Executive service on the site server with the service connection point to force a full sync: it would',
        'retry 1 waiting user (bartholomew.okonkwo-smith@fabrikam.example) up to 18h 00m sooner and 1 overdue user',
        '(heidi.vandermeer-jones@contoso.com).',
        '→ 2 users failed with UserNotFound on their first try: user discovery found them before directory sync had put them in',
        "Azure AD. Avoiding the 24 h wait takes directory sync before the connector's first try, at most one cycle (1h 00m) after",
        "discovery: a sync interval under 1h 00m would have avoided it (Azure AD Connect's default of 30 minutes is; DirSync's",
        'default of 3 hours is not), or schedule user discovery after the directory sync cycle.',
        '→ Users failing with LicenseLimitReached are not retried by any timer: fix the cause, then restart SMS Executive to',
        'retry them.',
    ],
    ('timeline', 80): [
        'heidi.vandermeer-jones@contoso.com — overdue · 1 failure (UserNotFound) · full',
        'sync due 2026-11-25 09:10:02 -08:00 · expected recovery 2026-11-25 10:10:00',
        '-08:00',
        '2026-11-24 09:10:02 -08:00  requested  CloudUserSync.log:4',
        '    NotifyAccountAddition heidi.vandermeer-jones@contoso.com',
        '2026-11-24 09:10:02 -08:00  failed  CloudUserSync.log:5',
        '    reason UserNotFound; full sync due 2026-11-25 09:10:02 -08:00',
        '2026-11-25 09:10:02 -08:00  full_sync_due',
        '    24 h timer runs out',
        '2026-11-25 10:10:00 -08:00  retry_cycle  CloudUserSync.log:133',
        '    first cycle after full sync due',
        '2026-11-25 10:10:00 -08:00  expected_recovery',
        '    observed cycle (timer)',
    ],
    ('timeline', 100): [
        'heidi.vandermeer-jones@contoso.com — overdue · 1 failure (UserNotFound) · full sync due 2026-11-25',
        '09:10:02 -08:00 · expected recovery 2026-11-25 10:10:00 -08:00',
        '2026-11-24 09:10:02 -08:00  requested  CloudUserSync.log:4',
        '    NotifyAccountAddition heidi.vandermeer-jones@contoso.com',
        '2026-11-24 09:10:02 -08:00  failed  CloudUserSync.log:5',
        '    reason UserNotFound; full sync due 2026-11-25 09:10:02 -08:00',
        '2026-11-25 09:10:02 -08:00  full_sync_due',
        '    24 h timer runs out',
        '2026-11-25 10:10:00 -08:00  retry_cycle  CloudUserSync.log:133',
        '    first cycle after full sync due',
        '2026-11-25 10:10:00 -08:00  expected_recovery',
        '    observed cycle (timer)',
    ],
    ('timeline', 120): [
        'heidi.vandermeer-jones@contoso.com — overdue · 1 failure (UserNotFound) · full sync due 2026-11-25 09:10:02 -08:00 ·',
        'expected recovery 2026-11-25 10:10:00 -08:00',
        'Time                       ┃ Event             ┃ Detail                                          ┃ Where',
        '━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━',
        '2026-11-24 09:10:02 -08:00 │ requested         │ NotifyAccountAddition                           │ CloudUserSync.log:4',
        '                           │                   │ heidi.vandermeer-jones@contoso.com              │',
        '2026-11-24 09:10:02 -08:00 │ failed            │ reason UserNotFound; full sync due 2026-11-25   │ CloudUserSync.log:5',
        '                           │                   │ 09:10:02 -08:00                                 │',
        '2026-11-25 09:10:02 -08:00 │ full_sync_due     │ 24 h timer runs out                             │',
        '2026-11-25 10:10:00 -08:00 │ retry_cycle       │ first cycle after full sync due                 │ CloudUserSync.log:133',
        '2026-11-25 10:10:00 -08:00 │ expected_recovery │ observed cycle (timer)                          │',
    ],
}


@pytest.mark.parametrize(("command", "width"), sorted(EXPECTED))
def test_layout_at_terminal_widths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, width: int
) -> None:
    monkeypatch.chdir(tmp_path)
    long_upn_log(tmp_path)
    args = {"report": ["report", "--all"], "timeline": ["timeline", "heidi.vandermeer-jones@contoso.com"], "summary": ["summary"]}[command]
    result = runner.invoke(
        app, [*args, "--format", "table", "--color", "never", "CloudUserSync.log"], env={"COLUMNS": str(width)}
    )
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines == EXPECTED[(command, width)]
    assert all(len(line) <= width for line in lines)


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_a_upn_is_never_split(tmp_path: Path, width: int) -> None:
    path = long_upn_log(tmp_path)
    result = runner.invoke(app, ["report", "--all", "--format", "table", "--color", "never", path], env={"COLUMNS": str(width)})
    for upn in (
        "bartholomew.okonkwo-smith@fabrikam.example",
        "heidi.vandermeer-jones@contoso.com",
        "Christopher.Montgomery@corp.contoso.com",
        "dana.lee@contoso.com",
    ):
        assert upn in result.stdout
    assert "LicenseLimitReached" in result.stdout


# -- pipes ----------------------------------------------------------------------------------


def test_report_text_header_names_the_columns() -> None:
    result = runner.invoke(app, ["report", "--format", "text", "--header", str(SAMPLES / "CloudUserSync.log")])
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "upn\tstate\treason\tfirst_failure\tlast_failure\tfailures\tfull_sync_due\t"
        "expected_recovery\tseconds_remaining\trecovered_at\tsynced_at\texpected_recovery_bound"
    )
    assert len(lines) == 6 and all(len(line.split("\t")) == 12 for line in lines)
    plain = runner.invoke(app, ["report", "--format", "text", str(SAMPLES / "CloudUserSync.log")])
    assert plain.stdout.splitlines() == lines[1:]


def test_color_always_colours_a_pipe_in_the_human_format() -> None:
    result = subprocess.run(
        [LOGSYNC, "report", "--color", "always", str(SAMPLES / "CloudUserSync.log")],
        capture_output=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")},
    )
    assert result.stdout.startswith(b"\x1b[1mas of 2026-11-25 16:04:59 -08:00")
    piped = subprocess.run(
        [LOGSYNC, "report", str(SAMPLES / "CloudUserSync.log")],
        capture_output=True,
        timeout=60,
    )
    assert piped.stdout.startswith(b"bob@contoso.com\twaiting\t")


# -- errors and help ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--bogus"], "logsync: error: no such option: --bogus (Possible options: --user)\n"),
        (["report", "--forma", "json"], "logsync: error: no such option: --forma (Possible options: --format, --input-format)\n"),
        (["check", "--max-stuck", "-1"], "logsync: error: invalid value for '--max-stuck': -1 is less than 0\n"),
        (["check", "--max-stuck", "x"], "logsync: error: invalid value for '--max-stuck': 'x' is not a whole number\n"),
        (["watch", "--poll", "x", "x.log"], "logsync: error: invalid value for '--poll': 'x' is not a number\n"),
        (["watch", "--poll", "0.01", "x.log"], "logsync: error: invalid value for '--poll': 0.01 is not from 0.05 to 3600\n"),
        (["nosuchcommand"], "logsync: error: no such command 'nosuchcommand'\n"),
        # (common slips get what to type instead)
        (["--format", "json", "x.log"], "logsync: error: no such option: --format (name a command first: logsync COMMAND OPTIONS PATHS; logsync --help lists them)\n"),
        (["--bogus", "report", "x"], "logsync: error: no such option: --bogus (Possible options: --user)\n"),
        # (a slip before the command, with its value: the command's own hint, as after its name)
        (["--fromat", "json", "report", "x"], "logsync: error: no such option: --fromat (Possible options: --format, --input-format)\n"),
        (["--usr", "bob*", "check", "x"], "logsync: error: no such option: --usr (Possible options: --user)\n"),
        (["help"], "logsync: error: no such command 'help' (logsync --help lists the commands; logsync COMMAND --help tells one)\n"),
        # (a span's bounds to a command that judges: not the option spelled closest, `--user`)
        (["report", "--since", "2026-11-25 08:00", "x"], "logsync: error: no such option: --since (only events takes it: judge as of a time with --now WHEN, or list the events of a span with logsync events --since WHEN)\n"),
        (["check", "--until=now", "x"], "logsync: error: no such option: --until (only events takes it: judge as of a time with --now WHEN, or list the events of a span with logsync events --until WHEN)\n"),
        (["timeline"], "logsync: error: missing argument 'UPN'\n"),
        (["report", "--tz", "europe/nowhere", "x"], None),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str | None) -> None:
    result = subprocess.run([LOGSYNC, *args], capture_output=True, timeout=60)
    assert (result.returncode, result.stdout) == (2, b"")
    err = result.stderr.decode()
    assert len(err.splitlines()) == 1 and err.startswith("logsync: error: ")
    if message is not None:
        assert err == message


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["--format", "json", "report"], ["report", "--format", "json"]),
        (["-q", "--fail-on", "stuck", "check"], ["check", "-q", "--fail-on", "stuck"]),
        (["--tz", "UTC", "--format", "text", "summary"], ["summary", "--tz", "UTC", "--format", "text"]),
        # (a value that names a command is the option's: bob's timeline, as user 'check')
        (["--user", "check", "--format=text", "check"], ["check", "--user", "check", "--format=text"]),
        (["--format", "json", "timeline", "bob"], ["timeline", "bob", "--format", "json"]),
    ],
)
def test_options_before_the_command_are_read_as_after_it(before: list[str], after: list[str]) -> None:
    """SPEC §5: `logsync [OPTIONS] COMMAND [PATHS]...`."""
    demo = str(SAMPLES / "CloudUserSync.log")
    first = subprocess.run([LOGSYNC, *before, demo], capture_output=True, timeout=60)
    second = subprocess.run([LOGSYNC, *after, demo], capture_output=True, timeout=60)
    assert (first.returncode, first.stdout, first.stderr) == (second.returncode, second.stdout, second.stderr)
    assert first.stdout or first.stderr.count(b"\n") >= 2


def test_what_is_not_a_run_of_options_before_the_command_stays_where_it_is() -> None:
    """`--` ends the options and `-` is stdin, not an option: neither is moved; and an option
    given after the command too is the one after it (the last given wins)."""
    demo = str(SAMPLES / "CloudUserSync.log")
    log = (SAMPLES / "CloudUserSync.log").read_bytes()  # (on stdin: `-` would read it)
    for args in (["--format", "json", "--", "report", demo], ["--format", "json", "-", "report"]):
        result = subprocess.run([LOGSYNC, *args], capture_output=True, timeout=60, input=log)
        assert (result.returncode, result.stdout) == (2, b""), args
    both = subprocess.run(
        [LOGSYNC, "--format", "json", "report", "--format", "text", "--quiet", demo], capture_output=True, timeout=60
    )
    assert both.stdout.startswith(b"bob@contoso.com\twaiting\tUserNotFound\t")


def test_logsync_s_own_options_before_a_command_stay_its_own() -> None:
    version = subprocess.run([LOGSYNC, "--version", "report"], capture_output=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith(b"logsync ")
    helped = subprocess.run([LOGSYNC, "--help", "report"], capture_output=True, timeout=60)
    assert helped.returncode == 0 and helped.stdout.startswith(b"Usage: logsync [OPTIONS] COMMAND")


SHARED = ("--color", "--quiet", "--format", "--tz", "--input-format")


@pytest.mark.parametrize("command", ["report", "events", "timeline", "summary", "check", "watch"])
def test_shared_options_are_on_every_command(command: str) -> None:
    text = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"}).stdout
    for option in SHARED:
        if command == "watch" and option == "--input-format":
            continue
        assert re.search(rf"^\s+(-\w, )?{option}\b", text, re.M), option
    assert "<bool>" not in text and "<list[str]>" not in text and "{UPN}" not in text


def help_examples() -> list[tuple[str, str]]:
    examples = []
    epilogs = [("logsync", app.info.epilog or "")]
    for info in app.registered_commands:
        epilogs.append((info.name or info.callback.__name__, info.epilog or ""))  # type: ignore[union-attr]
    for name, epilog in epilogs:
        examples += [(name, line.strip()) for line in epilog.splitlines() if line.strip().startswith(("logsync ", "zcat "))]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```sh\n", 2)[2].split("```", 1)[0]
    examples += [("README", line) for line in block.splitlines() if line.strip()]
    return examples


@pytest.fixture(scope="module")
def example_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the examples name: the demo log, its rotated half, smsexec.log, a logs
    directory (also under Windows-looking names), an export and its gzip, an export of Azure
    AD users."""
    folder = tmp_path_factory.mktemp("examples")
    demo = (SAMPLES / "CloudUserSync.log").read_bytes()
    (folder / "CloudUserSync.log").write_bytes(demo)
    (folder / "CloudUserSync.lo_").write_bytes((SAMPLES / "rotated" / "CloudUserSync.lo_").read_bytes())
    (folder / "smsexec.log").write_bytes((SAMPLES / "restart-day" / "smsexec.log").read_bytes())
    for name in ("logs", "exports", "D:\\Program Files\\Microsoft Configuration Manager\\Logs", "D:\\SMS\\Logs"):
        (folder / name).mkdir()
        (folder / name / "CloudUserSync.log").write_bytes((SAMPLES / "spec-case" / "CloudUserSync.log").read_bytes())
    (folder / "export.log.gz").write_bytes((SAMPLES / "spec-case" / "CloudUserSync.log.gz").read_bytes())
    (folder / "users.csv").write_bytes((SAMPLES / "azure-ad-users.csv").read_bytes())
    return folder


@pytest.fixture(scope="module")
def jq_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder whose `jq` is the jq program where it is installed, else tests/jq_shim.py (the
    same filters through the jq library's Python binding, a test dependency)."""
    folder = tmp_path_factory.mktemp("jq")
    program = shutil.which("jq")
    if program is not None:
        (folder / "jq").symlink_to(program)
    else:
        (folder / "jq").write_text(f'#!/bin/sh\nexec "{sys.executable}" "{ROOT / "tests" / "jq_shim.py"}" "$@"\n')
        (folder / "jq").chmod(0o755)
    return folder


def run_example(example: str, cwd: Path, jq_dir: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """`example` as bash runs it from `cwd`, the installed logsync and `jq` first on the PATH."""
    path = os.pathsep.join([str(Path(sys.executable).parent), str(jq_dir), os.environ["PATH"]])
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", example],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, "PATH": path, "COLUMNS": "120", "HOME": str(cwd)},
    )


JQ_CASES = [
    ("-c 'select(.n==2)'", b'{"upn":"ivan@contoso.com","n":2}\n'),
    ("-r '.upn'", b"bob@contoso.com\nivan@contoso.com\n"),
    ("-r '[.upn, .n] | @tsv'", b"bob@contoso.com\t1\nivan@contoso.com\t2\n"),
    ("'{upn}'", b'{\n  "upn": "bob@contoso.com"\n}\n{\n  "upn": "ivan@contoso.com"\n}\n'),
]


@pytest.mark.parametrize(("arguments", "printed"), JQ_CASES)
def test_the_jq_stand_in_prints_what_jq_prints(tmp_path: Path, jq_dir: Path, arguments: str, printed: bytes) -> None:
    """The examples' kinds of filter through tests/jq_shim.py print these bytes, as the jq
    program does (compared with it where it is installed, as in CI)."""
    lines = b'{"upn": "bob@contoso.com", "n": 1}\n{"upn": "ivan@contoso.com", "n": 2}\n'
    shim = f'"{sys.executable}" "{ROOT / "tests" / "jq_shim.py"}"'
    assert run_example(f"{shim} {arguments}", tmp_path, jq_dir, lines).stdout == printed
    if shutil.which("jq"):
        assert run_example(f"jq {arguments}", tmp_path, jq_dir, lines).stdout == printed


def test_the_jq_stand_in_refuses_flags_it_does_not_know(tmp_path: Path, jq_dir: Path) -> None:
    shim = f'"{sys.executable}" "{ROOT / "tests" / "jq_shim.py"}"'
    refused = run_example(f"{shim} -S .", tmp_path, jq_dir, b"{}\n")
    assert (refused.returncode, refused.stderr) == (2, b"jq_shim: unsupported flags ['-S']\n")
    assert run_example(f"{shim} .", tmp_path, jq_dir, b"").stdout == b""


@pytest.mark.parametrize(("where", "example"), help_examples())
def test_every_example_runs(example_folder: Path, jq_dir: Path, where: str, example: str) -> None:
    if example.startswith("logsync watch"):
        example = f"timeout 3 {example}"
    result = run_example(example, example_folder, jq_dir)
    # findings are a result of a gate; a usage error (2), a crash, or a user that is not in the
    # log (timeline's 1) is not: an example shows what the command does on the files it names
    expected = {0, 1} if " check " in example or "--fail-on" in example else {0}
    if example.startswith("timeout 3 "):
        expected = {124}
    assert result.returncode in expected, (example, result.stderr.decode())
    assert b"Traceback" not in result.stderr and b"error:" not in result.stderr, shlex.quote(example)


@pytest.mark.parametrize(
    "command", [[], ["report"], ["check"], ["events"], ["summary"], ["timeline"], ["watch"], ["completion"]]
)
def test_help_fits_80_columns_with_its_examples(command: list[str]) -> None:
    """At 80 columns (a terminal's default, and help's width when piped), no line of help is
    wider: the examples, printed as written (so that they paste), fit; each command's summary
    is whole in the list."""
    text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "80"}).stdout
    assert max(map(len, text.splitlines())) <= 80
    assert "Examples:" in text
    if not command:  # (a summary cut short ends with `...`)
        listed = text.split("Commands:\n")[1].split("\n\n")[0].splitlines()
        assert [line.split()[0] for line in listed] == [
            "check", "completion", "events", "report", "summary", "timeline", "watch"
        ]
        assert not any(line.endswith("...") for line in listed)


def test_timeline_suggests_matching_upns_and_spots_a_forgotten_upn() -> None:
    demo = str(SAMPLES / "CloudUserSync.log")
    partial = runner.invoke(app, ["timeline", "heidi", "--format", "text", demo])
    assert (partial.exit_code, partial.stderr) == (0, "logsync: showing heidi@contoso.com, the one user it matches\n")
    full = runner.invoke(app, ["timeline", "heidi@contoso.com", "--format", "text", demo])
    assert partial.stdout == full.stdout and full.stderr == ""
    assert runner.invoke(app, ["timeline", "HEIDI", "-q", "--format", "text", demo]).stderr == ""
    several = runner.invoke(app, ["timeline", "contoso", "--format", "text", demo])
    assert several.exit_code == 1 and len(several.stdout.splitlines()) == 10
    assert several.stderr == "logsync: contoso is part of 10 UPNs (listed); give one of them\n"
    typo = runner.invoke(app, ["timeline", "hiedi@contoso.com", "--format", "text", demo])
    assert typo.stderr == "logsync: hiedi@contoso.com does not appear in the log; did you mean heidi@contoso.com?\n"
    forgotten = runner.invoke(app, ["timeline", demo])
    assert (forgotten.exit_code, forgotten.stderr) == (
        2,
        f"logsync: error: {demo} is a log, not a user: give the UPN first (logsync timeline UPN {demo})\n",
    )


@pytest.mark.parametrize(("minutes", "said"), [(10, None), (20, None), (21, "15m"), (60 * 24, "23h 54m")])
def test_a_log_that_ends_after_the_machine_s_clock_says_so(tmp_path: Path, minutes: int, said: str | None) -> None:
    """The demo log, its times moved later (the clock here is 16:10, five minutes after its
    end): more than three intervals ahead, a clock is wrong somewhere (or the bias's sign), and
    nothing was said."""
    from datetime import datetime, timedelta

    def later(match: re.Match[str]) -> str:
        when = datetime.strptime(match[1], "%m-%d-%Y %H:%M:%S") + timedelta(minutes=minutes)
        return "<" + when.strftime("%m-%d-%Y %H:%M:%S")

    text = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    path = tmp_path / "CloudUserSync.log"
    path.write_text(re.sub(r"<(\d\d-\d\d-\d{4} \d\d:\d\d:\d\d)", later, text))
    stderr = runner.invoke(app, ["report", str(path)]).stderr
    end = (datetime(2026, 11, 25, 16, 4, 59) + timedelta(minutes=minutes)).isoformat()
    note = (
        f"logsync: the log ends {end}.644-08:00, {said} after this machine's clock: the site "
        "server's clock is ahead, this one's behind, or the log's UTC offsets are wrong; times "
        "are as of its last record\n"
    )
    assert stderr == (note if said else "")


def test_times_without_offset_say_how_to_place_them() -> None:
    ticket = str(SAMPLES / "pasted" / "ticket.txt")
    hint = (
        "logsync: the log's times carry no UTC offset: they are shown as its local time; give "
        "--source-tz ZONE (for example --source-tz America/New_York) to place them and to count "
        "24 h timers across a daylight-saving change\n"
    )
    ended = (
        "logsync: the log ends 2014-09-15T10:24:12 (12y 71d ago); times are as of its last "
        "record; --now now judges as of now\n"
    )
    assert runner.invoke(app, ["report", "--format", "text", ticket]).stderr == hint + ended
    assert runner.invoke(app, ["events", "--format", "ndjson", ticket]).stderr == hint
    # --tz cannot show them in its zone: the hint stays, and says so (it was left out)
    shown = runner.invoke(app, ["events", "--tz", "UTC", "--format", "ndjson", ticket])
    assert shown.stderr == hint.replace("local time;", "local time, not in --tz;")
    zoned = ["report", "--source-tz", "America/New_York", "--format", "text", ticket]
    assert runner.invoke(app, zoned).stderr == ended.replace("10:24:12", "10:24:12-04:00")
    # --quiet leaves out the hint, not that the times are as of a log's end long ago: its header,
    # which says so too, is left out, and the countdowns shown count from that end
    assert runner.invoke(app, ["report", "-q", "--format", "text", ticket]).stderr == ended
    table = runner.invoke(app, ["report", "-q", "--format", "table", ticket])
    assert (table.stderr, table.stdout.splitlines()[0].startswith("as of")) == (ended, False)
    # --now now (or now-2h) is this machine's clock (here UTC-08:00), read as the log's: said
    clock = hint.replace(
        "change\n",
        "change; --now is read on this machine's clock (UTC-08:00), as if the log were written "
        "in that zone: if it was written in another, give --source-tz\n",
    )
    for now in ("now", "now-2h"):
        assert runner.invoke(app, ["check", "--now", now, ticket]).stderr == clock
    assert runner.invoke(app, ["check", "--now", "2026-11-25 16:00", ticket]).stderr == hint
    assert runner.invoke(app, ["check", "-q", "--now", "now", ticket]).stderr == (
        "logsync: --now is read on this machine's clock (UTC-08:00), as if the log were written "
        "in that zone: if it was written in another, give --source-tz\n"
    )  # (-q keeps what the times are)


@pytest.mark.parametrize("now", ["now", "now-2h"])
def test_now_on_a_clock_in_utc_is_read_among_times_without_offset(now: str) -> None:
    """A machine whose clock is in UTC (a CI container) was a traceback (`NameError`, exit 70)
    where the log's times carry no offset: its offset, zero, was taken for none."""
    ticket = str(SAMPLES / "pasted" / "ticket.txt")
    env = {**os.environ, "TZ": "UTC"}
    result = subprocess.run([LOGSYNC, "check", "-q", "--now", now, ticket], capture_output=True, env=env)
    assert (result.returncode, result.stderr.decode()) == (
        1,
        "logsync: --now is read on this machine's clock (UTC+00:00), as if the log were written "
        "in that zone: if it was written in another, give --source-tz\n",
    )


def test_seconds_remaining_has_one_precision() -> None:
    import json

    document = json.loads(runner.invoke(app, ["report", "--format", "json", "--now", "2026-11-25 16:00:00", str(SAMPLES / "CloudUserSync.log")]).stdout)
    remaining = {u["upn"]: u["seconds_remaining"] for u in document["users"]}
    assert remaining == {
        # the cycle that starts at 16:00:04 is left out: the grid is that of 15:55:04.085
        "bob@contoso.com": 61812.085,
        "heidi@contoso.com": 65412.529,
        "erin@contoso.com": 81014.453,
        "ivan@contoso.com": -27295.704,
        "dave@contoso.com": None,
    }
    assert all(isinstance(v, float) for v in remaining.values() if v is not None)


def test_the_package_declares_its_licence() -> None:
    from importlib.metadata import metadata

    meta = metadata("logsync")
    assert meta["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


# -- every command on a real terminal -------------------------------------------------------

LONG_UPNS = (
    "bartholomew.okonkwo-smith@fabrikam.example",
    "heidi.vandermeer-jones@contoso.com",
    "Christopher.Montgomery@corp.contoso.com",
)
ON_TERMINAL = {
    "report": ["report", "--all"],
    "timeline": ["timeline", "heidi.vandermeer-jones@contoso.com"],
    "summary": ["summary"],
    "events": ["events"],
    "check": ["check"],
}
SHOWN_UPNS = {
    "report": LONG_UPNS,
    "timeline": LONG_UPNS[1:2],
    "summary": LONG_UPNS[:2],
    "events": LONG_UPNS,
    "check": LONG_UPNS,
}


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("command", sorted(ON_TERMINAL))
def test_every_command_fits_a_terminal(tmp_path: Path, command: str, width: int) -> None:
    long_upn_log(tmp_path)
    code, shown, err = on_terminal(
        *ON_TERMINAL[command], "--color", "never", "CloudUserSync.log", columns=width, cwd=tmp_path
    )
    assert code in (0, 1) and "Traceback" not in err
    lines = shown.splitlines()
    assert len(lines) >= 5
    assert [line for line in lines if len(line) > width] == []
    for upn in SHOWN_UPNS[command]:  # whole wherever shown: never cut at the window's edge
        assert upn in shown, (command, upn)


def test_events_on_80_columns_put_the_text_under_the_time_and_kind(tmp_path: Path) -> None:
    long_upn_log(tmp_path)
    code, shown, _ = on_terminal(
        "events", "--kind", "user_add_failed", "--color", "never", "CloudUserSync.log",
        columns=80, cwd=tmp_path,
    )
    assert (code, shown.splitlines()) == (0, [
        "2026-11-24 09:10:02 -08:00  user_add_failed",
        "    Failed to add user heidi.vandermeer-jones@contoso.com; reason UserNotFound",
        "    CloudUserSync.log:5",
        "2026-11-24 09:10:04 -08:00  user_add_failed",
        "    Failed to add user Christopher.Montgomery@corp.contoso.com; reason",
        "    LicenseLimitReached  CloudUserSync.log:7",
        "2026-11-25 09:10:02 -08:00  user_add_failed",
        "    Failed to add user bartholomew.okonkwo-smith@fabrikam.example; reason",
        "    UserNotFound  CloudUserSync.log:129",
    ])
    _, wide, _ = on_terminal(
        "events", "--kind", "user_add_failed", "--color", "never", "CloudUserSync.log",
        columns=160, cwd=tmp_path,
    )
    assert wide.splitlines()[0] == (
        "2026-11-24 09:10:02 -08:00  user_add_failed      Failed to add user "
        "heidi.vandermeer-jones@contoso.com; reason UserNotFound  CloudUserSync.log:5"
    )


def test_check_on_80_columns_puts_the_recovery_under_the_user(tmp_path: Path) -> None:
    long_upn_log(tmp_path)
    code, shown, _ = on_terminal(
        "check", "--color", "never", "CloudUserSync.log", columns=80, cwd=tmp_path
    )
    assert (code, shown.splitlines()) == (1, [
        "bartholomew.okonkwo-smith@fabrikam.example  waiting  UserNotFound",
        "    expected recovery 2026-11-26T10:10:00-08:00",
        "heidi.vandermeer-jones@contoso.com  overdue  UserNotFound",
        "    expected recovery 2026-11-25T10:10:00-08:00 passed, no retry logged",
        "Christopher.Montgomery@corp.contoso.com  failed  LicenseLimitReached",
        "    no automatic retry",
        "FAIL: 3 users (1 waiting, 1 overdue, 1 failed), limit 0 as of",
        "    2026-11-25T15:10:00-08:00",
    ])
    piped = run_installed("check", str(tmp_path / "CloudUserSync.log"))
    assert piped.stdout.decode().splitlines()[0] == (
        "bartholomew.okonkwo-smith@fabrikam.example\twaiting\tUserNotFound\t"
        "expected recovery 2026-11-26T10:10:00-08:00"
    )


# -- help that pastes, choices, no arguments ------------------------------------------------


def test_help_examples_are_printed_as_written_at_any_width() -> None:
    for info in app.registered_commands:
        name = info.name or info.callback.__name__  # type: ignore[union-attr]
        written = [
            line.strip() for line in (info.epilog or "").splitlines() if line.startswith("  ")
        ]
        for columns in ("60", "200"):
            shown = runner.invoke(app, [name, "--help"], env={"COLUMNS": columns}).stdout
            shown_lines = {line.strip() for line in shown.splitlines()}
            for example in written:
                assert example in shown_lines, (name, columns, example)


def test_logsync_alone_prints_the_help() -> None:
    alone = run_installed()
    assert (alone.returncode, alone.stderr) == (0, b"")
    text = alone.stdout.decode()
    assert text.startswith("\n Usage: logsync [OPTIONS] COMMAND [ARGS]...") or text.startswith(
        "Usage: logsync [OPTIONS] COMMAND [ARGS]..."
    )
    for command in ("report", "events", "timeline", "summary", "check", "watch"):
        assert re.search(rf"^\W*{command}\s", text, re.M), command
    assert len(text.splitlines()) > 10


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "JSON"],
        ["report", "--format", "Json", "--fail-on", "Waiting"],
        ["report", "--color", "NEVER", "--format", "json"],
        ["report", "--input-format", "SMS-Trace", "--format", "json"],
        ["events", "--kind", "USER_ADD_FAILED", "--format", "json"],
        ["check", "--format", "JSON", "--fail-on", "Overdue"],
    ],
)
def test_choices_ignore_case(args: list[str]) -> None:
    result = runner.invoke(app, [*args, str(SAMPLES / "CloudUserSync.log")])
    assert result.exit_code in (0, 1), result.stderr
    lower = runner.invoke(app, [*(a.lower() for a in args), str(SAMPLES / "CloudUserSync.log")])
    assert (result.exit_code, result.stdout) == (lower.exit_code, lower.stdout)
    assert result.stdout.lstrip().startswith(("{", "["))


@pytest.mark.parametrize(
    ("command", "forced", "log", "reads_as"),
    [
        ("report", "cmtrace", SAMPLES / "CloudUserSync.log", "sms-trace"),
        ("events", "cmtrace", SAMPLES / "CloudUserSync.log", "sms-trace"),
        ("check", "sms-trace", SAMPLES / "cmtrace" / "CloudUserSync.log", "cmtrace"),
    ],
)
def test_an_input_format_that_finds_nothing_names_the_format_the_input_reads_as(
    command: str, forced: str, log: Path, reads_as: str
) -> None:
    """`--input-format cmtrace` on an SMS-trace log said "not SMS trace, CMTrace or text
    pasted from them", of a log that is SMS trace."""
    result = runner.invoke(app, [command, "--input-format", forced, str(log)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"logsync: error: {log}: no {forced} records (--input-format {forced}): it reads as "
        f"{reads_as}; leave --input-format out"
    )


def test_check_junit_dash_writes_the_xml_to_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_installed("check", "--junit", "-", str(SAMPLES / "CloudUserSync.log"))
    assert result.returncode == 1
    assert not (tmp_path / "-").exists()
    root = ET.fromstring(result.stdout)
    (suite,) = root
    assert (root.tag, suite.get("tests"), suite.get("failures")) == ("testsuites", "11", "5")
    code, shown, err = on_terminal(
        "check", "--junit", "-", "--color", "never", str(SAMPLES / "CloudUserSync.log"), columns=80
    )
    assert code == 1 and ET.fromstring(shown.replace("\n", "")).tag == "testsuites"
    # the text goes to stderr, a pipe here: tab-separated, not fitted to stdout's terminal
    lines = without_log_end_note(err.encode()).decode().splitlines()
    assert lines[0].startswith("bob@contoso.com\twaiting\tUserNotFound\t")
    verdict = without_log_end_note(result.stderr).decode().splitlines()
    assert verdict[-1] == (
        "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of 2026-11-25T16:04:59.644-08:00"
        "; 1 pending user not counted by --fail-on waiting,overdue,failed,connector"
    )
    assert verdict[0].startswith("bob@contoso.com\twaiting\tUserNotFound")


def test_notes_on_a_terminal_fit_its_width() -> None:
    """Issue 27 item 10: the stale-log note was 118 columns on an 80-column terminal."""
    _, shown, _ = on_terminal("report", str(SAMPLES / "spec-case"), columns=80, stream="stderr")
    lines = shown.splitlines()
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    assert re.fullmatch(
        r"logsync: the log ends 2014-09-15T10:24:12\.425-04:00 \(12y \d+d ago\); times are as",
        lines[0],
    )
    assert lines[1] == "    of its last record; --now now judges as of now"


@pytest.mark.parametrize(
    ("shell", "first"),
    [
        ("bash", "_logsync_completion() {"),
        ("ZSH", "#compdef logsync"),
        ("fish", "complete --command logsync --no-files --arguments"),
        ("powershell", "Import-Module PSReadLine"),
    ],
)
def test_completion_prints_the_script_of_the_shell_it_names(shell: str, first: str) -> None:
    """Whatever shell runs it (`sh -c` in a package's build, where the shell that runs logsync
    is dash), `logsync completion SHELL` prints SHELL's script; an unknown shell is exit 2."""
    result = run_installed("completion", shell)
    assert result.returncode == 0 and result.stderr == b""
    assert result.stdout.decode().lstrip().startswith(first)
    unknown = run_installed("completion", "tcsh")
    assert (unknown.returncode, unknown.stdout, unknown.stderr) == (
        2, b"", b"logsync: error: completion: 'tcsh' is not a shell it knows (bash, zsh, fish, powershell, pwsh)\n"
    )


def test_a_user_not_in_the_log_is_said_once_on_a_terminal() -> None:
    """The table wrote `nosuch: not seen in the log` where stderr says the same with the users
    it may have meant: on a terminal, both showed."""
    demo = str(SAMPLES / "CloudUserSync.log")
    code, shown, err = on_terminal("timeline", "-q", "nosuch", demo, columns=100)
    assert (code, shown) == (1, "")
    assert without_log_end_note(err.encode()) == b"logsync: nosuch does not appear in the log\n"


def test_the_timer_bar_of_a_what_if_table_is_the_timer_s_not_the_restart_s() -> None:
    """The `24 h timer` column shows how far each timer has run: with `--restart-at`, every
    bar was full (drawn to the restart's cycle, nine seconds away), bob's too, whose timer had
    run seven of its 24 hours."""
    from datetime import datetime, timezone

    from logsync import analyze
    from logsync.render.human import progress_bar

    zone = timezone(timedelta(hours=-8))
    restart = datetime(2026, 11, 25, 16, 10, tzinfo=zone)
    for what_if in (None, restart):
        analysis = analyze([str(SAMPLES / "CloudUserSync.log")], restart_at=what_if)
        bars = {u.upn: progress_bar(u, analysis.as_of).plain for u in analysis.users if u.stuck}
        assert bars == {
            "bob@contoso.com": "███░░░░░░░░░",
            "heidi@contoso.com": "███░░░░░░░░░",
            "erin@contoso.com": "█░░░░░░░░░░░",
            "ivan@contoso.com": "████████████",
        }
