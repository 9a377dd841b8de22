"""What makes a record of pasted text whole (`formats.wholes`), on the lines people paste: a
record of the connector's log with its trailer, a row copied from CMTrace, a message the
catalogue knows."""

from __future__ import annotations

from logsync.formats import wholes
from logsync.formats.wholes import MESSAGES, ROWS, TRACE

TRAILER = "  $$<SMS_CLOUD_USERSYNC><02-26-2023 19:53:46.424+480><thread=5616 (0x15F0)>"
REMOVED = "Successfully removed users from cloud 0"
NOTIFIED = "NotifyAccountAddition - SCCM user to add = carol@contoso.com"
FAILED = "Failed to add user scott@contoso.com; reason UserNotFound"
ROW = f"{FAILED}\tSMS_CLOUD_USERSYNC\t2/26/2023 7:53:46 PM\t5616 (0x15F0)"
REPLY = "Hi team, the connector log from this morning is below."


def test_a_fourth_of_the_lines_holding_a_trailer_is_not_yet_trace() -> None:
    """Trace takes more than a fourth of the lines with a trailer: one in four is too few
    (a record among a reply's lines), one in three is trace (a record wrapped over three)."""
    assert wholes.mode([REPLY, REMOVED + TRAILER, "Thanks,", "Dave"]) == MESSAGES
    assert wholes.mode([REPLY, REMOVED + TRAILER, "Thanks,"]) == TRACE
    assert wholes.mode([REMOVED + TRAILER[:30], TRAILER[30:], REMOVED + TRAILER]) == TRACE


def test_a_fourth_of_the_lines_ending_with_a_thread_is_not_yet_rows() -> None:
    """Rows take more than a fourth of the lines ending with a row's thread: one in four is
    too few, one in three (a row wrapped over three lines) is rows."""
    assert wholes.mode([REPLY, ROW, "Thanks,", "Dave"]) == MESSAGES
    assert wholes.mode([REPLY, ROW, "Thanks,"]) == ROWS
    assert wholes.mode([REPLY, "Thanks,", "Dave"]) == MESSAGES


def test_a_piece_ends_a_record_at_its_trailer_or_its_thread_spaces_after_it_or_not() -> None:
    """A piece ends a record where it ends with its trailer's `>` (trace) or its thread's `)`
    (rows), also with spaces or a tab after it (a console's copy pads its lines); a piece
    cut inside the trailer or the thread does not."""
    assert wholes.ends(REMOVED + TRAILER, TRACE)
    assert wholes.ends(REMOVED + TRAILER + "   ", TRACE)
    assert wholes.ends(REMOVED + TRAILER + " \t", TRACE)
    assert not wholes.ends(REMOVED + TRAILER[:-1], TRACE)
    assert not wholes.ends("   " + REMOVED + TRAILER[:-1], TRACE)
    assert wholes.ends(ROW, ROWS)
    assert wholes.ends(ROW + "\t", ROWS)
    assert wholes.ends(ROW + "  ", ROWS)
    assert not wholes.ends(ROW[:-3], ROWS)
    assert not wholes.ends(ROW, TRACE)  # (a row's `)` ends no trace record)


def test_a_piece_begins_a_message_by_twelve_characters_of_its_start() -> None:
    """The first words of a message the catalogue knows begin a record: twelve characters of
    its start at least (`STATMSG: ID=` is twelve), after the `~` of a line break or an
    indentation; a reply's words do not."""
    assert wholes.begins_message(REMOVED)
    assert wholes.begins_message("STATMSG: ID=5800 SEV=E LEV=M SOURCE=")
    assert wholes.begins_message("~~Failed to add user scott@contoso.com")
    assert wholes.begins_message("    NotifyAccountAddition - SCCM user to add = car")
    assert wholes.begins_message("\tNotifyAccountAddition - SCCM user to add = car")
    assert not wholes.begins_message(REPLY)
    assert not wholes.begins_message("Thanks,")
    assert not wholes.begins_message("essfully removed users from cloud 0")


def test_a_line_is_whole_as_a_trace_record_or_a_row_with_all_of_its_thread() -> None:
    """An SMS-trace record is whole whatever makes the others whole; a copied row only with
    all of its thread (wrapped, `(0x15F0)` may stand on the next line), and a message ending
    with a thread (`as thread ID 5616 (0x15F0)`) is no row."""
    for whole_by in (TRACE, ROWS, MESSAGES):
        assert wholes.whole(REMOVED + TRAILER, whole_by)
    assert wholes.whole(ROW, ROWS)
    assert not wholes.whole(ROW.removesuffix(" (0x15F0)"), ROWS)
    assert not wholes.whole("SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID 5616 (0x15F0)", ROWS)
    assert not wholes.whole(REMOVED, ROWS)


def test_a_message_is_whole_by_itself_only_where_trailers_make_no_record() -> None:
    """A message the catalogue knows is a record by itself among message lines, not in trace
    (there it is a record only with its trailer); a message before the start of a trailer is
    whole in neither: the rest of its trailer is on the next line."""
    assert wholes.whole(REMOVED, MESSAGES)
    assert not wholes.whole(REMOVED, TRACE)
    assert not wholes.whole(REPLY, MESSAGES)
    for cut in (TRAILER[:5], TRAILER[:24], TRAILER[:-1]):  # (`  $$<`, ...)
        assert not wholes.whole(REMOVED + cut, MESSAGES)
        assert not wholes.whole(REMOVED + cut, TRACE)


def test_a_message_is_known_after_an_excerpt_s_date_and_before_a_trailer() -> None:
    """The catalogue reads the message of a line: after an excerpt's date (and its spaces or
    tab), before a trailer even cut; the whole message, to its last character."""
    assert wholes.known(REMOVED)
    assert wholes.known("2/26/2023 7:53:46 PM  " + REMOVED)
    assert wholes.known("9/14/2014 10:23:54 AM\t" + FAILED)
    assert wholes.known(REMOVED + TRAILER[:24])
    assert wholes.known(REMOVED + TRAILER)
    assert not wholes.known(REMOVED[:-2])  # `... from cloud` with no count is no message
    assert not wholes.known(REPLY)
    assert not wholes.known(TRAILER.strip())


def test_a_line_ends_with_a_name_where_a_user_s_message_ends_with_no_placeholder_open() -> None:
    """A notification or a failure ends with a user's name or a reason, unless a redaction
    placeholder is left open there (`<UPN of User`, `[redacted`); a closed one is a name."""
    assert wholes.ends_with_name(NOTIFIED)
    assert wholes.ends_with_name(FAILED)
    assert wholes.ends_with_name("NotifyAccountAddition - SCCM user to add = <UPN of User Account>")
    assert wholes.ends_with_name("NotifyAccountAddition - SCCM user to add = [redacted]")
    assert not wholes.ends_with_name("NotifyAccountAddition - SCCM user to add = <UPN of User")
    assert not wholes.ends_with_name("NotifyAccountAddition - SCCM user to add = [redacted")
    assert not wholes.ends_with_name(REMOVED)


def test_a_record_starts_at_a_whole_line_or_the_first_words_of_a_message() -> None:
    """Among copied rows, a record starts at a whole row or at the first words of a message
    the catalogue knows, its end wrapped onto the next line; not at a reply's words, nor at
    a piece of a row (its date and thread)."""
    assert wholes.record_start(ROW, ROWS)
    assert wholes.record_start("NotifyAccountAddition - SCCM user to add = carol@con", ROWS)
    assert wholes.record_start("NotifyAccountAddition - SCCM user to add = carol@con", MESSAGES)
    assert not wholes.record_start("SMS_CLOUD_USERSYNC\t2/26/2023 7:53:46 PM\t5616 (0x15F0)", ROWS)
    assert not wholes.record_start(REPLY, ROWS)


def test_a_trailer_is_no_part_of_the_message_it_follows() -> None:
    """A notification with no user's name, or a failure with no reason, is no message the
    catalogue knows, with its trailer (whole or cut) after it too: the trailer would be the
    name (`$$<SMS_CLOUD_USERSYNC><02-26-2023`) or the reason."""
    for message in (
        "NotifyAccountAddition - SCCM user to add =",
        "Failed to add user scott@contoso.com; reason",
    ):
        assert not wholes.known(message)
        assert not wholes.known(message + TRAILER)
        assert not wholes.known(message + TRAILER[:24])


def test_a_message_whose_start_begins_with_another_s_is_told_by_the_longer_start() -> None:
    """`User` (of another message) came before `User sync processing thread is now stopping.`
    among the starts, and a match ended at the first that fits: 4 characters, too few."""
    assert wholes.begins_message("User sync processing thread is now stopping.")
    assert not wholes.begins_message("User")
