"""Names masked by a redaction (`***@contoso.com`, `s***@contoso.com`, `...@contoso.com`), in
every line or in some only.

From a sweep: `***@contoso.com` was shown as `@contoso.com` (its stars taken off as Markdown's
emphasis); `...@contoso.com` and `#####@contoso.com` were taken for UPNs; and SPEC §1's excerpt
with scott masked in its first block only was two users, `s***@contoso.com` waiting and
`scott@contoso.com` synced, with nothing said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync import masks
from logsync.decoration import plain_upn
from logsync.formats.paste import redacted
from logsync.masks import masked_as

from .conftest import SAMPLES, run_installed

TICKET = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")


def masked(tmp_path: Path, first: str, second: str) -> Path:
    """SPEC §1's excerpt with scott named `first` in its first block and `second` after."""
    head, tail = TICKET.split("9/15/2014")
    path = tmp_path / "ticket.txt"
    path.write_text(head.replace("scott@contoso.com", first) + "9/15/2014" + tail.replace("scott@contoso.com", second))
    return path


def users(path: Path, pure: str) -> tuple[list[tuple[str, str, bool]], list[str]]:
    result = run_installed("report", "--all", "--format", "json", str(path), LOGSYNC_PURE=pure)
    assert result.returncode == 0, result.stderr
    found = [(u["upn"], u["state"], u.get("upn_redacted", False)) for u in json.loads(result.stdout)["users"]]
    return found, result.stderr.decode().splitlines()


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("name", ["***@contoso.com", "...@contoso.com", "#####@contoso.com", "s...t@contoso.com", "\u2026@contoso.com"])
def test_a_name_masked_in_every_line_is_kept_as_masked(tmp_path: Path, name: str, pure: str) -> None:
    found, _ = users(masked(tmp_path, name, name), pure)
    assert found == [(name, "recovered", True)]


def test_a_name_masked_whole_keeps_its_stars() -> None:
    assert [plain_upn(n) for n in ("***@contoso.com", " `***@contoso.com` ", "**bob@contoso.com**", "*`*@x.com", "***")] == [
        "***@contoso.com", "***@contoso.com", "bob@contoso.com", "*@x.com", "***"
    ]


@pytest.mark.parametrize("pure", ["", "1"])
@pytest.mark.parametrize("mask", ["s***@contoso.com", "S***@CONTOSO.COM", "***@contoso.com", "sc...@contoso.com"])
def test_a_name_masked_in_some_lines_only_is_said_to_be_maybe_the_other(tmp_path: Path, mask: str, pure: str) -> None:
    path = masked(tmp_path, mask, "scott@contoso.com")
    found, stderr = users(path, pure)
    assert found == [(mask, "waiting", True), ("scott@contoso.com", "synced", False)]
    assert stderr[-1] == (
        f"logsync: {mask} may be scott@contoso.com, its name masked in some lines only: judged as "
        "two users, neither state may hold; mask the name in every line, or in none"
    )


@pytest.mark.parametrize(
    ("names", "found"),
    [
        (["s***@contoso.com", "scott@contoso.com", "amy@contoso.com"], [("s***@contoso.com", ["scott@contoso.com"])]),
        (["***@contoso.com", "scott@contoso.com", "amy@fabrikam.com", "bob@contoso.com"],
         [("***@contoso.com", ["scott@contoso.com", "bob@contoso.com"])]),
        (["s***t@contoso.com", "scott@contoso.com", "st@contoso.com"], [("s***t@contoso.com", ["scott@contoso.com"])]),
        (["a***@contoso.com", "scott@contoso.com"], []),
        (["s***@fabrikam.com", "scott@contoso.com"], []),
        (["<UPN of User Account>", "scott@contoso.com"], []),
        (["s***", "scott@contoso.com"], []),
        (["s.t@contoso.com", "sxt@contoso.com"], []),
        (["s##@contoso.com", "sam@contoso.com"], [("s##@contoso.com", ["sam@contoso.com"])]),
    ],
)
def test_which_names_a_masked_one_may_be(names: list[str], found: list[tuple[str, list[str]]]) -> None:
    assert masked_as(names) == found


@pytest.mark.parametrize(
    ("name", "masked"),
    [("...@contoso.com", True), ("#@contoso.com", True), ("s..t@contoso.com", True), ("s##t@contoso.com", True),
     ("\u2026x@contoso.com", True), (".x@contoso.com", False), ("a#b@contoso.com", False), ("a.b@contoso.com", False),
     ("bob@contoso..com", False)],
)
def test_which_names_are_masked(name: str, masked: bool) -> None:
    assert redacted(name) is masked


@pytest.mark.parametrize(
    "command", [("report",), ("report", "--all"), ("check",), ("summary",), ("timeline", "s***")]
)
def test_a_name_masked_in_some_lines_only_is_said_whatever_the_users_listed(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The note was said of the users listed: `report --all` said it, `report` (which lists
    the waiting s***@contoso.com, not the synced scott), `check` and `summary` did not."""
    path = masked(tmp_path, "s***@contoso.com", "scott@contoso.com")
    result = run_installed(*command, str(path))
    assert (
        "logsync: s***@contoso.com may be scott@contoso.com, its name masked in some lines only: "
        "judged as two users, neither state may hold; mask the name in every line, or in none"
    ) in result.stderr.decode().splitlines()


@given(st.text(alphabet="ab.*#\u2026@-_x", max_size=12))
def test_a_name_is_looked_at_for_masks_as_the_mask_pattern_finds_them(name: str) -> None:
    """`masked_as` looks at each name with a few string searches before it builds anything (a
    pattern of alternatives over 38,000 names took 0.23 s, and the names joined a megabyte
    at the run's peak): they find what the pattern finds."""
    assert masks._masked(name) is (masks._MASK_RE.search(name) is not None)


def test_no_name_masked_gives_no_note_and_a_masked_one_is_found_among_many() -> None:
    names = [f"new{n:07d}@contoso.com" for n in range(2000)]
    assert masked_as(names) == []
    assert masked_as([*names, "new00000**@contoso.com"]) == [
        ("new00000**@contoso.com", [f"new{n:07d}@contoso.com" for n in range(100)])
    ]
