"""Logs with something put before every line (`formats.prefixes`): a Markdown list's bullet or
number, a terminal's or a ticket's timestamp, a host; Outlook's links after addresses
(`formats.copies.unlinked`); and the input check that no reading of the connector's records
that finds none of its messages judges it (`known.ensure_known`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from logsync.cli import app
from logsync.formats import aspasted, prefixes

from .conftest import SAMPLES
from .test_as_pasted import BLOG_QUOTES, DEMO_TEXT, EXCERPT_TEXT, answers, quoted, wrapped, write

runner = CliRunner()

DEMO = str(SAMPLES / "CloudUserSync.log")
NOW = "--now=2026-11-25T16:10:00-08:00"
EXPORT = str(SAMPLES / "azure-ad-users.csv")
TAKEN = "2026-11-25 15:55 -08:00"


def prefixed(text: str, prefix: Callable[[int], str]) -> str:
    """Text with `prefix(number)` before each of its lines (numbered from 1)."""
    return "".join(prefix(n) + line for n, line in enumerate(text.splitlines(keepends=True), 1))


def clock(n: int) -> str:
    """A terminal's time of line `n` (a second apart)."""
    return f"{16 + n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}"


PREFIXES: dict[str, Callable[[int], str]] = {
    "a Markdown list, -": lambda n: "- ",
    "a Markdown list, *": lambda n: "* ",
    "a list of bullets": lambda n: "\u2022 ",
    "numbered 1.": lambda n: f"{n}. ",
    "numbered 1), aligned right": lambda n: f"{n:>5}) ",
    "a terminal's timestamp": lambda n: f"[2026-11-25 {clock(n)}] ",
    "an ISO timestamp with its fraction": lambda n: f"2026-11-25T{clock(n)}.{n % 1000:03d}Z ",
    "a time alone": lambda n: f"{clock(n)} ",
    "a timestamp with AM and PM": lambda n: f"[11/25/2026 {n % 12 + 1}:{n % 60:02d}:07 {'AP'[n % 2]}M] ",
    "a host and a bar": lambda n: "SCCM01 | ",
    "a bullet, then a time": lambda n: f"- [{clock(n)}] ",
    "a timestamp, then grep -n's number": lambda n: f"[{clock(n)}] {n}:",
}


@pytest.mark.parametrize("how", list(PREFIXES))
def test_the_demo_log_with_a_prefix_before_each_line_gives_the_answers_of_the_log(
    tmp_path: Path, how: str
) -> None:
    """Each line was read as a record whose message (`- SMS_EXECUTIVE started ...`) is none the
    catalogue knows: no user, no cycle, and `check --fail-on stuck,failed` passed."""
    clean = answers(DEMO)
    assert clean[1]["stuck"] == 4 and len(clean[0]) == 10
    assert answers(write(tmp_path, prefixed(DEMO_TEXT, PREFIXES[how]))) == clean


@pytest.mark.parametrize("width", [76, 100, 120])
@pytest.mark.parametrize(
    "prefix",
    [lambda n: f"{n}:", lambda n: f"CloudUserSync.log:{n}:", lambda n: "- ", lambda n: f"{n}. "],
    ids=["findstr /n", "Select-String", "a Markdown list", "numbered 1."],
)
def test_prefixed_lines_then_wrapped_give_the_answers_of_the_log(
    tmp_path: Path, prefix: Callable[[int], str], width: int
) -> None:
    """A search's numbered lines wrapped where they were pasted break records in their trailers:
    `2:NotifyAccountAddition … <11-25-2026`, then `15:55:04.911+480><thread=…`. The hour was
    taken for a line number and the rest of each record lost (`check` passed, where the log
    fails with 5 users); with a file's name, or a bullet, the prefix was not found at all
    (half the lines carry none) and the input refused."""
    pasted = wrapped(prefixed(DEMO_TEXT, prefix), width)
    assert answers(write(tmp_path, pasted)) == answers(DEMO)


def test_check_of_the_demo_log_as_a_markdown_list_fails_as_on_the_log(tmp_path: Path) -> None:
    """The tester's case: `ok: no waiting, overdue or failed user` (exit 0), where the log
    fails with 5 users."""
    path = write(tmp_path, prefixed(DEMO_TEXT, lambda n: "- "))
    result = runner.invoke(app, ["check", NOW, "--fail-on", "stuck,failed", path])
    assert (result.exit_code, result.stdout.splitlines()) == (1, [
        "bob@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T09:15:03.266-08:00",
        "heidi@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T10:15:03.710-08:00",
        "erin@contoso.com\twaiting\tUserNotFound\texpected recovery 2026-11-26T14:35:05.634-08:00",
        "ivan@contoso.com\toverdue\tUserNotFound\texpected recovery 2026-11-25T08:25:04.296-08:00 "
        "passed, no retry logged",
        "dave@contoso.com\tfailed\tLicenseLimitReached\tno automatic retry",
        "FAIL: 5 users (3 waiting, 1 overdue, 1 failed), limit 0 as of "
        "2026-11-25T16:10:00-08:00; 1 pending user not counted by --fail-on stuck,failed",
    ])
    report = json.loads(runner.invoke(app, ["report", NOW, "--format", "json", path]).stdout)
    assert (report["inputs"][0]["records"], report["summary"]["cycles"]) == (3041, 398)
    assert report["connector"]["state"] == "running"


def test_the_events_of_a_prefixed_log_keep_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, prefixed(DEMO_TEXT, lambda n: f"[2026-11-25 {clock(n)}] "))
    result = runner.invoke(app, ["events", "--kind", "user_add_failed", "--format", "csv", path])
    clean = runner.invoke(app, ["events", "--kind", "user_add_failed", "--format", "csv", DEMO])
    rows = result.stdout.splitlines()
    assert len(rows) == 8 and rows[1:] == [
        row.replace(DEMO, path) for row in clean.stdout.splitlines()[1:]
    ]


@pytest.mark.parametrize(
    "prefix", ["- ", "1. ", "* "], ids=["a Markdown list", "numbered", "bullets"]
)
@pytest.mark.parametrize("text", [BLOG_QUOTES, EXCERPT_TEXT], ids=["the blog post's quotes",
                                                                  "SPEC's excerpt"])
def test_pasted_lines_as_a_list_give_the_answers_of_the_lines(
    tmp_path: Path, prefix: str, text: str
) -> None:
    """A ticket's list of the blog post's quotes, or of an excerpt under its dates: the list's
    marks are taken off, the excerpt's dates stay its times."""
    listed = "".join(
        (prefix.replace("1", str(n)) if line.strip() else "") + line
        for n, line in enumerate(text.splitlines(keepends=True), 1)
    )
    assert answers(write(tmp_path, listed)) == answers(write(tmp_path, text, "as is.txt"))


def test_a_prefix_on_a_reply_s_lines_is_taken_off_inside_the_quoting(tmp_path: Path) -> None:
    path = write(tmp_path, quoted(prefixed(DEMO_TEXT, lambda n: f"{n}. "), "> "))
    assert answers(path) == answers(DEMO)


# -- what is no prefix --------------------------------------------------------------------------


def line_prefix(text: str) -> str | None:
    """The shape of the prefix `aspasted.pasting` finds before the text's lines (None: none)."""
    found = aspasted.pasting(text)
    return None if found is None or found.line_prefix is None else found.line_prefix.pattern


@pytest.mark.parametrize(
    "number",
    [lambda n: f"{n}:", lambda n: f"{n:>6}:", lambda n: f"(standard input):{n}:"],
    ids=["grep -n ''", "numbers aligned", "grep -H -n ''"],
)
@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_spec_s_excerpt_numbered_line_by_line_gives_its_answers(
    tmp_path: Path, number: Callable[[int], str], end: str
) -> None:
    """SPEC §1's excerpt (its dated lines, their records under them) through `grep -n ''` or
    `findstr /n`: "no CloudUserSync records found" (a date after a line's number was taken for
    one of its times, which count no lines so; found by a tester)."""
    numbered = "".join(f"{number(n)}{line}{end}" for n, line in enumerate(EXCERPT_TEXT.splitlines(), 1))
    assert answers(write(tmp_path, numbered, "numbered.txt")) == answers(write(tmp_path, EXCERPT_TEXT))


@pytest.mark.parametrize(
    ("lines", "numbered"),
    [
        (["1:a", "2:b", "3:c"], True),
        (["7-a", "8:b", "9:c"], True),
        (["1:a", "2:b"], False),  # (two lines: too few to tell)
        (["1:a", "3:b", "4:c"], False),  # (a number left out: a search's, told otherwise)
        (["10:23:54 AM a", "11:02:10 AM b", "12:00:00 PM c"], False),  # (an hourly excerpt's times)
        (["(standard input):1:a", "(standard input):2:b", "(standard input):3:c"], True),
        (["  1\ta", "  2\tb", "  3\tc"], True),
        (["10:23:54 AM a", "10:24:12 AM b", "11:00:00 AM c"], False),
    ],
)
def test_lines_numbered_in_turn(lines: list[str], numbered: bool) -> None:
    from logsync.formats.copies import _in_turn

    assert _in_turn(lines) is numbered


def test_a_prefix_is_taken_off_only_where_four_in_five_lines_carry_one_of_one_shape() -> None:
    lines = DEMO_TEXT.splitlines(keepends=True)[:100]
    most = "".join(("- " if n % 5 else "") + line for n, line in enumerate(lines))  # (4 in 5)
    assert line_prefix(most) == "[ \\t]*\\-[ \\t]+"
    fewer = "".join(("- " if n % 4 else "") + line for n, line in enumerate(lines))  # (3 in 4)
    assert line_prefix(fewer) is None
    two_shapes = "".join(("- " if n % 2 else "* ") + line for n, line in enumerate(lines))
    assert line_prefix(two_shapes) is None


def test_an_excerpt_s_dates_and_the_times_of_lines_with_no_trailer_are_no_prefix() -> None:
    """Lines the catalogue knows as they stand tell no prefix: an excerpt's, whose date before
    a message is its time (a list of them: the list's mark alone is); nor is a time before a
    message with no trailer, which may be its own (a list of them is refused: no record)."""
    listed = "".join(("- " if line.strip() else "") + line for line in EXCERPT_TEXT.splitlines(True))
    assert line_prefix(listed) == "[ \\t]*\\-[ \\t]+"
    assert aspasted.pasting(EXCERPT_TEXT) is None
    assert line_prefix(prefixed(BLOG_QUOTES, lambda n: f"[2026-11-25 {clock(n)}] ")) is None
    assert line_prefix(prefixed(BLOG_QUOTES, lambda n: f"[{n}] ")) == "[ \\t]*\\[\\d+\\][ \\t]+"


def test_words_before_a_message_in_a_reply_are_no_prefix() -> None:
    """Sentences that quote a message differ in shape: no prefix, and their words stay; the
    same messages as a list lose its marks."""
    messages = [
        "Failed to add user bob@contoso.com; reason UserNotFound",
        "NotifyAccountAddition - SCCM user to add = bob@contoso.com",
        "Total received users to add from SCCM = 0, Total Successfully added users to Cloud = 0",
    ]
    said = ["Hi team, we keep seeing ", "and then ", "Since yesterday: "]
    assert line_prefix("".join(f"{a}{b}\n" for a, b in zip(said, messages, strict=True))) is None
    assert line_prefix("".join(f"  * {message}\n" for message in messages)) == "[ \\t]*\\*[ \\t]+"


# -- nothing known is nothing to judge ----------------------------------------------------------


def test_a_log_none_of_whose_many_records_is_a_known_message_is_refused(tmp_path: Path) -> None:
    """A prefix of two shapes (not taken off) hides every message: the log was judged a
    connector with no cycle and no user, and a gate on users passed (exit 0). It is an input
    error, in every command that judges the connector; the events are still shown. A few
    such records (under `UNKNOWN_ONLY`), and a connector that only waits for its certificate,
    are judged as before. (A list's marks, `- ` and `* `, are read off each line as a ticket's
    highlight of it: `test_highlighted_lines`.)"""
    path = write(tmp_path, prefixed(DEMO_TEXT, lambda n: "\u00bb " if n % 2 else "\u00ab "), "two.log")
    refused = (
        f"logsync: error: {path}: none of its 3,041 SMS_CLOUD_USERSYNC records is a message "
        "the connector is known to write (a cycle, a user's addition, a start, a certificate "
        "wait): nothing to judge; give the log's lines as the connector wrote them\n"
    )
    for command in (
        ["check", NOW, "--fail-on", "stuck,failed"], ["check", NOW], ["report", NOW],
        ["summary", NOW], ["timeline", NOW, "bob@contoso.com"],
    ):
        result = runner.invoke(app, [*command, path])
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", refused), command
    events = runner.invoke(app, ["events", "--format", "ndjson", path])
    assert events.exit_code == 0 and len(events.stdout.splitlines()) == 3041

    few = write(tmp_path, prefixed("".join(DEMO_TEXT.splitlines(keepends=True)[:9]),
                                   lambda n: "\u00bb " if n % 2 else "\u00ab "), "few.log")
    result = runner.invoke(app, ["check", "--now", "2026-11-24T07:10:00-08:00", few])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        1,
        "FAIL: no waiting, overdue or failed user; connector: no_cycles as of "
        "2026-11-24T07:10:00-08:00",
    )
    waiting = runner.invoke(app, ["check", str(SAMPLES / "certificate-wait")])
    assert (waiting.exit_code, waiting.stdout.splitlines()[-1]) == (
        1,
        "FAIL: no waiting, overdue or failed user; connector: connector_stopped as of "
        "2023-02-26T20:19:12.431-08:00",
    )


# -- Outlook's links after addresses ------------------------------------------------------------


def linked(
    text: str, target: Callable[[str], str] = lambda address: address, space: str = ""
) -> str:
    """Text as Outlook's plain text shows it: each address followed by its link."""
    import re

    return re.sub(
        r"[A-Za-z.]+@[Cc]ontoso\.com", lambda m: f"{m[0]}{space}<mailto:{target(m[0])}>", text
    )


@pytest.mark.parametrize("space", ["", " "], ids=["right after it", "after a space"])
@pytest.mark.parametrize(
    "target", [str, str.upper], ids=["to the address", "to the address in capitals"]
)
def test_addresses_shown_with_their_links_are_the_users_names(
    tmp_path: Path, target: Callable[[str], str], space: str
) -> None:
    """`bob@contoso.com<mailto:bob@contoso.com>` was the user's name: `--user bob@contoso.com`
    matched nobody, and no user was found in the Azure AD export. With a space before the link
    (`bob@contoso.com <mailto:bob@contoso.com>`), it still was."""
    path = write(tmp_path, linked(DEMO_TEXT, target, space))
    assert answers(path) == answers(DEMO)
    named = runner.invoke(app, ["report", NOW, "--user", "bob@contoso.com", path])
    assert (named.exit_code, named.stdout) == (0, (
        "bob@contoso.com\twaiting\tUserNotFound\t2026-11-25T09:10:08.462-08:00\t"
        "2026-11-25T09:10:08.462-08:00\t1\t2026-11-26T09:10:08.462-08:00\t"
        "2026-11-26T09:15:03.266-08:00\t61503.266\t-\t-\t-\n"
    ))
    cloud = ["--cloud-users", EXPORT, "--cloud-users-as-of", TAKEN, "--format", "json"]
    document = json.loads(runner.invoke(app, ["report", NOW, *cloud, path]).stdout)
    assert {u["upn"]: u["in_azure_ad"] for u in document["users"]} == {
        "bob@contoso.com": True,
        "heidi@contoso.com": False,
        "erin@contoso.com": False,
        "ivan@contoso.com": True,
        "dave@contoso.com": True,
    }


def test_a_link_to_another_address_stays(tmp_path: Path) -> None:
    """Only a link to the address it follows is a mail client's: another is the text's."""
    path = write(tmp_path, linked(DEMO_TEXT))
    other = write(tmp_path, linked(DEMO_TEXT, lambda address: "x" + address), "other.log")
    users = [u["upn"] for u in answers(path)[0]]
    assert users[:2] == ["bob@contoso.com", "heidi@contoso.com"]
    assert [u["upn"] for u in answers(other)[0]][:2] == [
        "bob@contoso.com<mailto:xbob@contoso.com>",
        "heidi@contoso.com<mailto:xheidi@contoso.com>",
    ]


@pytest.mark.parametrize("width", [60, 66, 72, 76, 100])
def test_a_ticket_wrapped_with_its_links_gives_the_answers_of_the_ticket(
    tmp_path: Path, width: int
) -> None:
    """Outlook wraps its plain text with the links shown (76 columns): SPEC §1's excerpt so
    wrapped lost scott's failure (`synced`, not `recovered`): the links were taken off before
    the lines were put back together, so the address alone fitted where the break came, and
    the break was not the wrapping's. They are taken off after."""
    import textwrap

    ticket = (SAMPLES / "pasted" / "ticket.txt").read_text(encoding="utf-8")
    wrapped = "".join(
        "\n".join(textwrap.wrap(line, width, break_long_words=False, drop_whitespace=False)) + "\n"
        for line in linked(ticket).splitlines()
    )
    assert "Failed to add user \nscott@contoso.com<mailto:scott@contoso.com>;" in wrapped or width == 100
    clean = answers(write(tmp_path, ticket, "clean.txt"))
    assert [(u["upn"], u["state"], u["failures"]) for u in clean[0]] == [("scott@contoso.com", "recovered", 1)]
    assert answers(write(tmp_path, wrapped)) == clean


# -- any prefix of one shape --------------------------------------------------------------------

EXCERPT = "".join(DEMO_TEXT.splitlines(keepends=True)[2400:2700])
"""300 lines of the demo log: bob's failure, heidi held back, Mallory added."""

ATOMS: dict[str, Callable[[int], str]] = {
    "-": lambda n: "-",
    "*": lambda n: "*",
    "+": lambda n: "+",
    "bullet": lambda n: "\u2022",
    "en dash": lambda n: "\u2013",
    "1.": lambda n: f"{n}.",
    "1)": lambda n: f"{n})",
    "(1)": lambda n: f"({n})",
    "#1": lambda n: f"#{n}",
    "[time]": lambda n: f"[{clock(n)}]",
    "date and time": lambda n: f"2026-11-25 {clock(n)}",
    "<time>": lambda n: f"<{clock(n)}>",
    "[ISO]": lambda n: f"[2026-11-25T{clock(n)}.{n:06d}+01:00]",
    "host": lambda n: "SCCM01",
    "level": lambda n: "INFO",
    "[component]": lambda n: "[SMS_CLOUD_USERSYNC]",
    "syslog": lambda n: f"Nov 25 {clock(n)} sccm01",
}
SEPARATORS = (" ", "  ", "\t", " | ", " - ", ": ")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(
    st.tuples(st.sampled_from(list(ATOMS)), st.sampled_from(SEPARATORS)), min_size=1, max_size=3
))
@example(parts=[("-", "\t"), ("-", "\t"), ("date and time", "\t")])  # (a copied row's columns?)
def test_any_prefix_of_one_shape_gives_the_answers_of_the_log(
    tmp_path: Path, parts: list[tuple[str, str]]
) -> None:
    """A prefix of one shape: one to three marks, numbers, stamps or words, each with its
    separator. One longer than `MAX_PREFIX` may not be taken off (but a search's number at
    its start): never an all-clear, the log is refused (or read as the log)."""
    clean = answers(write(tmp_path, EXCERPT, "clean.log"))
    assert [(u["upn"], u["state"]) for u in clean[0]] == [
        ("bob@contoso.com", "waiting"),
        ("heidi@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    prefix = lambda n: "".join(ATOMS[atom](n) + sep for atom, sep in parts)  # noqa: E731
    path = write(tmp_path, prefixed(EXCERPT, prefix), "prefixed.log")
    if max(len(prefix(n)) for n in range(1, 301)) <= prefixes.MAX_PREFIX:
        assert answers(path) == clean
    else:
        assert runner.invoke(app, ["check", "--fail-on", "stuck", path]).exit_code in (1, 2)


@pytest.mark.parametrize("through", ["file", "stdin"])
@pytest.mark.parametrize("search", ["UserDeltaSync", "removed from cloud", "NotifyAccount"])
def test_a_search_of_known_messages_no_rule_needs_is_judged_as_before(
    tmp_path: Path, through: str, search: str
) -> None:
    """`grep UserDeltaSync CloudUserSync.log`: many records, each a known message of a kind
    that the tracker does not read (or reads without a cycle), is no log of unknown messages:
    it was refused as one ("none of its 20 SMS_CLOUD_USERSYNC records is a message …"). Also
    with a `--now` that leaves all but its first record out (found by hypothesis)."""
    lines = [line for line in DEMO_TEXT.splitlines(keepends=True) if search in line][:20]
    path = write(tmp_path, "".join(lines), "search.log")
    given = {"input": "".join(lines)} if through == "stdin" else {}
    arguments = ["check", "-"] if through == "stdin" else ["check", path]
    result = runner.invoke(app, arguments, **given)  # type: ignore[arg-type]
    assert result.exit_code == 1, result.stderr
    assert "is a message the connector is known to write" not in result.stderr
    first = lines[0].split("><")[1]  # (its time, as the trailer writes it)
    cut = runner.invoke(app, ["check", "--now", _iso(first), path])
    assert cut.exit_code == 1, cut.stderr


def _iso(trailer_time: str) -> str:
    """`11-24-2026 07:00:04.211+480` as ISO 8601 (the bias: UTC = local + bias)."""
    date, clock_bias = trailer_time.split(" ")
    month, day, year = date.split("-")
    clock, bias = clock_bias[:-4], int(clock_bias[-4:])
    hours, minutes = divmod(abs(bias), 60)
    sign = "-" if bias > 0 else "+"
    return f"{year}-{month}-{day}T{clock}{sign}{hours:02d}:{minutes:02d}"


def test_a_log_of_the_connector_s_own_unknown_messages_is_judged_as_one_with_no_cycle(
    tmp_path: Path,
) -> None:
    """Twelve of the connector's errors that the catalogue does not know, every five minutes:
    they were refused as lines "not as the connector wrote them" (`summary` and `watch` quit);
    the connector logged no cycle, as before. Only where most records hold a known message
    after something put before them is the input refused."""
    line = (
        "ERROR: Exception while getting cloud user sync settings: The remote server returned an "
        "error: (401) Unauthorized.  $$<SMS_CLOUD_USERSYNC><03-02-2026 08:{:02d}:01.000+300>"
        "<thread=5616 (0x15F0)>\n"
    )
    path = write(tmp_path, "".join(line.format(5 * n) for n in range(12)), "CloudUserSync.log")
    result = runner.invoke(app, ["check", path])
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        1,
        "FAIL: no waiting, overdue or failed user; connector: no_cycles as of "
        "2026-03-02T08:55:01-05:00",
    )
    summary = runner.invoke(app, ["summary", "--format", "json", path])
    assert summary.exit_code == 0, summary.stderr
    assert [f["code"] for f in json.loads(summary.stdout)["findings"]] == ["no_cycles"]


def test_a_link_after_an_address_that_begins_a_line_is_undone() -> None:
    """Outlook's plain text wraps at 76 columns, so an address shown with its link often
    begins a line: it was kept as `scott@contoso.com<mailto:scott@contoso.com>` (the link was
    looked for after a space or a mark only)."""
    from logsync.formats.copies import linked as shows_links
    from logsync.formats.copies import unlinked

    text = "user to add =\nscott@contoso.com<mailto:scott@contoso.com>\r\nFailed\n"
    assert shows_links(text) is True
    assert unlinked(text) == "user to add =\nscott@contoso.com\r\nFailed\n"


@pytest.mark.parametrize(
    ("level", "prefix"),
    [
        (lambda message: "ERROR" if "Failed" in message else "INFO", "[{}] "),
        (lambda message: "WARN" if "Failed" in message else "INFO", "2026-11-25 16:00:01 {} "),
    ],
    ids=["[LEVEL]", "a time and a level"],
)
def test_a_prefix_whose_word_differs_from_line_to_line_is_one_shape(
    tmp_path: Path, level: Callable[[str], str], prefix: str
) -> None:
    """A log aggregator's export: `[INFO] ` before most lines, `[ERROR] ` before the failures.
    Only the most common was taken off: every failure was a plain message, bob `pending`."""
    text = "".join(
        prefix.format(level(line)) + line for line in EXCERPT.splitlines(keepends=True)
    )
    clean = answers(write(tmp_path, EXCERPT, "clean.log"))
    assert answers(write(tmp_path, text, "levels.log")) == clean


def test_numbers_aligned_right_past_a_hundred_are_one_shape(tmp_path: Path) -> None:
    """`  9. `, ` 99. `, `100. `: with more lines of three digits than of fewer, the shape taken
    was `\\d+\\.` without the spaces before it, three in four lines carried it, and the log was
    refused."""
    lines = EXCERPT.splitlines(keepends=True)
    text = "".join(f"{n:>3}. {line}" for n, line in enumerate(lines, 1))
    assert answers(write(tmp_path, text, "numbered.txt")) == answers(write(tmp_path, EXCERPT))


def test_a_file_s_own_byte_order_mark_after_quoting_is_no_rich_text_spacing() -> None:
    """`sed 's/^/> /'` of a log that begins with its byte order mark: the mark after `> ` was
    taken for a rich-text copy's, and every line of the reply went through a regex (2.5 times
    slower). A mark after a character of a line's text is one."""
    from logsync.formats.copies import plainly_spaced, spaced

    assert (spaced("> \ufeffSMS_EXECUTIVE started"), spaced("- \ufeffStarting")) == (False, False)
    assert spaced("reason UserNotFound\ufeff  $$<") is True
    assert plainly_spaced("\ufeffa\ufeffb\u00a0c\u200bd\n\ufeffe") == "\ufeffab cd\n\ufeffe"


UNKNOWN_ERROR = (
    "ERROR: Exception while getting cloud user sync settings: The remote server returned an "
    "error: (401) Unauthorized.  $$<SMS_CLOUD_USERSYNC><03-02-2026 08:{:02d}:01.000+300>"
    "<thread=5616 (0x15F0)>\n"
)


@pytest.mark.parametrize(
    ("hidden", "others", "refused"),
    [(10, 0, True), (9, 0, False), (6, 4, True), (5, 5, False), (4, 6, False)],
)
def test_the_net_refuses_only_many_records_most_of_them_hiding_a_message(
    tmp_path: Path, hidden: int, others: int, refused: bool
) -> None:
    """The boundaries of `known.ensure_known`: at least `UNKNOWN_ONLY` (10) records of the
    connector, more than half of them a known message after something put before it (a
    prefix of two shapes, `»`/`«`); the others the connector's own unknown errors."""
    start = "Starting user delta sync, raise failure status messages = True  $$<SMS_CLOUD_USERSYNC>"
    lines = [
        f"{'» ' if n % 2 else '« '}{start}<03-02-2026 09:{n:02d}:00.000+300><thread=5616 (0x15F0)>\n"
        for n in range(hidden)
    ] + [UNKNOWN_ERROR.format(n) for n in range(others)]
    path = write(tmp_path, "".join(lines), "CloudUserSync.log")
    result = runner.invoke(app, ["check", path])
    assert result.exit_code == (2 if refused else 1), result.stderr
    assert ("is a message the connector is known to write" in result.stderr) is refused


def test_a_link_is_taken_off_only_after_the_whole_address_it_is_to() -> None:
    """`unlinked` alone: a link to another address, or after a longer word that ends as the
    address, is the text's."""
    from logsync.formats.copies import unlinked

    assert unlinked("x bob@contoso.com<mailto:xbob@contoso.com>") == (
        "x bob@contoso.com<mailto:xbob@contoso.com>"
    )
    assert unlinked("= xbob@contoso.com<mailto:bob@contoso.com>") == (
        "= xbob@contoso.com<mailto:bob@contoso.com>"
    )
    assert unlinked("<bob@contoso.com<mailto:bob@contoso.com>>") == "<bob@contoso.com>"
    assert unlinked("user:bob@contoso.com<mailto:bob@contoso.com>") == "user:bob@contoso.com"
    assert unlinked("bob@contoso.com<mailto:bob@contoso.com>;") == "bob@contoso.com;"
    assert unlinked("= bob@contoso.com <mailto:bob@contoso.com>;") == "= bob@contoso.com;"
    assert unlinked("= bob@contoso.com  <mailto:bob@contoso.com>") == (  # (two: the text's)
        "= bob@contoso.com  <mailto:bob@contoso.com>"
    )


@pytest.mark.parametrize(
    ("text", "spacing"),
    [(">\ufeffSMS_EXECUTIVE", False), ("-\ufeffStarting", False), ("|\ufeffStarting", False),
     ("x\ufeffStarting", True), ("e\u00adxample", True), ("a\u2060b", True), ("plain", False)],
)
def test_a_byte_order_mark_after_quoting_or_a_bullet_is_the_file_s(text: str, spacing: bool) -> None:
    from logsync.formats.copies import spaced

    assert spaced(text) is spacing


@pytest.mark.parametrize(
    ("prefix", "shape"),
    [
        ("[INFO] ", "[ \\t]*\\[[A-Za-z]+\\][ \\t]+"),
        ("INFO ", "[ \\t]*INFO[ \\t]+"),  # (a word alone: itself, it may begin a message)
        ("9:10:08 PM ", "[ \\t]*\\d+:\\d+:\\d+[ \\t]+[AaPp][Mm][ \\t]+"),
        ("9:10:08 am ", "[ \\t]*\\d+:\\d+:\\d+[ \\t]+[AaPp][Mm][ \\t]+"),
        ("[ÉTAT] ", "[ \\t]*\\[É[A-Za-z]+\\][ \\t]+"),  # (a letter past ASCII: itself)
        ("  12. ", "[ \\t]*\\d+\\.[ \\t]+"),
    ],
)
def test_the_shape_of_a_prefix(prefix: str, shape: str) -> None:
    assert prefixes._pattern(prefix) == shape


@pytest.mark.parametrize(
    ("message", "hides"),
    [
        ("- Starting user delta sync, raise failure status messages = True", True),
        ("xStarting user delta sync, raise failure status messages = True", False),
        ("9Starting user delta sync, raise failure status messages = True", False),
        ("x" * 500 + " Starting user delta sync, raise failure status messages = True", True),
        ("x" * 520 + " Starting user delta sync, raise failure status messages = True", False),
        ("- Starting nothing the catalogue knows", False),
    ],
)
def test_a_message_hidden_behind_a_prefix_of_any_length(message: str, hides: bool) -> None:
    assert prefixes.hides_a_message(message) is hides


COPIED_ROW_RE = re.compile(
    r"^(.*?)  \$\$<([^>]*)><(\d\d)-(\d\d)-(\d{4}) (\d\d):(\d\d):(\d\d)\.\d{3}[+-]\d+>"
    r"<thread=(\d+ \(0x[0-9A-F]+\))>"
)


def copied_rows(first: int, last: int) -> str:
    """The demo log's lines `first` to `last` as rows copied from CMTrace's list (message,
    component, date and time, thread; apart by tabs)."""
    rows = []
    for line in DEMO_TEXT.splitlines()[first - 1 : last]:
        found = COPIED_ROW_RE.match(line)
        assert found is not None
        message, component, month, day, year, hour, minute, second, thread = found.groups()
        clock = f"{int(hour) % 12 or 12}:{minute}:{second} {'AM' if int(hour) < 12 else 'PM'}"
        rows.append(f"{message}\t{component}\t{int(month)}/{int(day)}/{year} {clock}\t{thread}\n")
    return "".join(rows)


@pytest.mark.parametrize(
    "prefix",
    [lambda n: f"{n:5d} | ", lambda n: f"[{n}] ", lambda n: f"{n}) "],
    ids=["number and bar", "number in brackets", "number and parenthesis"],
)
def test_copied_rows_with_a_number_before_each_give_the_answers_of_the_rows(
    tmp_path: Path, prefix: Callable[[int], str]
) -> None:
    """A row's message was taken as it stands, number and all (`    1 | Starting user delta
    sync…`): none was known, and the rows were refused. The prefix is looked for in the row's
    message, as before an SMS-trace record's."""
    rows = copied_rows(2436, 2460)
    clean = answers(write(tmp_path, rows, "rows.txt"))
    assert [(u["upn"], u["state"]) for u in clean[0]] == [
        ("bob@contoso.com", "waiting"), ("heidi@contoso.com", "waiting"),
        ("Mallory.Admin@Contoso.com", "synced"),
    ]
    assert answers(write(tmp_path, prefixed(rows, prefix), "numbered.txt")) == clean


@pytest.mark.parametrize("found", [1, 5, 9])
def test_select_string_s_mark_under_a_bullet_is_one_shape_with_spaces(found: int) -> None:
    """`- > ` (a line `Select-String -Context` found) and `-   ` (one it shows around it) are one
    shape, whichever is most: each line's prefix is taken off."""
    messages = DEMO_TEXT.splitlines()[2433:2443]
    lines = [f"- {'>' if k < found else ' '} {message}" for k, message in enumerate(messages)]
    shape = prefixes.prefix_shape(lines)
    assert shape is not None
    assert [prefixes.unprefixed(line, shape) for line in lines] == messages
