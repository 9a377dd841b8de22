"""Lines a log forwarder, a collector or a log viewer wrote, a header before each of the log's lines: an RFC
5424 syslog header (priority, version, time, host, app, process, and `-` for no message ID and
no structured data) is about 75 characters, longer than a prefix was read (64): the input was
refused as "none of its 300 SMS_CLOUD_USERSYNC records is a message the connector is known to
write"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from logsync.formats import paste

from .test_as_pasted import DEMO_TEXT, answers, copied_rows, write
from .test_prefixes import prefixed

EXCERPT = "".join(DEMO_TEXT.splitlines(keepends=True)[2400:2700])
"""300 lines of the demo log: bob's failure, heidi held back, Mallory added."""


def rfc5424(n: int) -> str:
    return f"<134>1 2026-12-06T10:{n // 60 % 60:02d}:{n % 60:02d}.{n:06d}Z sccm01.corp.contoso.com CloudUserSync 4242 - - "


def syslog(n: int) -> str:
    return f"Dec  6 10:{n // 60 % 60:02d}:{n % 60:02d} sccm01 CloudUserSync[4242]: "


@pytest.mark.parametrize("prefix", [rfc5424, syslog])
def test_a_forwarder_s_header_before_each_line_gives_the_answers_of_the_log(
    tmp_path: Path, prefix: Callable[[int], str]
) -> None:
    clean = answers(write(tmp_path, EXCERPT, "clean.log"))
    assert [(u["upn"], u["state"]) for u in clean[0]] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    assert 64 < len(rfc5424(300)) <= 128
    assert answers(write(tmp_path, prefixed(EXCERPT, prefix), "forwarded.log")) == clean


@pytest.mark.parametrize("columns", [("cloudusersync.log",), ("cloudusersync.log", "Information")])
def test_rows_copied_with_columns_after_the_thread_give_the_answers_of_the_rows(
    tmp_path: Path, columns: tuple[str, ...]
) -> None:
    """OneTrace's rows copied with their Source and Type columns after the thread (and its
    header) were refused as "13 lines are cut off at 171 columns"."""
    rows = copied_rows(EXCERPT)
    clean = answers(write(tmp_path, rows, "rows.log"))
    assert [(u["upn"], u["state"]) for u in clean[0]] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    header = "\t".join(("Log Text", "Component", "Date/Time", "Thread", "Source", "Type")[: 4 + len(columns)])
    more = "".join(f"{row}\t{chr(9).join(columns)}\n" for row in rows.splitlines())
    assert answers(write(tmp_path, header + "\n" + more, "onetrace.log")) == clean


@pytest.mark.parametrize(
    ("line", "row"),
    [
        ("m\tSMS_CLOUD_USERSYNC\t11/25/2026 3:00:05 PM\t5616 (0x15F0)\tcloudusersync.log\tInformation",
         ("m", "SMS_CLOUD_USERSYNC", "11/25/2026 3:00:05 PM", "5616 (0x15F0)")),
        ("m\tSMS_CLOUD_USERSYNC\t11/25/2026 3:00:05 PM\t5616 (0x15F0)\tx",
         ("m", "SMS_CLOUD_USERSYNC", "11/25/2026 3:00:05 PM", "5616 (0x15F0)")),
        ("m\tSMS_CLOUD_USERSYNC\t11/25/2026 3:00:05 PM\t5616\tx\ty", None),  # (no thread's hex)
        ("m\tSMS_CLOUD_USERSYNC\t11/25/2026 3:00:05 PM\t5616 (0x15F0)\tx\ty\tz", None),  # (three more)
        ("m\tx\tSMS_CLOUD_USERSYNC\tnot a time\t5616 (0x15F0)\tx", None),
    ],
)
def test_which_columns_after_the_thread_a_row_may_have(line: str, row: tuple[str, ...] | None) -> None:
    assert paste.copied_row(line) == row
