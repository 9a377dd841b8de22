"""The message catalogue: a record becomes a typed event.

Classification is a table, not an if-ladder: the first four characters of the message pick a
handful of candidate entries, and only those entries' patterns are tried. All patterns are
anchored and free of nested quantifiers, so a hostile message costs linear time."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from .decoration import HIGHLIGHTED_START, HIGHLIGHTS, plain_reason, plain_upn, unhighlighted
from .patterns import DASH, deferred
from .patterns import words as _words
from .records import Record, Unparsed

# -- payloads: the typed fields of each kind -------------------------------------------------


class ComponentStarted(NamedTuple):
    thread_id: int


class CertificateWait(NamedTuple):
    minutes: int


class SyncStarted(NamedTuple):
    mode: str
    """`delta`, `full`, ... as the log words it, lower-cased."""
    raise_failure_status: bool


class UserAddRequested(NamedTuple):
    upn: str


class UserAddFailed(NamedTuple):
    upn: str
    reason: str


class AddTotals(NamedTuple):
    received: int
    added: int


class RemoveTotals(NamedTuple):
    received: int


class UsersRemoved(NamedTuple):
    removed: int


class SyncSummary(NamedTuple):
    mode: str
    added: int
    removed: int


class StatusMessage(NamedTuple):
    id: int
    sev: str  # (the STATMSG severity letter: I, W or E)
    status_component: str  # (the COMP="..." the status message is about)
    thread_id: int | None  # (the TID=... of the thread that raised it)


class UnparsedLine(NamedTuple):
    raw: str
    problem: str


class Event(NamedTuple):
    """One record (or one unparsed line) with its meaning."""

    kind: str
    time: datetime | None
    source: str
    line: int
    component: str
    thread: int | None
    severity: str
    """`info`, `warning` or `error`."""
    text: str
    """The message with `~` line breaks decoded."""
    data: Any
    """The kind's typed fields (a payload tuple above), or None for `message`."""

    def fields(self) -> dict[str, Any]:
        return self.data._asdict() if self.data is not None else {}


# -- the catalogue --------------------------------------------------------------------------


class Entry(NamedTuple):
    """One known message: which kind it is, how it starts (the source of its pattern), and how
    to read its fields. The pattern is compiled when a message first needs it."""

    kind: str
    source: str
    build: Callable[[re.Match[str]], Any]

    @property
    def key(self) -> str:
        return self.source[:4]

    @property
    def pattern(self) -> re.Pattern[str]:
        compiled = _COMPILED.get(self.source)
        if compiled is None:
            compiled = _COMPILED[self.source] = re.compile(self.source)
        return compiled


_COMPILED: dict[str, re.Pattern[str]] = {}


def _entry(kind: str, source: str, build: Callable[[re.Match[str]], Any]) -> Entry:
    return Entry(kind, source, build)


CATALOGUE: tuple[Entry, ...] = (
    _entry(
        "component_started",
        # (the thread's number in hex after it is read too: see `read_plainly`)
        _words(r"SMS_EXECUTIVE started SMS_CLOUD_USERSYNC as thread ID ")
        + r"(\d+)(?: *\(0x[0-9A-Fa-f]+\)\.?)?",
        lambda m: ComponentStarted(int(m.group(1))),
    ),
    _entry(
        "component_started",
        _words(r"SMS_CLOUD_USERSYNC started, ThreadMain\(\) thread ID") + r" *= *(\d+)",
        lambda m: ComponentStarted(int(m.group(1))),
    ),
    _entry("processing_stopping", _words("SMS_CLOUD_USERSYNC is stopping"), lambda m: None),
    _entry(
        "processing_started",
        _words("CCloudUserSync::Process - User sync processing has started"),
        lambda m: None,
    ),
    _entry(
        "processing_stopping",
        _words("CCloudUserSync::Process - User sync processing thread is now stopping"),
        lambda m: None,
    ),
    _entry(
        "processing_stopping",
        _words("User sync processing thread is now stopping"),
        lambda m: None,
    ),
    _entry(
        "certificate_wait",
        _words("Certmgr has not installed certificate yet, sleep for ") + r"(\d+)(?: *minutes?)?",
        lambda m: CertificateWait(int(m.group(1))),
    ),
    _entry(
        "sync_started",
        _words("Starting user ")
        + r"(\w+)"
        + _words(" sync, raise failure status messages")
        + r" *= *(\w+)",
        lambda m: SyncStarted(m.group(1).lower(), m.group(2).lower() == "true"),
    ),
    _entry(
        "user_add_requested",
        _words("NotifyAccountAddition - SCCM user to add") + r" *= *(\S[^\n]*)",
        lambda m: UserAddRequested(plain_upn(m.group(1).strip())),
    ),
    _entry(
        "user_add_failed",
        # The UPN runs to the last "; reason" (a UPN may hold ";"); it cannot start with a
        # space, so ` +` and the group never trade spaces back and forth (linear time).
        _words("Failed to add user ") + r"(\S[^\n]*|); *reason +(\S+)",
        lambda m: UserAddFailed(plain_upn(m.group(1).strip()), plain_reason(m.group(2))),
    ),
    _entry(
        "add_totals",
        _words("Total received users to add from SCCM")
        + r" *= *(\d+) *, *"
        + _words("Total Successfully added users to Cloud")
        + r" *= *(\d+)",
        lambda m: AddTotals(int(m.group(1)), int(m.group(2))),
    ),
    _entry(
        "remove_totals",
        _words("Total received users from SCCM to be removed from cloud") + r" *= *(\d+)",
        lambda m: RemoveTotals(int(m.group(1))),
    ),
    _entry(
        "users_removed",
        _words("Successfully removed users from cloud") + r" *:? *(\d+)",
        lambda m: UsersRemoved(int(m.group(1))),
    ),
    _entry(
        "sync_summary",
        r"User(\w+?)Sync *: *" + DASH + " *"
        + _words("Users Added")
        + r" *= *(\d+) *, *"
        + _words("Users Removed")
        + r" *= *(\d+)",
        lambda m: SyncSummary(m.group(1).lower(), int(m.group(2)), int(m.group(3))),
    ),
    _entry(
        "status_message",
        r"STATMSG: +ID=(\d+) +SEV=(\w)",
        lambda m: StatusMessage(int(m.group(1)), m.group(2).upper(), *_statmsg_fields(m.string)),
    ),
    # Sibling logs (SPEC §2): CertMgr.log and dmpuploader.log say why the connector waits.
    _entry("certificate_failed", _words("Failed to get connector certificate"), lambda m: None),
    _entry(
        "no_intune_subscription",
        _words("HasIntuneSubscription: Site has no Intune subscription"),
        lambda m: None,
    ),
)

KINDS: tuple[str, ...] = (
    *dict.fromkeys(entry.kind for entry in CATALOGUE),
    "message",
    "unparsed",
)
"""Every event kind, in catalogue order."""

_BY_KEY: dict[str, tuple[Entry, ...]] = {}
for _e in CATALOGUE:
    _BY_KEY[_e.key] = (*_BY_KEY.get(_e.key, ()), _e)

_STATMSG_COMP_RE = deferred(r'COMP="([^"\n]*)"')
_STATMSG_TID_RE = deferred(r"\bTID=(\d{1,10})\b")

CONNECTOR = "SMS_CLOUD_USERSYNC"
"""The component of the Windows Intune Connector."""

STATMSG_STARTED, STATMSG_STOPPING = 500, 501  # (status message IDs: started, stopping)


CAUSE_KINDS = frozenset({"certificate_failed", "no_intune_subscription"})
"""Kinds that sibling logs write about the connector: the causes of its certificate wait."""


def about_connector(kind: str, text: str) -> bool:
    """Whether a sibling log's record is about the connector: a cause of trouble, or names it."""
    return kind in CAUSE_KINDS or CONNECTOR in text


def _statmsg_fields(text: str) -> tuple[str, int | None]:
    """COMP and TID of a STATMSG line."""
    component = _STATMSG_COMP_RE.search(text)
    thread = _STATMSG_TID_RE.search(text)
    return (component.group(1) if component else "", int(thread.group(1)) if thread else None)


def message_starts(kinds: Iterable[str], highlighted: bool = False) -> str:
    """A regex alternation matching the start of every message of these kinds (a superset):
    each entry's pattern up to its first group (and, `highlighted`, a ticket's mark before
    one: `decoration.unhighlighted`); empty (every message) when `message` is one of them, a
    kind that any text may be."""
    wanted = set(kinds)
    if "message" in wanted:
        return ""
    starts = {_literal_start(e.source) for e in CATALOGUE if e.kind in wanted}
    # longest first: a match ends at the first alternative that fits (`User` before the
    # start of `User sync processing thread is now stopping.` would end it at 4 characters)
    found = "|".join(sorted(starts, key=lambda start: (-len(start), start)))
    return f"{found}|{HIGHLIGHTED_START}" if highlighted and found else found


def literal_starts(kinds: Iterable[str]) -> tuple[str, ...] | None:
    """The literal text that every message of these kinds starts with, one per entry: each
    entry's pattern up to its first character that is not plain text (or that a quantifier
    makes optional). None if some entry starts with no literal text, or `message` is one of the
    kinds (any text may be one): like an empty `message_starts`, every message is a candidate."""
    wanted = set(kinds)
    if "message" in wanted:
        return None
    starts = set()
    for entry in CATALOGUE:
        if entry.kind not in wanted:
            continue
        source, index, literal = entry.source, 0, []
        while index < len(source):
            char = source[index]
            if char == "\\" and index + 1 < len(source) and not source[index + 1].isalnum():
                char, step = source[index + 1], 2
            elif char in _REGEX_SPECIAL:
                break
            else:
                step = 1
            if source[index + step : index + step + 1] in ("*", "?", "{"):
                break  # an optional character ends the literal start
            literal.append(char)
            index += step
        if not literal:
            return None
        starts.add("".join(literal))
    if not starts:  # like an empty `message_starts`, which lets every message through
        return None
    # (then a ticket's marks: the native scanner tries them in order, for every message)
    return tuple(sorted(starts)) + tuple(sorted(set(HIGHLIGHTS) - starts - {"\u2022"}))


_REGEX_SPECIAL = frozenset("\\.^$*+?{}[]|()")


@lru_cache(maxsize=1)
def phrase_starts() -> tuple[str, ...]:
    """Each entry's message up to its first group as plain text, its runs of spaces as one and
    its optional ones left out (`Total received users to add from SCCM=`)."""
    starts = (
        _literal_start(e.source.replace(DASH, "-")).replace(" +", " ").replace(" *", "")
        for e in CATALOGUE
    )
    plain = (re.match(r"(?:\\\W|[^\\.^$*+?{}\[\]|()])*", start).group() for start in starts)  # type: ignore[union-attr]
    return tuple(sorted({re.sub(r"\\(\W)", r"\1", literal) for literal in plain}))


def _literal_start(source: str) -> str:
    """A pattern source up to its first group that captures (escaped parentheses are literal
    text; a `DASH` is no group of a field)."""
    index = 0
    while index < len(source):
        if source[index] == "\\":
            index += 2
            continue
        if source[index] == "(" and not source.startswith("(?:", index):
            break
        index += 1
    return source[:index]


def decode_text(message: str) -> str:
    """`~~` (CRLF) and `~` stand for line breaks; leading and trailing ones are separators; one
    inside an address is its own (`xavier~ops@fabrikam.com`: a UPN may hold it)."""
    if "~" in message:
        if "@" in message:  # (an address's `~` kept apart as a noncharacter)
            message = _TILDED_RE.sub(lambda found: found[0].replace("~", "\ufdd1"), message)
        message = message.replace("~~", "\n").replace("~", "\n").strip("\n").replace("\ufdd1", "~")
    return message


_TILDED_RE = deferred(r"(?<![^\s=])[\w.'!#^-]+(?:~[\w.'!#^-]+)+@[^\s~@;]+")


def classify(text: str, highlighted: bool = False) -> tuple[str, Any]:
    """(kind, payload) of a decoded message; `highlighted`: also of one that a ticket marked
    alone (`**Failed to add user …**`, `- Failed …`: `decoration.unhighlighted`), as a record
    is read (never where a text's shape is told by the messages it knows: a list's numbers
    before every line are a prefix, `formats.prefixes`)."""
    if text[:1] in (" ", "\t"):
        text = text.lstrip(" \t")
    entries = _BY_KEY.get(text[:4])
    if entries:
        for entry in entries:
            match = entry.pattern.match(text)
            if match:
                return entry.kind, entry.build(match)
    if highlighted and text[:1] in HIGHLIGHTS and (plain := unhighlighted(text)) is not None:
        return classify(plain)
    return "message", None


def read_plainly(text: str) -> bool:
    """Whether a message is one the catalogue knows, read to its end (no word after the reason
    or the count its entry reads, but a full stop: `reason LicenseLimitReach ed` is known, not
    read to its end), naming a user, if any, by a name with no space (`caro l@contoso.com`)
    but a placeholder's, which it does not leave open (`<UPN of User`). Of two ways to join a
    wrapped record's pieces, the one read plainly is taken (`formats.joins`)."""
    text = text.strip(" \t")
    for entry in _BY_KEY.get(text[:4], ()):
        match = entry.pattern.match(text)
        if match:
            rest = text[match.end() :].strip(" \t.~")  # (a full stop, SMS trace's `~~`)
            if entry.kind not in _NAMING:  # (a status message's fields run to its end)
                return not rest or entry.kind == "status_message"
            if rest:
                return False
            upn = match.group(1).strip()
            spaced = len(upn.split(None, 1)) > 1 and not _PLACEHOLDER_RE.match(upn)
            left_open = upn.count("<") > upn.count(">") or upn.count("[") > upn.count("]")
            return not spaced and not left_open
    return False


_NAMING = frozenset({"user_add_requested", "user_add_failed"})  # (a user: group 1)
_PLACEHOLDER_RE = re.compile(r"<[^<>]*>$|\[[^\[\]]*\]$")
"""A redaction placeholder for a user's name, spaces and all (`<UPN of User Account>`)."""

_ERROR_STARTS = ("ERROR", "Error", "error", "FAILED", "Failed", "Exception", "*** ")
_WARNING_STARTS = ("WARNING", "Warning", "WARN")
_STATMSG_SEVERITY = {"E": "error", "W": "warning"}


def severity_of(kind: str, data: Any, text: str) -> str:
    if kind == "user_add_failed":
        return "error"
    if kind == "status_message":
        return _STATMSG_SEVERITY.get(data.sev, "info")
    if kind in ("certificate_wait", "no_intune_subscription"):
        return "warning"
    if text.startswith(_ERROR_STARTS):
        return "error"
    if text.startswith(_WARNING_STARTS):
        return "warning"
    return "info"


_MEANINGS: dict[str, tuple[str, str, Any, str]] = {}
_MEANINGS_LIMIT = 1 << 14
"""Most messages repeat word for word; remembering the newest few keeps memory bounded."""


def meaning(message: str) -> tuple[str, str, Any, str]:
    """(decoded text, kind, payload, severity by text) of a raw message, cached."""
    known = _MEANINGS.get(message)
    if known is None:
        text = decode_text(message)
        kind, data = classify(text, highlighted=True)
        known = (text, kind, data, severity_of(kind, data, text))
        if len(_MEANINGS) >= _MEANINGS_LIMIT:
            _MEANINGS.clear()
        _MEANINGS[message] = known
    return known


def from_record(record: Record, source: str) -> Event:
    text, kind, data, severity = meaning(record.message)
    if record.severity is not None:
        severity = record.severity
    return Event(
        kind, record.time, source, record.line, record.component, record.thread, severity,
        text, data,
    )


def from_unparsed(item: Unparsed, source: str) -> Event:
    return Event(
        "unparsed", None, source, item.line, "", None, "warning", item.raw,
        UnparsedLine(item.raw, item.problem),
    )
