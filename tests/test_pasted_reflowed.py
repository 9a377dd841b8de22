"""Excerpts whose lines a reflow ran together (SPEC §2, "As pasted"): `fmt`, or a mail client
that joins the lines of a paragraph, puts records one after another on a line
(`... reason UserNotFound Total received users to add from SCCM = 1, ...`) before it wraps
them. Each record is read as the excerpt holds it; before, SPEC §1's excerpt through `fmt` at
any width left scott `waiting` where he recovered."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logsync import events
from logsync.cli import app
from logsync.errors import InputError
from logsync.formats import aspasted, joins, together, wholes

from .conftest import ROOT
from .test_as_pasted import BLOG_QUOTES, EXCERPT_TEXT, quoted, refused, wrapped, write
from .test_pasted_narrow import LONG_NAME_CYCLE

runner = CliRunner()
PASTED = ROOT / "tests" / "data" / "pasted"
REPLIES = {
    "none": ("", ""),
    "above": ("Hi,\nthe connector log from the ticket:\n\n", ""),
    "below": ("", "\nThanks,\nBob Smith\nSite admin, Contoso IT\n"),
}


def reflowed(text: str, width: int) -> str:
    """Text as a reflow leaves it: the lines of each paragraph (lines of one indentation, with
    no blank line between) joined with a space, then wrapped at `width` with that indentation."""
    out: list[str] = []
    paragraph: list[str] = []
    indent = ""

    def flush() -> None:
        if paragraph:
            joined = " ".join(line.strip() for line in paragraph)
            out.extend(textwrap.wrap(joined, width, initial_indent=indent, subsequent_indent=indent))
            paragraph.clear()

    for line in text.splitlines():
        own = line[: len(line) - len(line.lstrip())]
        if not line.strip() or own != indent:
            flush()
        if not line.strip():
            out.append("")
            continue
        indent = own
        paragraph.append(line)
    flush()
    return "\n".join(out) + "\n"


def answers(path: str) -> tuple[int, list[tuple[object, ...]], dict[str, object]]:
    result = runner.invoke(app, ["report", "--all", "--format", "json", path])
    document = json.loads(result.stdout)
    users = [(u["upn"], u["state"], u["recovered_at"], u["failures"]) for u in document["users"]]
    return result.exit_code, users, document["summary"]


@pytest.mark.parametrize("name", ["ticket.fmt-w72.txt", "ticket.fmt-w100.txt"])
def test_spec_excerpt_wrapped_by_gnu_fmt_gives_the_answers_of_the_excerpt(name: str) -> None:
    clean = answers(str(ROOT / "sample_logs" / "pasted" / "ticket.txt"))
    assert clean[1] == [("scott@contoso.com", "recovered", "2014-09-15T10:24:12", 1)]
    assert answers(str(PASTED / name)) == clean
    events = runner.invoke(app, ["events", "--format", "ndjson", str(PASTED / name)]).stdout
    expected = {
        "ticket.fmt-w72.txt": [
            (1, "user_add_requested"),
            (3, "user_add_failed"),
            (3, "add_totals"),  # (run on after the failure on line 3)
            (7, "user_add_requested"),
            (9, "add_totals"),
            (9, "sync_summary"),
            (14, "unparsed"),  # the signature, joined into one line
        ],
        "ticket.fmt-w100.txt": [
            (1, "unparsed"),  # the reply's first lines, joined into one line
            (3, "user_add_requested"),
            (4, "user_add_failed"),
            (4, "add_totals"),
            (6, "user_add_requested"),
            (7, "add_totals"),
            (7, "sync_summary"),
        ],
    }
    assert [(e["line"], e["kind"]) for e in map(json.loads, events.splitlines())] == expected[name]


def counted(path: str) -> list[tuple[int, int, int, int]]:
    """`report --format json`'s count of each input's lines, records, unparsed and blank lines."""
    document = json.loads(runner.invoke(app, ["report", "--format", "json", path]).stdout)
    return [(i["lines"], i["records"], i["unparsed"], i["blank"]) for i in document["inputs"]]


@pytest.mark.parametrize(
    ("name", "counts"),
    [
        # (the reply's one blank line, below its last record; its signature is unparsed)
        ("ticket.fmt-w72.txt", (14, 6, 1, 1)),
        # (the reply's blank line, after its first line)
        ("ticket.fmt-w100.txt", (8, 6, 1, 1)),
        # (the demo log has no blank line)
        ("CloudUserSync.fmt-s-w95.log.gz", (6082, 3041, 0, 0)),
        ("CloudUserSync.fmt-s-w76.log.gz", (6479, 3041, 0, 0)),
    ],
)
def test_the_pieces_of_wrapped_records_are_no_blank_lines(
    name: str, counts: tuple[int, int, int, int]
) -> None:
    """Put back on a record's first line, the lines of its other pieces are left blank to keep
    every line's number: they are counted with the lines, not as blank lines of the input
    (before, 9 blank lines of 14 in the ticket, 3,041 in the demo log at 95 columns)."""
    assert counted(str(PASTED / name)) == [counts]


@pytest.mark.parametrize("quoting", ["", "> ", ">> ", "| "])
def test_a_quoted_blank_line_of_a_wrapped_reply_is_still_blank(tmp_path: Path, quoting: str) -> None:
    above, below = REPLIES["above"][0], REPLIES["below"][1]
    text = wrapped(above + EXCERPT_TEXT + below, 60)
    assert text.count("\n\n") == 2  # (a blank line below the greeting, and above the thanks)
    quoted = "".join(quoting + line for line in text.splitlines(keepends=True))
    path = write(tmp_path, quoted)
    lines = text.count("\n")
    # the greeting's two lines and the signature's three are no records
    assert counted(path) == [(lines, 6, 5, 2)]


@pytest.mark.parametrize("width", [64, 66, 70, 72, 76, 80, 90, 100, 120, 200, 1000])
@pytest.mark.parametrize("reply", list(REPLIES))
@pytest.mark.parametrize("excerpt", ["SPEC §1", "the blog post's quotes"])
def test_an_excerpt_reflowed_gives_its_answers(
    tmp_path: Path, excerpt: str, reply: str, width: int
) -> None:
    """At 1000 columns every paragraph is one line: a mail client that removed the line
    breaks of its message."""
    text = EXCERPT_TEXT if excerpt == "SPEC §1" else BLOG_QUOTES
    above, below = REPLIES[reply]
    clean = answers(write(tmp_path, above + text + below, "clean.txt"))
    assert clean[0] in (0, 1)
    assert clean[1] == (
        [("scott@contoso.com", "recovered", "2014-09-15T10:24:12", 1)]
        if excerpt == "SPEC §1"
        else [("<UPN of User Account>", "waiting", None, 1)]
    )
    pasted = write(tmp_path, reflowed(above + text + below, width))
    assert answers(pasted) == clean


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (
            "Failed to add user scott@contoso.com; reason UserNotFound Total received users to "
            "add from SCCM = 1, Total Successfully added users to Cloud = 0",
            [
                "Failed to add user scott@contoso.com; reason UserNotFound",
                "Total received users to add from SCCM = 1, Total Successfully added users to "
                "Cloud = 0",
            ],
        ),
        (  # a message known only whole (`User...Sync`): split where it is whole
            "Total received users to add from SCCM = 1, Total Successfully added users to Cloud "
            "= 1 UserDeltaSync:- Users Added = 1, Users Removed = 0",
            [
                "Total received users to add from SCCM = 1, Total Successfully added users to "
                "Cloud = 1",
                "UserDeltaSync:- Users Added = 1, Users Removed = 0",
            ],
        ),
        (  # a placeholder for the name, spaces and all
            "NotifyAccountAddition - SCCM user to add = <UPN of User Account> Total received",
            ["NotifyAccountAddition - SCCM user to add = <UPN of User Account>", "Total received"],
        ),
        (  # a reply's words after a record are no record
            "Failed to add user a@contoso.com; reason UserNotFound Thanks, Bob",
            ["Failed to add user a@contoso.com; reason UserNotFound Thanks, Bob"],
        ),
        ("NotifyAccountAddition - SCCM user to add = bob@contoso.com", None),
        ("Thanks, Bob", None),
    ],
)
def test_messages_a_reflow_ran_together_are_told_apart(
    text: str, messages: list[str] | None
) -> None:
    assert together.messages_in(text) == (messages or [text])


@pytest.mark.parametrize(
    ("text", "open_end"),
    [
        ("Failed to add user a@contoso.com; reason UserNotFound Total received users to add", True),
        ("Failed to add user a@contoso.com; reason UserNotFound Total", True),
        ("Failed to add user a@contoso.com; reason UserNotFound Tota", True),  # (not read to its end)
        ("Failed to add user a@contoso.com; reason UserNotFound", False),
        ("NotifyAccountAddition - SCCM user to add = <UPN of User", True),  # (a placeholder open)
        ("NotifyAccountAddition - SCCM user to add = <UPN of User Account>", False),
        (
            "Failed to add user a@contoso.com; reason UserNotFound Total received users to add "
            "from SCCM = 1, Total Successfully added users to Cloud = 0",
            False,
        ),
        (
            "9/14/2014 10:23:54 AM  Total received users to add from SCCM = 1, Total Successfully "
            "added users to Cloud = 1 UserDeltaSync:- Users Added = 1, Users",
            True,
        ),
    ],
)
def test_a_line_has_an_open_end_where_its_last_record_is_not_read_to_its_end_yet(
    text: str, open_end: bool
) -> None:
    """Such a line, joined from wrapped pieces, may go on with the next piece."""
    assert wholes.open_end(text, wholes.MESSAGES) is open_end
    assert wholes.open_end(text, wholes.TRACE) is False


def kinds(path: str) -> list[tuple[str, int]]:
    """How many events of each kind `events` gives of an input."""
    result = runner.invoke(app, ["events", "--format", "ndjson", path])
    counts: dict[str, int] = {}
    for line in result.stdout.splitlines():
        kind = json.loads(line)["kind"]
        counts[kind] = counts.get(kind, 0) + 1
    return sorted(counts.items())


@pytest.mark.parametrize("width", [40, 64])
def test_message_lines_from_the_connector_s_start_reflowed_by_fmt_give_their_answers(
    tmp_path: Path, width: int
) -> None:
    """The connector's start (`... as thread ID 5616 (0x15F0).`) is a message the catalogue
    reads whole before its end. `fmt -w 64` broke it there and ran the next records on after
    `(0x15F0).`: all 400 lines were no record, "no cycle", and `check` failed the connector
    where carol, heidi and ivan wait. At 40 columns the message was put back from two pieces
    and given out: 65 lines of no record, and 7 cycles of 57 lost. The next line goes on with
    such a message where the message with its first words is read to its end too and a record
    begins after them (`wholes.runs_on`)."""
    lines = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8")
    clean = "".join(re.sub(r"  \$\$<.*", "", line) + "\n" for line in lines.splitlines()[:400])
    clean_path = write(tmp_path, clean, "clean.txt")
    expected = answers(clean_path)
    assert [(upn, state) for upn, state, _, _ in expected[1]] == [
        ("carol@contoso.com", "waiting"),
        ("ivan@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("alice@contoso.com", "synced"),
        ("grace@contoso.com", "synced"),
    ]
    assert (expected[2]["cycles"], expected[2]["synced"], expected[2]["restarts"]) == (57, 2, 1)
    pasted = str(PASTED / f"untimed-start.fmt-w{width}.txt")
    assert answers(pasted) == expected
    assert kinds(pasted) == kinds(clean_path)
    assert "unparsed" not in dict(kinds(pasted))


@pytest.mark.parametrize(
    ("line", "following", "runs_on"),
    [
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616",
         "(0x15F0).  CCloudUserSync::Process - User sync processing", True),
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616",
         "(0x15F0).  Starting user delta sync, raise", True),
        # (a reply after the record: no record begins in it)
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616", "(0x15F0). Thanks, Bob", False),
        ("Failed to add user bob@contoso.com, reason UserNotFound", "Thanks, Bob", False),
        # (words that leave the message not read to its end, before a record)
        ("Failed to add user bob@contoso.com, reason UserNotFound",
         "again Total received users to add from SCCM = 1,", False),
        # (the next line begins a record, or is indented: not the rest of this one)
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616",
         "Starting user delta sync, raise failure", False),
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616",
         " (0x15F0).  CCloudUserSync::Process - User sync processing", False),
    ],
)
def test_a_reflow_s_next_line_goes_on_with_a_message_read_whole_before_its_end(
    line: str, following: str, runs_on: bool
) -> None:
    assert wholes.runs_on(line, following) is runs_on


@pytest.mark.parametrize(
    ("line", "following", "runs_on"),
    [
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 56", "16 (0x15F0).", True),
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x1", "5F0).", False),
        # (one word: the cut's usual rest, see `unwrapped`; a reply's words)
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 56", "16", False),
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 56", "Thanks, Bob", False),
        ("Failed to add user bob@contoso.com, reason UserNotFound", "Thanks, Bob", False),
        ("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 56", "Starting user delta s", False),
    ],
)
def test_a_cut_line_s_next_line_goes_on_with_a_message_read_whole_before_its_end(
    line: str, following: str, runs_on: bool
) -> None:
    """`fold -w 56` cut the connector's start inside its thread's number: `... ID 56` is
    read whole, and `16 (0x15F0).` was a line of no record (the thread 56)."""
    assert wholes.runs_on(line, following, cut=True) is runs_on


def test_message_lines_cut_inside_the_connector_s_thread_keep_its_number(tmp_path: Path) -> None:
    lines = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    clean = [re.sub(r"  \$\$<.*", "", line) for line in lines.splitlines()[:400]]
    folded = "".join(
        "".join(line[i : i + 56] + "\n" for i in range(0, len(line), 56)) or "\n" for line in clean
    )
    path = write(tmp_path, folded, "folded.txt")
    result = runner.invoke(app, ["events", "--format", "ndjson", "--kind", "component_started", path])
    assert [json.loads(line)["text"] for line in result.stdout.splitlines()] == [
        "SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0).",
    ]
    assert "unparsed" not in dict(kinds(path))
    assert answers(path) == answers(write(tmp_path, "".join(f"{line}\n" for line in clean), "clean.txt"))


@pytest.mark.parametrize("width", [32, 36, 40, 44, 48, 50, 55, 60])
@pytest.mark.parametrize("reply", list(REPLIES))
def test_the_blog_posts_quotes_reflowed_at_32_to_60_columns_give_their_answers(
    tmp_path: Path, reply: str, width: int
) -> None:
    """Before, message lines with no time no wider than 60 columns were read as they stood:
    `NotifyAccountAddition - SCCM user to add = <UPN of User` made a user `<UPN of User`; and
    narrower than 45 columns (as an excerpt indented under its dates) they were refused."""
    above, below = REPLIES[reply]
    clean = answers(write(tmp_path, above + BLOG_QUOTES + below, "clean.txt"))
    pasted = write(tmp_path, reflowed(above + BLOG_QUOTES + below, width))
    assert answers(pasted) == clean == (
        0,
        [("<UPN of User Account>", "waiting", None, 1)],
        clean[2],
    )


@pytest.mark.parametrize(
    ("excerpt", "how", "width", "widest"),
    [("SPEC §1", "reflowed", 40, 40), ("SPEC §1", "reflowed", 44, 0),
     ("SPEC §1", "reflowed", 32, 31), ("SPEC §1", "wrapped", 32, 32),
     ("SPEC §1", "wrapped", 36, 36), ("SPEC §1", "wrapped", 44, 0),
     ("the blog post's quotes", "reflowed", 30, 30)],
)
def test_message_lines_reflowed_too_narrow_to_be_put_back_together_are_refused(
    tmp_path: Path, excerpt: str, how: str, width: int, widest: int
) -> None:
    """SPEC §1's excerpt keeps 17 of 40 columns for its messages under their date: they are
    not put back together, and the input is refused rather than read as its pieces. The blog
    post's quotes, with no date, are put back together from 32 columns (see above). The
    excerpt, read as dated lines of no known message, was refused as "no SMS_CLOUD_USERSYNC
    records", which does not say why. At 44 columns, two of its lines are as wide as the text
    and are refused as cut off (`widest` 0)."""
    text = EXCERPT_TEXT if excerpt == "SPEC §1" else BLOG_QUOTES
    pasted = write(tmp_path, (reflowed if how == "reflowed" else wrapped)(text, width))
    for command in (["report", "--all", "--format", "json"], ["check"], ["summary"]):
        result = runner.invoke(app, [*command, pasted])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.splitlines()[-1] == f"logsync: error: {pasted}: " + (
            NARROW.format(widest).rstrip("\n") if widest else CUT_OFF_44
        )


CUT_OFF_44 = (
    "2 lines are cut off at 44 columns (their ends lost, as by `cut -c` or a console's copy, or "
    "wrapped too narrow to be put back together); paste them whole"
)


NARROW = (
    "no whole record: its lines look like a log's messages wrapped at {} columns, too narrow to "
    "be put back together; paste them unwrapped (or at 60 columns or more), or attach the file\n"
)


@pytest.mark.parametrize(
    ("excerpt", "width", "widest"),
    [("the blog post's quotes", 30, 30), ("the blog post's quotes", 24, 24),
     ("the blog post's quotes", 12, 12), ("the demo's message lines", 28, 28)],
)
def test_message_lines_wrapped_too_narrow_are_refused_as_such(
    tmp_path: Path, excerpt: str, width: int, widest: int
) -> None:
    """Message lines with no time wrapped narrower than they are put back together from were
    refused as "no CloudUserSync records found (not SMS trace, CMTrace or text pasted from
    them)": a false reason, where the lines hold the starts of its messages. (`fmt -w 32`
    keeps windows of a simulated log to 31 columns, which the narrowest unwrapping does not
    read.)"""
    if excerpt == "the blog post's quotes":
        text = BLOG_QUOTES
    else:
        demo = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
        text = "".join(re.sub(r"  \$\$<.*", "", line) + "\n" for line in demo.splitlines()[:400])
    pasted = write(tmp_path, reflowed(text, width))
    for command in (["check"], ["report"], ["events"], ["summary"]):
        result = runner.invoke(app, [*command, pasted])
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == f"logsync: error: {pasted}: " + NARROW.format(widest)


@pytest.mark.parametrize(
    "text",
    [
        "Hi,\nthis is not\na log at all,\njust a reply\nwrapped short\n",
        # (one message's start: not a log's messages, one in ten lines)
        "Total received\n" + "a word\n" * 12,
        # (a wide line: not wrapped narrow)
        "Total received users\nto add from SCCM\n= 1, Total\nUserDeltaSync:- Users\n" + "x" * 45 + "\n",
    ],
)
def test_short_lines_of_no_log_are_refused_as_no_records(tmp_path: Path, text: str) -> None:
    result = runner.invoke(app, ["check", write(tmp_path, text)])
    assert result.exit_code == 2
    assert "no CloudUserSync records found" in result.stderr


CERTIFICATE_WAIT = (
    "2/26/2023 7:54:46 PM  Certmgr has not installed certificate yet, sleep for 1 minutes.\n"
    "2/26/2023 7:55:46 PM  Certmgr has not installed certificate yet, sleep for 1 minutes.\n"
    "2/26/2023 7:56:46 PM  SMS_CLOUD_USERSYNC is stopping...\n"
    "2/26/2023 8:03:59 PM  SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 6020 (0x1784).\n"
    "2/26/2023 8:03:59 PM  CCloudUserSync::Process - User sync processing has started.\n"
)
"""Dated lines of `sample_logs/certificate-wait`: the connector waits, stops and starts again."""


@pytest.mark.parametrize("width", [40, 50, 60, 72])
def test_a_record_the_catalogue_reads_to_its_number_does_not_take_the_records_after_it(
    tmp_path: Path, width: int
) -> None:
    """`... sleep for 1 minutes.` and a status message's fields were not read to their ends:
    the line took the next pieces as its own (`... 1 minutes. 2/26/2023 7:56:46 PM
    SMS_CLOUD_USERSYNC is stopping...`), and the restart was lost."""
    def restarts(path: str) -> list[tuple[object, object]]:
        document = json.loads(runner.invoke(app, ["summary", "--format", "json", path]).stdout)
        return [(restart["line"], restart["time"]) for restart in document["restarts"]]

    assert restarts(write(tmp_path, CERTIFICATE_WAIT, "clean.txt")) == [(4, "2023-02-26T20:03:59")]
    pieces = [piece for line in CERTIFICATE_WAIT.splitlines() for piece in textwrap.wrap(line, width)]
    started = next(i for i, piece in enumerate(pieces, 1) if "8:03:59" in piece)
    assert restarts(write(tmp_path, "\n".join(pieces) + "\n")) == [(started, "2023-02-26T20:03:59")]


def test_sms_trace_whose_records_a_reflow_ran_together_is_not_put_back_together(
    tmp_path: Path,
) -> None:
    """`fmt` puts the next record after a thread's `)>` on the same line: such trace is not put
    back together (a record would take the next one's time, `UserDeltaSync` at 09:25:04), and
    it is refused: the lines that happen to be whole were read without the others, and of
    windows of the demo log so reflowed at 68 to 92 columns, some left a user `pending` where
    it waits and `check` passed."""
    trace = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    excerpt = "\n".join(trace.splitlines()[2457:2459]) + "\n"  # (a cycle's end, the next's start)
    text = reflowed(excerpt, 50)
    assert re.search(r"\(0x15F0\)> \w", text)
    found = aspasted.pasting(text)
    assert found is not None and (found.run_together, found.width) == (True, None)
    path = write(tmp_path, text)
    assert refused(path) == (
        f"logsync: error: {path}: SMS-trace records run together by a reflow (`fmt`, a mail "
        "client that joins lines: `...)> Failed to add user ...`), so its lines cannot be told "
        "apart: paste the log's lines as they are, or attach the log\n"
    )


def test_dated_lines_a_reflow_ran_together_are_refused_naming_the_line(tmp_path: Path) -> None:
    """A date in the middle of a line (dated lines joined by a reflow) would be read as part
    of the message before it: `heidi@contoso.com 11/25/2026 8:55:05 AM  Total received ...`
    was a user."""
    text = (
        "11/25/2026 8:55:04 AM  NotifyAccountAddition - SCCM user to add = heidi@contoso.com\n"
        "11/25/2026 8:55:05 AM  Total received users to add from SCCM = 1, Total Successfully "
        "added users to Cloud = 0\n"
    )
    pasted = write(tmp_path, " ".join(text.split("\n")).strip() + "\n")
    result = runner.invoke(app, ["report", "--all", "--format", "json", pasted])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"logsync: error: {pasted}: line 1 holds dated lines of an excerpt run together (a "
        "reflow joined them): paste the excerpt as it was, one dated line per line\n"
    )


def test_messages_in_a_long_line_are_told_apart_in_one_pass() -> None:
    """3,000 records a mail client ran together on one line: each is told apart, looking at
    each place once (see `together.WINDOW`)."""
    record = "NotifyAccountAddition - SCCM user to add = bob@contoso.com"
    assert together.messages_in(" ".join([record] * 3000)) == [record] * 3000
    hostile = "Failed to add user x; reason UserNotFound " + "Total " * 3000
    assert together.messages_in(hostile) == [hostile]


def test_the_catalogue_s_phrase_starts_are_its_messages_as_plain_text() -> None:
    phrases = events.phrase_starts()
    assert "Total received users to add from SCCM=" in phrases  # (` *= *`: no spaces)
    assert "SMS_CLOUD_USERSYNC started, ThreadMain() thread ID=" in phrases  # (`\(\)` unescaped)
    assert "Successfully removed users from cloud:" in phrases


@pytest.mark.parametrize(
    ("text", "cut_short"),
    [
        ("Total", True),  # a whole word of a start
        ("Tota", False),
        ("Total receiv", True),  # twelve characters
        ("Total recei", False),
        ("Total received users to add from", True),
        ("Thanks", False),
    ],
)
def test_a_message_cut_short_is_twelve_characters_or_whole_words_of_its_start(
    text: str, cut_short: bool
) -> None:
    assert together.cut_short(text) is cut_short


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        (  # a message's start that the catalogue does not know yet
            "Failed to add user a@contoso.com; reason UserNotFound NotifyAccountAddition - SCCM "
            "user to add =",
            [
                "Failed to add user a@contoso.com; reason UserNotFound",
                "NotifyAccountAddition - SCCM user to add =",
            ],
        ),
        (  # split only after a message read to its end
            "Failed to add user Total received users; reason UserNotFound",
            ["Failed to add user Total received users; reason UserNotFound"],
        ),
        (  # a tab between them
            "Failed to add user a@contoso.com; reason UserNotFound\tTotal received users",
            ["Failed to add user a@contoso.com; reason UserNotFound", "Total received users"],
        ),
    ],
)
def test_where_a_reflow_ran_a_message_on(text: str, messages: list[str]) -> None:
    assert together.messages_in(text) == messages


RUN = (
    "Failed to add user a@contoso.com; reason UserNotFound Total received users to add from SCCM "
    "= 1, Total Successfully added users to Cloud = 0"
)


@pytest.mark.parametrize(
    ("piece", "begins"),
    [
        ("Total received users", True),
        ("Failed to add user", False),  # (the first record's start: the line's own)
        (RUN.split("UserNotFound ")[1] + " and more", False),
    ],
)
def test_a_piece_begins_a_record_run_together_on_a_line(piece: str, begins: bool) -> None:
    assert wholes.begins_at(RUN, piece) is begins


@pytest.mark.parametrize(
    ("line", "begins"),
    [
        ("11/25/2026 9:10:12 AM  Thanks, Bob", True),  # an excerpt's date
        ("11/25/2026 9:10:12 AM", True),  # a date alone, its message on the next line
        ("NotifyAccountAddition - SCCM user to add =", True),  # a known message's start
        ("UserDeltaSync:- Users Added = 0, Users Removed = 0", True),  # known (`User` is short)
        ("Thanks, Bob", False),
    ],
)
def test_what_begins_a_record(line: str, begins: bool) -> None:
    assert wholes.begins_record(line) is begins


def test_a_date_alone_begins_the_record_its_message_is_joined_to() -> None:
    pieces = ["11/25/2026 9:15:04 AM ", "NotifyAccountAddition - SCCM user to add = ", "bob@contoso.com"]
    assert joins.joined(pieces, wholes.MESSAGES) == (
        0,
        "11/25/2026 9:15:04 AM  NotifyAccountAddition - SCCM user to add = bob@contoso.com",
    )


@pytest.mark.parametrize(
    ("indent", "joined"),
    [
        ("  ", "  Failed to add user scott@contoso.com; reason UserNotFound"),
        ("\t\t", "\t\tFailed to add user scott@contoso.com; reason UserNotFound"),
        (" ", " Failed to add user scott@contoso.com; reason UserNotFound"),  # (the break's)
    ],
)
def test_a_paragraph_s_indentation_is_taken_off_its_pieces_when_joined(
    indent: str, joined: str
) -> None:
    pieces = [indent + "Failed to add user scott@contoso.com;", indent + "reason UserNotFound"]
    assert joins.join(pieces, wholes.MESSAGES) == joined


def test_an_excerpt_indented_one_column_then_wrapped_at_a_hyphen_keeps_the_user_s_name(
    tmp_path: Path,
) -> None:
    """SPEC §1's excerpt, its user `robert.bobson-smith@contoso.com`, wrapped at 60 columns
    after hyphens too, then every line indented by one space (a ticket's quote block): the
    indentation all lines share was not taken off (one column is less than an excerpt's own),
    so the name's pieces joined with the space of the next one's indentation, a user
    `robert.bobson- smith@contoso.com` failed beside robert pending."""
    name = "robert.bobson-smith@contoso.com"
    text = EXCERPT_TEXT.replace("scott@contoso.com", name)
    broken = wrapped(text, 60, hyphens=True)
    assert "bobson-\nsmith@contoso.com" in broken
    pasted = write(tmp_path, "".join(" " + line for line in broken.splitlines(keepends=True)))
    clean = answers(write(tmp_path, text, "clean.txt"))
    assert clean[1] == [(name, "recovered", "2014-09-15T10:24:12", 1)]
    assert answers(pasted) == clean


def _window(start: int, end: int) -> str:
    trace = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    return "\n".join(trace.splitlines()[start:end]) + "\n"


def assert_answers_or_refused(tmp_path: Path, text: str, pasted: str) -> None:
    """`pasted` (`text` as pasted) gives the answers of `text` and the same `check` exit code,
    or is refused in one line (exit 2)."""
    clean = answers(write(tmp_path, text, "clean.txt"))
    clean_gate = runner.invoke(app, ["check", "-q", write(tmp_path, text, "clean.txt")]).exit_code
    path = write(tmp_path, pasted)
    result = runner.invoke(app, ["report", "--all", "--format", "json", path])
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1
        return
    assert answers(path) == clean
    assert runner.invoke(app, ["check", "-q", path]).exit_code == clean_gate


REFLOWED_SOURCES = {
    "SPEC §1": EXCERPT_TEXT,
    "the blog post's quotes": BLOG_QUOTES,
    "trace 118-124": _window(118, 124),
    "trace 1907-1919": _window(1907, 1919),
    "trace 2658-2661": _window(2658, 2661),
}


@pytest.mark.parametrize("width", [52, 60, 68, 76, 84, 92, 100])
@pytest.mark.parametrize(
    "quote",
    ["> ", "| ", "> | ", ": ", "# ", ""],
    ids=[
        "quoted >, then reflowed", "quoted |, then reflowed", "quoted > |, then reflowed",
        "quoted :, then reflowed", "quoted #, then reflowed", "reflowed",
    ],
)
@pytest.mark.parametrize("source", list(REFLOWED_SOURCES))
def test_an_excerpt_reflowed_whole_gives_its_answers_or_none(
    tmp_path: Path, source: str, quote: str, width: int
) -> None:
    """`fmt` over an excerpt quoted with `> ` runs the quoted lines together, quote marks and
    all (`... carol@contoso.com > 11/24/2026 7:40:08 AM  Failed to add user ...`): a user was
    named `carol@contoso.com > 11/24/2026 ...`, the failure lost, and `check` passed. Over SMS
    trace (quoted or not) it runs records together after a thread's `)>`: the lines that
    happened to be whole were read, and a user left `pending` where it waits passed the gate.
    Each is the excerpt's own answer, or refused in one line; `check` never passes where the
    excerpt fails it. (Quoted with `| `, the quote marks inside a line were not looked for: the
    SPEC's excerpt gave a user `scott@contoso.com |  Failed to add user ...` and passed. `: `
    and `# ` were no quoting at all: the demo log's lines so quoted held no record of a known
    kind, and `summary` said the connector synced nothing.)"""
    text = REFLOWED_SOURCES[source]
    pasted = reflowed("".join(quote + line for line in text.splitlines(keepends=True)), width)
    assert_answers_or_refused(tmp_path, text, pasted)


@pytest.mark.parametrize("width", range(60, 101, 4))
@pytest.mark.parametrize("source", ["SPEC §1", "trace 2440-2442"])
def test_a_name_broken_at_its_hyphen_by_the_wrapper_is_put_back_together(
    tmp_path: Path, source: str, width: int
) -> None:
    """A wrapper that breaks at hyphens too (Python's `textwrap`) broke `Bob.Smith-Jones@...` after
    its hyphen, where nothing else on the line showed the break: the notification was read to
    its end with a user `Bob.Smith-` (marked "not a UPN"), a second user beside the real one.
    The rest of the name, its `@` and domain, on the next line is taken back."""
    text = (EXCERPT_TEXT if source == "SPEC §1" else _window(2440, 2442)).replace(
        "scott@contoso.com", "Bob.Smith-Jones@contoso.com"
    ).replace("bob@contoso.com", "Bob.Smith-Jones@contoso.com")
    assert "Bob.Smith-Jones@contoso.com" in text
    clean = answers(write(tmp_path, text, "clean.txt"))
    pasted = write(tmp_path, wrapped(text, width, hyphens=True))
    result = runner.invoke(app, ["report", "--all", "--format", "json", pasted])
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1
        return
    assert answers(pasted) == clean


def test_a_reply_s_own_quote_mark_at_a_line_s_end_is_no_reflowed_quoting(tmp_path: Path) -> None:
    """A `>` inside a line is refused as quoted lines run together only before a record's start,
    or at the end of a record's own line: a reply's "go to Administration >" is prose, and the
    excerpt below it is read (a record's line ending so, `... = carol@contoso.com >`, is not)."""
    reply = "Hi,\nIn the console go to Administration >\nCloud Services and look.\n\n"
    clean = answers(write(tmp_path, EXCERPT_TEXT, "clean.txt"))
    assert answers(write(tmp_path, reply + EXCERPT_TEXT)) == clean
    ended = EXCERPT_TEXT.replace("scott@contoso.com\n", "scott@contoso.com >\n", 1)
    path = write(tmp_path, ended, "ended.txt")
    result = runner.invoke(app, ["report", path])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        f"logsync: error: {path}: line 1 holds lines of a quoted excerpt run together, quote "
        "marks and all (a reflow joined them after they were quoted): paste the excerpt as it "
        "was quoted, one line per line",
    )


def fmt_indentation(text: str) -> str:
    """Each line's indentation as `fmt` writes it: a tab for every 8 columns, then spaces."""
    out = []
    for line in text.splitlines(keepends=True):
        body = line.lstrip(" ")
        columns = len(line) - len(body)
        out.append("\t" * (columns // 8) + " " * (columns % 8) + body)
    return "".join(out)


@pytest.mark.parametrize("width", [60, 76, 92, 100])
@pytest.mark.parametrize("source", ["SPEC §1", "trace 1907-1919"])
def test_an_excerpt_indented_by_a_tab_then_reflowed_gives_its_answers_or_none(
    tmp_path: Path, source: str, width: int
) -> None:
    """`sed 's/^/\\t/' | fmt -w 100`: fmt writes the indentation of 31 columns as three tabs and
    seven spaces. The tabs were measured as one column each, the wrapped totals line was not
    put back together, and SPEC §1's scott stayed `pending` where he recovered (at 50 columns,
    indented by two tabs, `check` passed where the excerpt fails it)."""
    text = REFLOWED_SOURCES[source]
    shown = "".join(" " * 8 + line for line in text.splitlines(keepends=True))
    pasted = fmt_indentation(reflowed(shown, width))
    assert "\t" in pasted
    assert_answers_or_refused(tmp_path, text, pasted)


@pytest.mark.parametrize("width", [46, 48, 60, 76, 100])
def test_message_lines_a_reflow_ran_into_one_paragraph_give_their_answers(
    tmp_path: Path, width: int
) -> None:
    """Sixty message lines of the demo log with no time, reflowed as one paragraph: each piece
    ends inside a record, so the records joined were held on until 2,048 characters, and the
    rest read as no record (4 cycles of 9 at 48 columns, 3 at 60). The records before the
    open end of a joined line are done; only that end goes on with the next piece."""
    from .test_pasted_narrow import UNTIMED

    text = "".join(UNTIMED.splitlines(True)[:60])
    clean = answers(write(tmp_path, text, "clean.txt"))
    assert clean[1] == [
        ("bob@contoso.com", "waiting", None, 0),
        ("heidi@contoso.com", "waiting", None, 0),
    ]
    assert clean[2]["cycles"] == 9
    pasted = write(tmp_path, reflowed(text, width))
    assert answers(pasted) == clean
    listed = runner.invoke(app, ["events", "--kind", "unparsed", "--format", "ndjson", pasted])
    assert (listed.exit_code, listed.stdout) == (0, "")


@pytest.mark.parametrize(
    ("line", "tail"),
    [
        ("Successfully removed users from cloud 0 NotifyAccountAddition - SCCM user",
         "NotifyAccountAddition - SCCM user"),
        ("Successfully removed users from cloud 0 Total", "Total"),
        ("NotifyAccountAddition - SCCM user", None),  # (one message: nothing done before it)
        ("Successfully removed users from cloud 0", None),
    ],
)
def test_the_open_tail_of_a_line_is_its_last_message_after_others(
    line: str, tail: str | None
) -> None:
    assert together.open_tail(line) == tail


@pytest.mark.parametrize("width", [40, 60, 96])
def test_message_lines_reflowed_by_fmt_give_their_answers(tmp_path: Path, width: int) -> None:
    """`fmt` balances its lines, breaking earlier than the width (`... Users Removed =|0
    Starting ...`): at 60 columns, 167 lines of no record and `check` passed ("ok: no
    waiting, overdue or failed user") where carol, heidi and ivan wait. A line whose last
    record the catalogue does not read to its end goes on with a line that begins none."""
    lines = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8-sig")
    clean = "".join(
        re.sub(r"  \$\$<.*", "", line) + "\n" for line in lines.splitlines()[1499:1649]
    )
    expected = answers(write(tmp_path, clean, "clean.txt"))
    assert [(upn, state) for upn, state, _, _ in expected[1]] == [
        ("carol@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("ivan@contoso.com", "waiting"),
    ]
    assert expected[2]["cycles"] == 19
    pasted = str(PASTED / f"untimed.fmt-w{width}.txt")
    assert answers(pasted) == expected
    assert runner.invoke(app, ["check", "-q", pasted]).exit_code == 1


@pytest.mark.parametrize("width", range(30, 61, 2))
@pytest.mark.parametrize("quoting", ["> ", "| "])
def test_a_quoted_excerpt_a_reflow_ran_together_is_refused_as_such_at_any_width(
    tmp_path: Path, width: int, quoting: str
) -> None:
    """Message lines quoted, then reflowed (`fmt` joins `> a` and `> b` into `> a > b`): at 30
    to 33 columns no record, "no cycle", where a record's start was cut short after a quote
    mark (`cloud = 0 > Successfully`); at 48 and more, "no CloudUserSync records found", a
    false reason. Each is refused as a quoted excerpt run together, naming its line."""
    pasted = write(tmp_path, reflowed(quoted(LONG_NAME_CYCLE, quoting), width))
    result = runner.invoke(app, ["check", pasted])
    assert (result.exit_code, result.stdout) == (2, "")
    assert re.fullmatch(
        rf"logsync: error: {re.escape(pasted)}: line \d holds lines of a quoted excerpt run "
        r"together, quote marks and all \(a reflow joined them after they were quoted\): paste "
        r"the excerpt as it was quoted, one line per line\n",
        result.stderr,
    )


def test_message_lines_with_no_time_reflowed_wide_keep_every_record(tmp_path: Path) -> None:
    """`fmt -w 104` of the demo log as message lines with no time puts two or three records
    on a line, and every record of a line has that line's instant: six of them, a user's
    notification among them, were read as "records pasted twice (the same time and text again
    just after, where copies meet)", and a cycle of carol's held back was lost (397 cycles for
    398). An input with no times shows no instant, so no record is taken for a copy."""
    demo = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8")
    clean = write(tmp_path, "".join(
        re.sub(r"  \$\$<.*", "", line) + "\n" for line in demo.splitlines()
    ), "clean.txt")
    pasted = str(PASTED / "untimed.fmt-w104.txt.gz")
    expected = answers(clean)
    assert expected[2]["cycles"] == 398
    assert answers(pasted) == expected
    assert kinds(pasted) == kinds(clean)
    result = runner.invoke(app, ["summary", pasted])
    assert "pasted twice" not in result.stderr


def test_a_quoted_excerpt_a_reflow_ran_together_is_refused_from_its_start_alone(
    tmp_path: Path,
) -> None:
    """The demo log as message lines with no time, quoted, then reflowed at 40 columns: `check`
    took 47 s to refuse it, putting every line back together first (the work grew faster than
    the input). The start of the input shows the quote marks inside its lines, and it is
    refused from there: nothing after it is read."""
    demo = (ROOT / "sample_logs" / "CloudUserSync.log").read_text(encoding="utf-8")
    text = "".join(re.sub(r"  \$\$<.*", "", line) + "\n" for line in demo.splitlines()[:200])
    pasted = reflowed(quoted(text, "> "), 40)
    head = [pasted]

    def never() -> Iterator[str]:
        raise AssertionError("read past the input's start")
        yield ""

    with pytest.raises(InputError) as refused_as:
        aspasted.undone(head, never(), pasted, "reply.txt")
    assert str(refused_as.value) == (
        "reply.txt: line 3 holds lines of a quoted excerpt run together, quote marks and all (a "
        "reflow joined them after they were quoted): paste the excerpt as it was quoted, one line "
        "per line"
    )
    path = write(tmp_path, pasted)
    result = runner.invoke(app, ["check", path])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"logsync: error: {path}: " + str(refused_as.value).split(": ", 1)[1] + "\n"
