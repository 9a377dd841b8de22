"""`usermeaning`: the pure reader's quick reading of users' requests and failures gives exactly
the catalogue's meaning, or leaves the message to the catalogue."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync import events as catalogue
from logsync.events import UserAddFailed, UserAddRequested
from logsync.usermeaning import UNREAD, user_meaning

from .conftest import SAMPLES


def catalogue_meaning(message: str) -> tuple[str, object]:
    """What the pure reader makes of a raw message without the quick reading."""
    return catalogue.classify(catalogue.decode_text(message.rstrip(" \t")))


@pytest.mark.parametrize(
    ("message", "meaning"),
    [
        (
            "NotifyAccountAddition - SCCM user to add = bob@contoso.com",
            ("user_add_requested", UserAddRequested("bob@contoso.com")),
        ),
        (
            "  NotifyAccountAddition - SCCM user to add=  bob@contoso.com \t",
            ("user_add_requested", UserAddRequested("bob@contoso.com")),
        ),
        (
            "Failed to add user heidi@contoso.com; reason UserNotFound  ",
            ("user_add_failed", UserAddFailed("heidi@contoso.com", "UserNotFound")),
        ),
        (  # the UPN runs to the last "; reason" followed by a word
            "Failed to add user a;reason b ; reason  Blocked more; reason ",
            ("user_add_failed", UserAddFailed("a;reason b", "Blocked")),
        ),
        (
            "Failed to add user x;y ;reason\u0020Unknown",
            ("user_add_failed", UserAddFailed("x;y", "Unknown")),
        ),
        # (the marks a ticket puts around them are taken off; nothing else is: see `decoration`)
        (
            "NotifyAccountAddition - SCCM user to add = **bob@contoso.com** ",
            ("user_add_requested", UserAddRequested("bob@contoso.com")),
        ),
        (
            "Failed to add user `bob@contoso.com`; reason **UserNotFound**.",
            ("user_add_failed", UserAddFailed("bob@contoso.com", "UserNotFound")),
        ),
        (
            "Failed to add user _b*o`b_; reason \"User_NotFound\"!",
            ("user_add_failed", UserAddFailed("_b*o`b_", "User_NotFound")),
        ),
        (  # (only marks: kept as given)
            "Failed to add user **; reason ...",
            ("user_add_failed", UserAddFailed("**", "...")),
        ),
        (  # (a sentence's brackets, as `(reason UserNotFound)` in prose)
            "Failed to add user bob; reason (UserNotFound)",
            ("user_add_failed", UserAddFailed("bob", "UserNotFound")),
        ),
        (
            "Failed to add user bob; reason User(Not)Found",
            ("user_add_failed", UserAddFailed("bob", "User(Not)Found")),
        ),
    ],
)
def test_users_lines_in_their_usual_form_are_read_as_the_catalogue_reads_them(
    message: str, meaning: tuple[str, object]
) -> None:
    assert user_meaning(message, True, True) == meaning
    assert catalogue_meaning(message) == meaning


@pytest.mark.parametrize(
    "message",
    [
        "NotifyAccountAddition  - SCCM user to add = bob@contoso.com",  # two spaces: a regex's
        "NotifyAccountAddition - SCCM user to add = ",  # no UPN
        "NotifyAccountAddition - SCCM user to add bob@contoso.com",  # no "="
        "\tNotifyAccountAddition - SCCM user to add = bob@contoso.com",  # a tab
        "NotifyAccountAddition - SCCM user to add = b~ob@contoso.com",  # `~` is a line break
        "NotifyAccountAddition - SCCM user to add = bób@contoso.com",  # not ASCII
        "Failed to add user ; reason UserNotFound",  # no UPN
        "Failed to add user  bob; reason UserNotFound",  # two spaces before the UPN
        "Failed to add user bob; reason",  # no reason
        "Failed to add user bob; reasonUserNotFound",
        "Failed to add user bob reason UserNotFound",
        "Failed to add user bob;\treason UserNotFound",
        "Starting user delta sync, raise failure status messages = True",
    ],
)
def test_other_forms_are_left_to_the_catalogue(message: str) -> None:
    assert user_meaning(message, True, True) is UNREAD


def test_a_kind_not_wanted_is_left_to_the_catalogue() -> None:
    request = "NotifyAccountAddition - SCCM user to add = bob@contoso.com"
    failure = "Failed to add user bob@contoso.com; reason UserNotFound"
    assert user_meaning(request, False, True) is UNREAD
    assert user_meaning(failure, True, False) is UNREAD
    assert user_meaning(request, True, False)[0] == "user_add_requested"
    assert user_meaning(failure, False, True)[0] == "user_add_failed"


def test_every_user_s_line_of_the_demo_log_is_read_quickly_and_alike() -> None:
    messages = re.findall(r"^(.*?)\$\$<", (SAMPLES / "CloudUserSync.log").read_text("utf-8-sig"), re.M)
    read = [m for m in messages if user_meaning(m, True, True) is not UNREAD]
    assert len(read) == sum(
        catalogue_meaning(m)[0] in ("user_add_requested", "user_add_failed") for m in messages
    )
    assert len(read) > 100
    assert all(user_meaning(m, True, True) == catalogue_meaning(m) for m in read)


PIECES = st.sampled_from(
    [
        "NotifyAccountAddition - SCCM user to add",
        "Failed to add user ",
        "NotifyAccountAddition",
        "Failed to add user",
        " ",
        "  ",
        "\t",
        "=",
        ";",
        "; reason ",
        ";reason",
        "reason",
        " reason  ",
        "UserNotFound",
        "bob@contoso.com",
        "~",
        "~~",
        "é",
        "\x7f",
        "x",
        "**",
        "`",
        ".",
        "'",
    ]
)


@given(st.lists(PIECES, min_size=1, max_size=8))
def test_generated_messages_get_the_catalogue_s_meaning_or_are_left_to_it(
    pieces: list[str],
) -> None:
    message = "".join(pieces)
    quick = user_meaning(message, True, True)
    if quick is not UNREAD:
        assert quick == catalogue_meaning(message)
    else:  # left to the catalogue only where the native scanner leaves it too
        text = message.lstrip(" ").rstrip(" \t")
        usual = text.isascii() and text.isprintable() and "~" not in text
        assert not (usual and text.startswith("NotifyAccountAddition - SCCM user to add = x"))
