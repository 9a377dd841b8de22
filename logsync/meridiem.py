"""The 12-hour marks of times as locales write them, made the `AM`/`PM` that dateutil reads."""

from __future__ import annotations

from .patterns import deferred

LEADING_MARKS = "오전|오후|午前|午後|上午|下午"
"""The 12-hour marks that Korean, Japanese and Chinese locales write before the time (the
morning's, then the afternoon's, of each)."""
LEADING_MARK = rf"(?:(?:{LEADING_MARKS})\s?)?"
"""A regular expression of such a mark, and the space after it, if any (before a time)."""
_AFTERNOON = ("오후", "午後", "下午")
_LEADING_RE = deferred(rf"({LEADING_MARKS})\s?(\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?)")
_DOTTED_RE = deferred(r"(?<![A-Za-z])([AaPp])\.\s?[Mm]\.?(?![A-Za-z])")


def plain_meridiem(raw: str) -> str:
    """A time's 12-hour mark as dateutil reads it: `p.m.`, `P. M.` (a Spanish locale's) as PM;
    `오후 2:30:04`, `午後`, `下午` (written before the time) as `2:30:04 PM`, and their
    mornings' as AM."""
    if not raw.isascii():
        raw = _LEADING_RE.sub(
            lambda found: f"{found.group(2)} {'PM' if found.group(1) in _AFTERNOON else 'AM'}", raw
        )
    return _DOTTED_RE.sub(lambda found: found.group(1).upper() + "M", raw)
