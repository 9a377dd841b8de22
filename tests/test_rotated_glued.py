"""A rotated pair joined by `type CloudUserSync.lo_ CloudUserSync.log > all.log` (or `copy /b`)
where the `.lo_` ends with its marker and no line break: the `.log`'s first line (its BOM, or
none) is on the marker's line. That record was read as a message of no kind: bob, whose
failure it was, was `pending`, and Mallory, `synced`, too (SPEC §2's rotation marker). The
marker is now taken off such a line, which keeps its number."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats import ROTATION_MARKER

from .conftest import SAMPLES, read_in_blocks

DEMO = (SAMPLES / "CloudUserSync.log").read_text(encoding="utf-8-sig").splitlines()
BOB_FAILS = next(n for n, line in enumerate(DEMO) if "Failed to add user bob" in line)
"""The index of bob's failure line: the `.log` begins there."""


def rotated(bom: str) -> tuple[str, str]:
    """The demo log rotated before bob's failure: the `.lo_` ends with the marker, no break."""
    older = "\ufeff" + "\r\n".join(DEMO[:BOB_FAILS]) + "\r\n" + ROTATION_MARKER
    newer = bom + "\r\n".join(DEMO[BOB_FAILS:]) + "\r\n"
    return older, newer


def states(args: list[str], data: bytes | None = None) -> list[tuple[str, str, str | None]]:
    result = CliRunner().invoke(app, ["report", "--all", "--format", "json", *args], input=data)
    assert result.exit_code == 0, result.stderr
    assert "no outcome" not in result.stderr and "no failure line" not in result.stderr
    users = json.loads(result.stdout)["users"]
    return [(user["upn"], user["state"], user["expected_recovery"]) for user in users]


WHOLE = [
    ("bob@contoso.com", "waiting", "2026-11-26T09:15:03.266-08:00"),
    ("heidi@contoso.com", "waiting", "2026-11-26T10:15:03.710-08:00"),
    ("erin@contoso.com", "waiting", "2026-11-26T14:35:05.634-08:00"),
    ("ivan@contoso.com", "overdue", "2026-11-25T08:25:04.296-08:00"),
    ("dave@contoso.com", "failed", None),
    ("frank@contoso.com", "pending", None),
    ("carol@contoso.com", "recovered", None),
    ("alice@contoso.com", "synced", None),
    ("grace@contoso.com", "synced", None),
    ("Mallory.Admin@Contoso.com", "synced", None),
]


@pytest.mark.parametrize("bom", ["\ufeff", ""])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("native", [True, False])
def test_a_pair_joined_after_a_marker_with_no_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bom: str, encoding: str, native: bool
) -> None:
    read_in_blocks(monkeypatch, 4096, native)
    older, newer = rotated(bom)
    if encoding == "utf-16":  # (each file with its own BOM: `type` copies both)
        joined = older.encode("utf-16") + newer.lstrip("\ufeff").encode("utf-16")
    else:
        joined = (older + newer).encode("utf-8")
    (tmp_path / "all.log").write_bytes(joined)
    (tmp_path / "pair").mkdir()
    (tmp_path / "pair" / "CloudUserSync.lo_").write_text(older, encoding="utf-8", newline="")
    (tmp_path / "pair" / "CloudUserSync.log").write_text(newer, encoding="utf-8", newline="")
    assert states([str(tmp_path / "pair")]) == WHOLE
    assert states([str(tmp_path / "all.log")]) == WHOLE
    assert states(["-"], gzip.compress(joined, mtime=0)) == WHOLE


def test_the_record_keeps_its_line_number(tmp_path: Path) -> None:
    older, newer = rotated("\ufeff")
    path = tmp_path / "all.log"
    path.write_text(older + newer, encoding="utf-8", newline="")
    assert path.read_text(encoding="utf-8").splitlines()[BOB_FAILS].startswith(
        ROTATION_MARKER + "\ufeffFailed to add user bob@contoso.com; reason UserNotFound"
    )
    result = CliRunner().invoke(
        app, ["events", "--format", "ndjson", "--kind", "user_add_failed", "--user", "bob*", str(path)]
    )
    assert result.exit_code == 0, result.stderr
    (event,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (event["line"], event["text"], event["time"]) == (
        BOB_FAILS + 1,
        "Failed to add user bob@contoso.com; reason UserNotFound",
        "2026-11-25T09:10:08.462-08:00",
    )


@pytest.mark.parametrize(
    "line",
    [
        ROTATION_MARKER,  # (its own line: the marker, kept)
        " " + ROTATION_MARKER + "Failed to add user bob@contoso.com; reason UserNotFound",
    ],
)
def test_a_marker_not_glued_at_a_line_s_start_stays(line: str) -> None:
    from logsync.decoding import _GLUED_RE

    assert _GLUED_RE.sub("", line + "\n") == line + "\n"
