"""A log copied as HTML writes it (`&lt;`, `&gt;`, `&amp;`), then cut every so many columns
inside words (`fold -w`): the cuts fall inside entities too (`$$&l` | `t;SMS_CLOUD_USERSYNC`).
Those were left undecoded, the trailers not read: at 76 columns 2,640 lines were no record
and the demo log's ivan, carol and five others were `pending`; at 100, ivan (overdue) was
`pending`. An entity broken so is now decoded where it began (`copies.unescaped_lines`)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats.copies import unescaped_lines

from .conftest import SAMPLES

runner = CliRunner()
DEMO = SAMPLES / "CloudUserSync.log"


def folded(text: str, width: int) -> str:
    """`text` as `fold -w width` writes it: each line cut every `width` characters."""
    pieces = []
    for line in text.splitlines():
        pieces += [line[at : at + width] for at in range(0, len(line), width)] or [""]
    return "\n".join(pieces) + "\n"


def report(path: Path) -> dict:
    result = runner.invoke(app, ["report", "--format", "json", "--all", str(path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    del document["inputs"]
    return document


@pytest.mark.parametrize("before", ["", "> ", "    ", "&gt; "])  # (then quoted, indented)
@pytest.mark.parametrize("quote", [False, True])
@pytest.mark.parametrize("width", [60, 72, 76, 100, 120])
def test_the_demo_log_escaped_then_cut_reads_as_the_log(
    tmp_path: Path, width: int, quote: bool, before: str
) -> None:
    path = tmp_path / "ticket.txt"
    escaped = html.escape(DEMO.read_text(encoding="utf-8-sig"), quote=quote)
    cut = "".join(f"{before}{line}\n" for line in folded(escaped, width).splitlines())
    path.write_text(cut, encoding="utf-8")
    broken = re.findall(r"&(?:l|lt|g|gt|a|am|amp)\n", path.read_text())
    assert len(broken) == {60: 5, 72: 397, 76: 653, 100: 2, 120: 5}[width]  # (cut inside)
    found = report(path)
    assert found == report(DEMO)
    assert [(u["upn"], u["state"]) for u in found["users"] if u["state"] != "synced"][:5] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("erin@contoso.com", "waiting"),
        ("ivan@contoso.com", "overdue"),
        ("dave@contoso.com", "failed"),
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["a $$&l", "t;SMS"], ["a $$<", "SMS"]),
        (["a $$&", "lt;SMS"], ["a $$<", "SMS"]),
        (["a $$&lt", ";SMS"], ["a $$<", "SMS"]),  # (not read as `&lt` alone: its `;` stays)
        (["x &am", "p;y"], ["x &", "y"]),
        (["x &#x2", "7;y"], ["x '", "y"]),
        (["x &quo", "t;"], ['x "', ""]),
        (["x &l", "x;y"], ["x &l", "x;y"]),  # (no entity: both lines as they are)
        (["x &l", " t;"], ["x <", " "]),  # (indented after the cut)
        (["x &l"], ["x &l"]),  # (the last line)
        (["x &l", "t;&g", "t;"], ["x <", ">", ""]),  # (a line that finishes one, starts one)
        (["x &lt;", "b &amp; c"], ["x <", "b & c"]),
        (["> x &l", "> t;y"], ["> x <", "> y"]),  # (quoted after the cut)
        (["&gt; x &l", "&gt; &gt;t;y"], ["> x <", "> >y"]),
        (["    x &am", "    p;y"], ["    x &", "    y"]),
        (["x &l", ">> x;y"], ["x &l", ">> x;y"]),
    ],
)
def test_an_entity_broken_across_two_lines_is_decoded_where_it_began(
    lines: list[str], expected: list[str]
) -> None:
    assert list(unescaped_lines(lines)) == expected
