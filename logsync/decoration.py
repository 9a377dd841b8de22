"""What a ticket, a chat or a sentence puts around a user's name or a failure's reason, taken
off where a record is read (the catalogue, `usermeaning` and the native scanner alike):
Markdown's emphasis and code marks (`**bob@contoso.com**`, `` `UserNotFound` ``) and a
sentence's punctuation and brackets (`reason UserNotFound.`, `(reason UserNotFound)`).
`**UserNotFound**` is UserNotFound, whose 24-hour rule applies, not another reason that fails
for good."""

from __future__ import annotations

UPN_MARKS = " *`"
"""Around a UPN: spaces, Markdown's `**` and backticks (no UPN begins or ends with them)."""
REASON_MARKS = "*`'\".,;:!?()[]\\\u2026"
"""Around a reason (a word of letters): Markdown's marks, quotes, a sentence's punctuation and
brackets, a backslash, an ellipsis (`…`, which the native scanner never reads: not Latin-1)."""


def plain_upn(upn: str) -> str:
    """A UPN without the marks around it (as given where nothing else is left), but the stars
    of a name masked whole (`***@contoso.com`: no emphasis, the name as redacted)."""
    plain = upn.strip(UPN_MARKS)
    if plain[:1] == "@":
        head = upn[: len(upn) - len(upn.lstrip(UPN_MARKS))]
        plain = "*" * (len(head) - len(head.rstrip("*"))) + plain
    return plain or upn


def plain_reason(reason: str) -> str:
    """A reason without the marks around it (as given where nothing else is left)."""
    return reason.strip(REASON_MARKS) or reason
