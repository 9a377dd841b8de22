"""Lines a log forwarder or collector wrote, a header before each of the log's lines: an RFC
5424 syslog header (priority, version, time, host, app, process, and `-` for no message ID and
no structured data) is about 75 characters, longer than a prefix was read (64): the input was
refused as "none of its 300 SMS_CLOUD_USERSYNC records is a message the connector is known to
write"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .test_as_pasted import DEMO_TEXT, answers, write
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
