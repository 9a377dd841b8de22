"""The two messages that name a user, read without the catalogue's regular expressions, as the
native scanner reads them (`user_meaning` in `_scan.c`): most of the messages a pure reading
meets for the first time are a user's request or failure, so their meaning is worked out here
with string methods. Only their usual form is read so (printable ASCII, no `~`); any other is
left to the catalogue, whose answer this one always equals (tests compare them)."""

from __future__ import annotations

from typing import Any

from .decoration import plain_reason, plain_upn
from .events import UserAddFailed, UserAddRequested

REQUESTED = "NotifyAccountAddition - SCCM user to add"
FAILED = "Failed to add user "
UNREAD: Any = object()
"""The answer for a message left to the catalogue."""


def user_meaning(message: str, requested: bool, failed: bool) -> tuple[str, Any] | Any:
    """(kind, data) of a raw message (as logged, before `~` is decoded) that is a user's request
    (if `requested`) or failure (if `failed`) in its usual form; else `UNREAD`."""
    text = message.lstrip(" ").rstrip(" \t")
    if not (text.isascii() and text.isprintable()) or "~" in text:
        return UNREAD
    if requested and text.startswith(REQUESTED):
        rest = text[len(REQUESTED) :].lstrip(" ")
        if rest[:1] != "=":
            return UNREAD
        upn = rest[1:].lstrip(" ")
        return ("user_add_requested", UserAddRequested(plain_upn(upn))) if upn else UNREAD
    if failed and text.startswith(FAILED):
        rest = text[len(FAILED) :]
        if rest[:1] in ("", " "):
            return UNREAD
        end = len(rest)
        while True:  # the last "; *reason +\S" after the UPN's first character
            end = rest.rfind(";", 1, end)
            if end < 1:
                return UNREAD
            after = rest[end + 1 :].lstrip(" ")
            if after.startswith("reason "):
                reason = after[len("reason ") :].lstrip(" ")
                if reason:
                    upn, word = plain_upn(rest[:end].rstrip(" ")), reason.split(" ", 1)[0]
                    return ("user_add_failed", UserAddFailed(upn, plain_reason(word)))
    return UNREAD
