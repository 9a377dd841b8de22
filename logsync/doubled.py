"""An input whose every line is written twice in a row: a log shipper that read the file twice
(a Splunk export of both copies, sorted by time), a copy that doubled each line. Read as it is,
each record counts twice: a restart's lines make two restarts, each cycle two cycles, and a
user's state follows from the doubled rules. A component may write one line several times (the
lab's SMSProv.log), but no log writes every line exactly twice: such an input is refused."""

from __future__ import annotations

from itertools import groupby

from .errors import InputError

HEAD_LINES = 200
"""Lines of an input's first chunk whose runs of equal lines are counted."""
DOUBLED = 16
"""Lines at least, among those, all in runs of two equal lines, that tell an input doubled."""


def not_doubled(text: str, shown: str) -> None:
    """Refuse an input whose first chunk's lines (`HEAD_LINES` of them, blank ones aside) are
    each written twice in a row, `DOUBLED` of them at least (a pair the head cuts aside)."""
    head = text.split("\n", HEAD_LINES)[:HEAD_LINES]
    lines = [line.lstrip("\ufeff").rstrip() for line in head if line.strip()]
    if len(lines) < DOUBLED:
        return
    runs = [sum(1 for _ in run) for _, run in groupby(lines)]
    if all(run == 2 for run in runs[:-1]) and runs[-1] <= 2:
        raise InputError(
            shown,
            f"every line is written twice in a row (each of its first {len(lines) // 2:,} lines "
            "is followed by a copy of it): read so, each restart, cycle and notification would "
            "count twice; give each line once (`uniq` writes it so)",
        )
