"""Undo what pasting did to a log, before its format is detected and its records are read.

People hand logs over as pasted into e-mail and tickets:

* **quoted**: `> `, `>> ` (or `> > `) or `| ` before each line of a reply;
* **hard wrapped** (mail wraps at 70 to 100 columns, a chat window or a ticket's field
  narrower): a long line broken at spaces (the space dropped, or kept at the end of the piece)
  or inside a word, also inside an SMS-trace `$$<...>` trailer. The width is the one nine in
  ten lines keep to: message lines with no time are taken for wrapped only wider than 44
  columns where dates are among them (an excerpt's lines indented under their date); SMS
  trace, dated lines, whose records show where they end, and lines with no date, from 30.

Quoting is undone when a good part of the lines of the input's start carry it. A wrapped record
is put back together on its first physical line, and the lines its other pieces stood on become
blank, so every line keeps its number and the records their `file:line`. Pieces are joined
when the joined line is a record that the pieces alone are not (an SMS-trace record whose
trailer is whole, or a message the catalogue knows) and the wrapping explains the break (the
next word could not fit in the width most lines keep to) or, in a trace wrapped by a tool that
balances its lines (`fmt`), they are a known message only together. Other text is passed on
untouched: a log read straight from disk costs one look at its start.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from functools import lru_cache

from ..errors import InputError
from ..events import phrase_starts
from ..sources import InputStats, display_name
from . import copies, cuts, joins, paste, remarks, sms, together, wholes
from .common import CUT_OFF, GAP_LINE, gap_mark, is_blank, line_chunks, physical_lines
from .prefixes import prefix_shape, prefixed, unprefixed
from .quoting import QUOTE_RE, QUOTED_RE, quoted_starts, unquoted_lines
from .unwrapping import unwrapped
from .wholes import MESSAGES, TRACE

MIN_WIDTH = 60
"""Text no wider than this is not taken for wrapped text (see the module's docstring)."""
MIN_MESSAGES_WIDTH = 44
"""The same, for message lines with dates among them, fewer than a fifth: those indented under
a date keep a third of the width, too few to be put back together narrower than this."""
MIN_CHECKED_WIDTH = 29
"""The same, for a text whose records show that they are whole (SMS trace, whose trailer must
end its record, and dated lines) and message lines with no date (the blog post's quotes, whose
short lines are joined only where the catalogue then reads a record to its end): a chat window
or ticket field may wrap it at 30 to 60 columns, and no line of a reply is joined to one above
unless a record comes of it."""

class Pasting:
    """How an input was pasted: whether quoted, the width it was wrapped at (None: not wrapped)."""

    __slots__ = (
        "cut",
        "cut_off",
        "entities",
        "indent",
        "line_prefix",
        "mailto",
        "nbsp",
        "numbered",
        "numbered_inside",
        "padded",
        "prefix",
        "quoted",
        "run_together",
        "spans",
        "tabs",
        "trailing",
        "whole_by",
        "width",
    )

    def __init__(
        self,
        quoted: bool,
        width: int | None,
        whole_by: str = TRACE,
        cut: bool = False,
        prefix: str | None = None,
        numbered: bool = False,
        padded: bool = False,
        entities: bool = False,
        nbsp: bool = False,
        cut_off: int | None = None,
        indent: str = "",
        *, trailing: bool = False, run_together: bool = False, tabs: bool = False,
        numbered_inside: bool = False, line_prefix: re.Pattern[str] | None = None,
        mailto: bool = False, spans: bool = False,
    ) -> None:
        self.spans = spans
        """Each line a Markdown code span of its own (`` `…` ``, see `copies.code_spans`): its
        backticks taken off inside any quoting and numbering."""
        self.mailto = mailto
        """Addresses shown with their links, as Outlook's plain text shows them (see
        `copies.unlinked`): shown alone first."""
        self.numbered_inside = numbered_inside
        """Numbered by a search inside the quoting (its output quoted): taken off after it."""
        self.line_prefix = line_prefix
        """The shape of what a list, a terminal or a ticket put before every line (`- `, `1. `,
        a timestamp; see `prefixes`): taken off inside any quoting and numbering."""
        self.indent = indent
        self.tabs = tabs
        """Lines indented with tabs: shown as spaces (every 8 columns, as `fmt` and `fold`
        count them) before the indentation and the width are read."""
        self.trailing = trailing
        """Spaces or tabs after every line (added to each): taken off first."""
        self.run_together = run_together
        """SMS trace whose records a reflow ran together (`...)> Failed to add user ...`): not
        put back together, and refused (see `undone`)."""
        """The indentation every line carries (the excerpt indented whole, a quote block),
        taken off before a wrapped text is put back together (see `joins.indentation`)."""
        self.entities = entities
        """Copied from a web page or a ticket as HTML: `&lt;`, `&gt;`, `&amp;` for `<`, `>`,
        `&` (see `copies.escaped`): decoded first; wrapped after, its lines were wider."""
        self.nbsp = nbsp
        """Non-breaking spaces (U+00A0) for spaces, and characters that show as nothing, as a
        rich-text or web copy has them (see `copies.spaced`)."""
        self.padded = padded
        """Records end with spaces after their trailer (copied from a console window, which
        fills each line to its width): taken off first (see `copies.unpadded`)."""
        self.numbered = numbered
        """Each line starts with its number, its file's name or both (`grep -n`, `findstr /n`,
        `Select-String`): taken off first."""
        self.quoted = quoted
        self.prefix = prefix
        """The quoting most quoted lines carry (`> `), taken off exactly (see `_unquoted`), so
        that a piece of a cut record that starts with `>` keeps it; None: each line's own."""
        self.width = width
        self.whole_by = whole_by
        """What makes a record whole (`TRACE`, `ROWS` or `MESSAGES`)."""
        self.cut = cut
        """Cut every `width` characters, inside words too (`fold -w`; see `cuts.cut_at`)."""
        self.cut_off = cut_off
        """The width its lines were cut off at, their ends lost (`cut -c`; see `cuts.cut_off`):
        a line that wide that begins a record, put back together with nothing, is marked
        `CUT_OFF`, and its record is not read (see `paste`)."""

    def undo(self, lines: Iterator[str], stats: InputStats | None = None) -> Iterator[str]:
        """The input's physical lines as they were before pasting (as many lines). A line that
        was a piece of a wrapped record is blank now (its text put back on the record's first
        line): no blank line of the input, it is not counted as one in `stats`."""
        if self.entities:
            lines = copies.unescaped_lines(lines)
        if self.nbsp:
            lines = map(copies.plainly_spaced, lines)
        if self.trailing:
            lines = (line.rstrip(" \t") for line in lines)
        if self.padded:
            lines = map(copies.unpadded, lines)
        if self.numbered:
            lines = copies.unnumbered_lines(lines)
        if self.quoted:
            lines = unquoted_lines(lines, self.prefix)
        if self.numbered_inside:
            lines = (copies.unnumbered(line) for line in lines)
        if self.spans:
            lines = map(copies.unspanned, lines)
        if self.line_prefix is not None:
            lines = (unprefixed(line, self.line_prefix) for line in lines)
        if self.tabs:
            lines = map(joins.tabs_shown, lines)
        if self.indent:
            lines = (line.removeprefix(self.indent) for line in lines)
        if self.width is not None:
            given = deque[bool]()  # (of the lines not yet put back: whether each was blank)
            joined = unwrapped(
                _noted(lines, given), self.width, self.whole_by, self.cut, self.entities
            )
            lines = joined if stats is None else _pieces(joined, given, stats)
        if self.cut_off is not None:
            lines = cuts.marked(lines, self.cut_off)
        if self.mailto:  # (after: the text was wrapped with its links)
            lines = map(copies.unlinked, lines)
        return lines


def spaced_after(given: list[str], count: int) -> bool:
    """Whether spaces were added after every line: each of the first `count` lines not blank
    ends with them, or the line after it is of them alone (text whose lines end in CRLF: a
    line that ends with its CR is broken there, as a lone CR breaks a line, `\\r \\n`)."""
    for line, after in zip(given, [*given[1:], ""], strict=True):
        if is_blank(line):
            continue
        if line[-1] not in " \t" and not (after and not after.strip(" \t")):
            return False
        count -= 1
        if not count:
            break
    return True


def pasting(sample: str, max_lines: int = 400) -> Pasting | None:
    """How the text that starts with `sample` was pasted, or None when it shows no pasting."""
    entities = copies.escaped(sample)
    if entities:
        sample = copies.unescaped(sample)
    nbsp = copies.spaced(sample)  # (also `&nbsp;`; a terminal's colours before a search's names)
    plain = copies.plainly_spaced(sample) if nbsp else sample
    head = plain.lstrip("\ufeff \t\r\n")
    searched = copies.NUMBERED_RE.match(head).end() > 0  # type: ignore[union-attr]
    searched = searched or copies.SELECTED_RE.match(plain.lstrip("\ufeff\r\n")) is not None
    mailto = copies.linked(sample)
    if (
        not (searched or entities or nbsp or mailto or QUOTED_RE.search(sample))
        and (counted := sms.count_records("\n" + sample)) is not None
        and sample.count("$$<") <= counted[0]  # (two trailers on a line: records run together)
        and not prefixed(sample)
    ):
        return None  # every line a record (or blank): a log as written, the usual case
    sample = plain
    given = sample.split("\n")[:-1]
    lines = [line for line in given if not is_blank(line)][:max_lines]
    if not lines:
        return None
    trailing = spaced_after(given, len(lines))
    if trailing:
        lines = [line.rstrip(" \t") for line in lines]
    padded = copies.padded(lines, MIN_WIDTH)
    if padded:
        lines = [copies.unpadded(line) for line in lines]
    numbered = searched and copies.numbered(lines)
    if numbered:
        lines = list(copies.unnumbered_lines(lines))
    # a fifth: quoting before wrapping leaves the other pieces of a line unquoted
    prefixes = Counter(found.group() for found in map(QUOTE_RE.match, lines) if found)
    quoted = prefixes.total() * 5 >= len(lines) or quoted_starts(lines)
    prefix = None
    numbered_inside = False
    quoting = 0  # the columns the usual quoting takes
    if quoted:
        usual_prefix, count = prefixes.most_common(1)[0]
        quoting = len(usual_prefix)
        spaced = usual_prefix[-1] in " \t"
        # (`>` with no space before a record: the quoting has none, and the space of `> ` is the
        # start of an indented line's own, SPEC §1's 23 columns: each line's own is taken off)
        marker = usual_prefix[:-1]
        bare = spaced and any(
            line.startswith(marker)
            and line[len(marker) : len(marker) + 1] not in (" ", "\t")
            and wholes.begins_record(line[len(marker) :])
            for line in lines
        )
        prefix = usual_prefix if spaced and not bare and count * 2 >= prefixes.total() else None
        unquoted = Pasting(True, None, prefix=prefix).undo(iter(lines))
        lines = [line for line in unquoted if not is_blank(line)]
        # a search's output quoted whole (`grep -n … | sed 's/^/> /'`, a reply to it)
        numbered_inside = not numbered and copies.numbered(lines)
        if numbered_inside:
            lines = [copies.unnumbered(line) for line in lines]
    spans = copies.code_spans(lines)
    if spans:
        lines = [copies.unspanned(line) for line in lines]
    line_prefix = prefix_shape(lines)
    if line_prefix is not None:
        lines = [unprefixed(line, line_prefix) for line in lines]
    unremarked = [remarks.unremarked(line, sms.looks_like) for line in lines]
    if unremarked != lines and not wholes.run_together(lines):  # (a remark after a record: its
        lines = unremarked  # reader takes it off, see `sms.parse_text`; no pasting to undo)
    width = cut_off = None
    shown = [joins.tabs_shown(line) for line in lines]
    tabs, lines = shown != lines, shown
    indent = joins.indentation(lines)
    lines = [line.removeprefix(indent) for line in lines]
    whole_by = wholes.mode(lines)
    cmtrace = any("<![LOG[" in line for line in lines)  # (its records may span lines already)
    # (also where every line looks like a record: a line that holds several)
    run_together = whole_by == TRACE and wholes.run_together(lines)
    if lines and not cmtrace and not all(sms.looks_like(line) for line in lines):
        # the width most lines keep to: the words of a reply around the log may be wider
        lengths = sorted(len(line) for line in lines)
        usual = lengths[(len(lengths) - 1) * 9 // 10]
        cut = cuts.cut_at(lines, usual, whole_by, quoting)
        if entities:  # escaped, then wrapped: its lines were wider (see `copies.columns`)
            lengths = sorted(map(copies.columns, lines))
        narrowest = MIN_CHECKED_WIDTH if wholes.checked(lines, whole_by) else MIN_MESSAGES_WIDTH
        wide = lengths[(len(lengths) - 1) * 9 // 10] > narrowest
        # (message lines cut inside their words, `fold`: not the blog post's short lines)
        wide = wide or (cut and usual > MIN_CHECKED_WIDTH)
        if entities and not wide:  # (most pieces much narrower: see `cuts.escaped_width`)
            usual = cuts.escaped_width(lines, whole_by, MIN_WIDTH)
            cut, wide = cuts.cut_at(lines, usual, whole_by, quoting), usual > MIN_WIDTH
        if not wide and whole_by == MESSAGES and lengths[-1] > MIN_WIDTH:
            wide, usual = True, lengths[-1]  # (a few wrapped lines: the widest piece's width)
        as_given = not (quoted or numbered or entities or nbsp or line_prefix)
        if wide and not run_together and (
            _joins(lines, unwrapped(iter(lines), usual, whole_by, cut, entities, names=False))
            or (as_given and joins.split_apart(sample, whole_by, cut))
        ):
            width = usual
        elif joins.names_cut(lines, MIN_WIDTH):  # (`fold -w` cut only the longest lines: names)
            width, cut = lengths[-1], False
        if whole_by == MESSAGES and (usual >= narrowest or width is None):  # (records cut
            # off at the width; text wrapped too narrow to be put back together has lines that
            # wide, pieces after: see `cuts.cut_off`)
            joined = lines if width is None else unwrapped(iter(lines), width, whole_by, cut)
            cut_off = usual if cuts.cut_off(list(joined), usual, usual < narrowest) else None
        elif whole_by == TRACE and width is None and cuts.trace_cut_off(lines):
            cut_off = max(map(len, lines))  # (SMS trace cut off at a width: its trailers lost)
    changed = quoted or width is not None or numbered or padded or entities or nbsp or cut_off
    if not (changed or mailto or run_together or trailing or spans or line_prefix is not None):
        return None
    cut = width is not None and cut
    indent = indent if width is not None else ""
    return Pasting(
        quoted, width, whole_by, cut, prefix, numbered, padded, entities, nbsp, cut_off, indent,
        trailing=trailing, run_together=run_together, tabs=tabs, numbered_inside=numbered_inside,
        line_prefix=line_prefix, mailto=mailto, spans=spans,
    )


def undone(
    head: list[str],
    rest: Iterator[str],
    sample: str,
    name: str = "",
    stats: InputStats | None = None,
) -> tuple[list[str], Iterator[str]]:
    """An input's first text chunks and the rest, with pasting undone (unchanged when the
    sample of its start shows none). SMS trace whose records a reflow ran together is refused:
    the lines that happen to be whole would be read without the others (`InputError`), and so
    are the lines of a quoted excerpt a reflow ran together (`paste.quoted_inside`). The
    pieces of wrapped records, blank once put back, are not counted as blank in `stats`."""
    found = pasting(sample)
    if found is not None and found.cut_off is not None and cuts.trailers_taken(sample):
        raise InputError(display_name(name), cuts.TRAILERS_TAKEN)
    if (found is not None and found.run_together) or (  # (or on one line, longer than a sample)
        "\n" not in sample and sample.count("$$<") > 1
    ):
        raise InputError(
            display_name(name),
            "SMS-trace records run together by a reflow (`fmt`, a mail client that joins "
            "lines: `...)> Failed to add user ...`), so its lines cannot be told apart: paste "
            "the log's lines as they are, or attach the log",
        )
    if found is None:
        return [_unmarked(chunk) for chunk in head], map(_unmarked, rest)
    as_given = found.line_prefix is None and not (found.numbered or found.numbered_inside)
    if as_given and found.whole_by != TRACE:  # (refused at once, not after the work)
        for number, line in enumerate(sample.split("\n")[:-1], 1):
            quoting = QUOTE_RE.match(line)  # (the quote marks before it: its own)
            unquoted = line[quoting.end() :] if quoting else line
            paste.quoted_inside(number, unquoted, stats or InputStats(name))
    lines = found.undo(map(_unmarked, _lines(head, rest)), stats)
    # (a place it leaves lines out: `--`)
    chunks = line_chunks(GAP_LINE if gap_mark(line) else line for line in lines)
    size = sum(map(len, head))
    again: list[str] = []
    for chunk in chunks:
        again.append(chunk)
        size -= len(chunk)
        if size <= 0:
            break
    return again, chunks


def undone_piece(found: Pasting, text: str, stats: InputStats | None = None) -> str:
    """Complete lines of a followed log (each ending with a break), with pasting undone."""
    lines = physical_lines(iter([_unmarked(text)]))
    return "".join(line + "\n" for line in found.undo(lines, stats))


def _noted(lines: Iterator[str], given: deque[bool]) -> Iterator[str]:
    """The lines, each noted in `given` as blank or not as it passes."""
    for line in lines:
        given.append(is_blank(line))
        yield line


def _pieces(lines: Iterator[str], given: deque[bool], stats: InputStats) -> Iterator[str]:
    """The lines put back together (`unwrapped`, as many as it was given and in their order): of
    each blank one that was not blank as given, the blank line the parser will count taken
    back beforehand."""
    for line in lines:
        if not given.popleft() and not line:
            stats.blank -= 1
        yield line


def _unmarked(text: str) -> str:
    """The text with the mark of a line cut off (`CUT_OFF`, a noncharacter no log should hold)
    shown as U+FFFD: only `Pasting.undo` puts it there."""
    return text.replace(CUT_OFF, "\ufffd") if CUT_OFF in text else text


TOO_NARROW = (
    "no whole record: its lines look like a log's messages wrapped at {} columns, too narrow "
    "to be put back together; paste them unwrapped (or at " + str(MIN_WIDTH) + " columns or "
    "more), or attach the file"
)


def why_none(sample: str, stats: InputStats) -> None:
    """Refuse a text in which no record was found where it shows why (`InputError`): lines of
    a quoted excerpt a reflow ran together (see `paste.quoted_inside`), or message lines wrapped
    too narrow to be put back together (see `too_narrow`)."""
    for number, line in enumerate(sample.split("\n"), 1):
        paste.quoted_inside(number, line, stats)
    narrow = too_narrow(sample)
    if narrow is not None:
        raise InputError(display_name(stats.path), TOO_NARROW.format(narrow))


def too_narrow(sample: str) -> int | None:
    """The width of a text that holds no record, no line of it wider than message lines are
    put back together from, whose lines joined hold the starts of messages the catalogue
    knows, one for ten lines at least (a simulated log's windows through `fmt -w 32`), or
    None."""
    lines = [line.strip() for line in sample.split("\n") if not is_blank(line)][:400]
    widest = max(map(len, lines), default=0)
    if len(lines) < 5 or widest > MIN_MESSAGES_WIDTH:
        return None
    joined = " ".join(" ".join(lines).split())
    starts = sum(1 for _ in _phrase_start().finditer(joined))
    return widest if starts >= 2 and starts * 10 >= len(lines) else None


@lru_cache(maxsize=1)
def _phrase_start() -> re.Pattern[str]:
    """The start of a message the catalogue knows, as plain text (see `events.phrase_starts`),
    `together.MESSAGE_START` characters long: `Total receiv` is one start of two messages."""
    starts = {phrase[: together.MESSAGE_START] for phrase in phrase_starts()}
    return re.compile("|".join(map(re.escape, sorted(starts))))


def _joins(lines: list[str], joined: Iterator[str]) -> bool:
    """Whether `unwrapped` put some of these lines back together: a piece's line left blank,
    or (records a reflow ran together, `fmt`) one carried on to the next line."""
    return any(was != line for was, line in zip(lines, joined, strict=False))


def _lines(head: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from physical_lines(iter(head))
    yield from physical_lines(rest)
