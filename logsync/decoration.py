"""What a ticket, a chat or a sentence puts around a user's name or a failure's reason, taken
off where a record is read (the catalogue, `usermeaning` and the native scanner alike):
Markdown's emphasis and code marks (`**bob@contoso.com**`, `` `UserNotFound` ``) and a
sentence's punctuation and brackets (`reason UserNotFound.`, `(reason UserNotFound)`).
`**UserNotFound**` is UserNotFound, whose 24-hour rule applies, not another reason that fails
for good."""

from __future__ import annotations

import re

from .patterns import deferred

UPN_MARKS = " *`"
"""Around a UPN: spaces, Markdown's `**` and backticks (no UPN begins or ends with them)."""
UPN_PUNCTUATION = UPN_MARKS + "'\".,;:!?()[]\u2026\u2018\u2019\u201c\u201d"
"""Around a UPN in a sentence or a chat, also: quotes (curled too), brackets and a sentence's
punctuation (`"bob@contoso.com"`, `(bob@contoso.com)`, `… user bob@contoso.com.`), taken off
where an address is left, an `@` and no space (`[user]`, a placeholder, keeps its brackets)."""
REASON_MARKS = "*`'\".,;:!?()[]\\\u2026\u2018\u2019\u201c\u201d"
"""Around a reason (a word of letters): Markdown's marks, quotes (also those a word processor
curls, `“UserNotFound”`), a sentence's punctuation and brackets, a backslash, an ellipsis
(`…`; it and curled quotes the native scanner never reads: not Latin-1)."""


def plain_upn(upn: str) -> str:
    """A UPN without the marks around it (`UPN_PUNCTUATION` where an address is left, else
    `UPN_MARKS`; as given where nothing else is left), but the stars or dots of a name masked
    whole (`***@contoso.com`, `...@contoso.com`: no emphasis nor a sentence's end, the name as
    redacted)."""
    marks = UPN_PUNCTUATION
    plain = upn.strip(marks)
    if "@" not in plain or " " in plain or "\t" in plain:  # (no address: keep its marks)
        marks = UPN_MARKS
        plain = upn.strip(marks)
    if plain[:1] == "@":
        head = upn[: len(upn) - len(upn.lstrip(marks))]
        plain = head[len(head.rstrip(_MASKS)) :] + plain
    return plain or upn


_MASKS = "*.\u2026"
"""What a name masked whole is written with, kept before its `@` (see `plain_upn`)."""


def plain_reason(reason: str) -> str:
    """A reason without the marks around it (as given where nothing else is left)."""
    return reason.strip(REASON_MARKS) or reason


_BULLETS = "-*+\u2022"
"""A list's marks before a line (`- `, `• `); its numbers are `1. ` and `1) `."""
_EMPHASES = "*_`"
"""Markdown's emphasis and code marks around a text."""
_LIST_MARK = rf"[{re.escape(_BULLETS)}]|\d{{1,3}}[.)]"
HIGHLIGHTS = "".join(dict.fromkeys(_BULLETS + _EMPHASES + "0123456789"))
"""What a message that a ticket highlighted alone may begin with (`unhighlighted`)."""
HIGHLIGHTED_START = rf"{_LIST_MARK}|[{re.escape(_EMPHASES)}]"
"""The start of such a message, as a regex alternation (a candidate for the catalogue where
only messages of some kinds are wanted: see `events.message_starts`)."""
_LISTED_RE = deferred(rf"(?:{_LIST_MARK})[ \t]+(?=\S)")
_EMPHASIS_RE = deferred(
    rf"(\*\*|__|`+|\*|_)([^\s{_EMPHASES}](?:.*[^\s{_EMPHASES}])?)\1\s*\Z", re.S
)


def unhighlighted(message: str) -> str | None:
    """A message without what a ticket put on its line alone to point at it: a list's mark
    before it (`- `, `* `, `1. `) and Markdown's emphasis or code marks around it (`**Failed
    to add user …**`, `` `…` ``); None where it has neither. (Marks on every line of a paste
    are taken off with its quoting: `formats.aspasted`.)"""
    listed = _LISTED_RE.match(message)
    text = message[listed.end() :] if listed else message
    emphasis = _EMPHASIS_RE.match(text)
    if emphasis:
        text = emphasis[2]
    return None if text == message else text
