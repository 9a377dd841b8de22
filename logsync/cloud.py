"""The users that exist in Azure AD, from an export (`--cloud-users FILE`).

A stuck user syncs at its next full sync only if it is in Azure AD by then: an export of the
tenant's users tells which stuck users a restart of SMS Executive would free now. The export is
read in the forms admins get it:

- the CSV of the Entra admin center's "Download users" (a `userPrincipalName` column among many);
- `Export-Csv` of `Get-MgUser` or `Get-MsolUser`, with Windows PowerShell 5.1's `#TYPE …` first
  line, in any column order and header case, UTF-8, UTF-16 with a BOM or ASCII;
- `az ad user list` JSON (an array of objects with `userPrincipalName`; also Graph's
  `{"value": [...]}`);
- plain text, one UPN per line.

UPNs match whatever their case. A row that cannot be read (a CSV row with the wrong number of
cells, an empty UPN, a JSON entry without one, a text line that is no UPN) is counted and named
by its line, never dropped silently; an export with no UPN column, or no user at all, is an input
error. The export has a time of its own (the file's, or `--cloud-users-as-of`): a user can reach
Azure AD after it was taken. Where it gives each user's `createdDateTime` (ISO 8601 with a UTC
offset, as Graph writes it), a user created after the time judged at was not in Azure AD then; a
time in another form (`Export-Csv` of a date in the culture's, with no offset) says nothing.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from types import MappingProxyType
from typing import NamedTuple

from .csvcells import csv_rows
from .errors import InputError
from .formats.paste import redacted
from .patterns import deferred
from .times import micros, timeless
from .tracker.model import USER_NOT_FOUND, Result
from .tracker.users import Seen, User

UPN_COLUMNS = ("userprincipalname", "user principal name", "upn")
"""Header names of the UPN column, case-folded (the first found is used)."""
CREATED_COLUMNS = ("createddatetime",)
"""Header names of the column of when each user was created in Azure AD, case-folded (Graph's
`createdDateTime`, as the admin center's CSV, `Get-MgUser` and `az ad user list` name it)."""
MAX_NAMED = 5
"""Malformed rows named by their line number (the others are counted)."""


UNROUTABLE_SUFFIXES = frozenset(
    {"local", "localdomain", "lan", "home", "corp", "internal", "intranet", "private"}
)
"""Top-level labels no tenant can verify as a domain, as on-premises forests use them: `.local`
(multicast DNS, RFC 6762), `.localdomain`, `.lan`, `.home` and `.corp` (never delegated),
`.internal` (kept for private use), `.intranet` and `.private`. A bare host name (no dot) is
unroutable too."""


def unroutable_suffix(upn: str, added: set[str]) -> str | None:
    """The UPN's suffix if Azure AD cannot hold it (see `UNROUTABLE_SUFFIXES`), unless users
    with that suffix were added (`added`: the tenant holds it after all); else None."""
    domain = upn.rpartition("@")[2].casefold().rstrip(".")
    if not domain or domain in added:
        return None
    if "." not in domain or domain.rpartition(".")[2] in UNROUTABLE_SUFFIXES:
        return domain
    return None


def in_azure_ad(result: Result, cloud: CloudUsers | None) -> Result:
    """`result` with each user saying whether it is in Azure AD by the export `cloud` as of the
    result's time (unchanged without one)."""
    if cloud is None:
        return result
    at = result.as_of
    users = [
        user._replace(in_azure_ad=None if redacted(user.upn) else cloud.says(user.upn, at))
        for user in result.users
    ]
    return result._replace(users=users)


def restart_helps(
    cloud: CloudUsers | None, added: set[str], at: datetime | None = None
) -> Callable[[str], bool]:
    """For whose UPN a restart at `at` can add the user: one in Azure AD then by the export of
    Azure AD users (`cloud`, if given) whose UPN suffix Azure AD can hold (`added`: the
    suffixes of the users added). A name that is no UPN (a redaction) is looked up nowhere."""

    holds: dict[str, bool] = {}  # (by UPN suffix as written: users share a few)

    def helps(upn: str) -> bool:
        if cloud is not None and not cloud.has(upn, at):
            return False
        if redacted(upn):
            return True
        suffix = upn.rpartition("@")[2]
        held = holds.get(suffix)
        if held is None:
            held = holds[suffix] = unroutable_suffix(upn, added) is None
        return held

    return helps


class CloudUsers(NamedTuple):
    """The UPNs of an export of Azure AD users."""

    path: str
    upns: frozenset[str]
    """Case-folded."""
    form: str
    """`csv`, `json` or `text`."""
    as_of: datetime | None
    """When the export was taken: `--cloud-users-as-of`, else the file's modification time."""
    as_of_given: bool
    """Whether `as_of` was given (`--cloud-users-as-of`) rather than the file's time."""
    malformed: int = 0
    malformed_lines: tuple[int, ...] = ()
    """The line numbers (1-based, in the file) of the first malformed rows."""
    outdated: frozenset[str] = frozenset()
    """Users in the export (case-folded) that the log failed with UserNotFound after it was
    taken: whether Azure AD holds them now, the export cannot say (see `outdated_by`)."""
    created: Mapping[str, datetime] = MappingProxyType({})
    """When each user (case-folded) was created in Azure AD, where the export says
    (`createdDateTime`)."""

    def has(self, upn: str, at: datetime | None = None) -> bool:
        """Whether `upn` (any case) is in the export, and no later failure says otherwise; with
        `at`, whether it was in Azure AD by then (see `created_after`)."""
        return self.says(upn, at) is True

    def says(self, upn: str, at: datetime | None = None) -> bool | None:
        """Whether `upn` is in Azure AD by the export, as of `at` if given (one created after
        it was not there yet); None where the log failed it with UserNotFound after the export
        was taken (see `outdated`)."""
        key = upn.casefold()
        if key in self.outdated:
            return None
        return key in self.upns and not self.created_after(key, at)

    def created_after(self, upn: str, at: datetime | None) -> bool:
        """Whether the export says `upn` was created in Azure AD after `at`: not where it
        gives no `createdDateTime`, nor at a time with no UTC offset to compare it with."""
        created = self.created.get(upn.casefold())
        if created is None or at is None or timeless(at) or at.tzinfo is None:
            return False
        return created > at

    def outdated_by(self, users: Iterable[Seen]) -> CloudUsers:
        """The export, with `outdated` the users it holds whose last failure, UserNotFound,
        came after it was taken (of the tracker's `users`): the connector did not find them in
        Azure AD then."""
        if self.as_of is None:
            return self
        taken = micros(self.as_of)
        late = {
            user.upn.casefold()
            for user in users
            if isinstance(user, User)
            and user.reason == USER_NOT_FOUND
            and user.last_failure is not None
            and user.last_failure[0] > taken
        }
        return self._replace(outdated=frozenset(late & self.upns))

    def taken(self, zone: tzinfo | None = None) -> str | None:
        """When the export was taken, to the second, in `zone` (as it was read without one)."""
        if self.as_of is None:
            return None
        shown = self.as_of
        if zone is not None and shown.tzinfo is not None:
            shown = shown.astimezone(zone)
        return shown.isoformat(timespec="seconds")

    def describe(self, zone: tzinfo | None = None) -> str:
        """`export.csv: 1,204 users (csv), taken 2026-11-25T15:00:00-08:00 (file time)`, the
        time in `zone` (the output's) if given."""
        taken = ""
        if self.as_of is not None:
            how = "" if self.as_of_given else " (file time)"
            taken = f", taken {self.taken(zone)}{how}"
        count = len(self.upns)
        return f"{self.path}: {count} user{'s' if count != 1 else ''} ({self.form}){taken}"

    def malformed_note(self) -> str | None:
        """`3 rows could not be read (lines 4, 9, 12)`, or None."""
        if not self.malformed:
            return None
        lines = ", ".join(str(n) for n in self.malformed_lines)
        more = ", …" if self.malformed > len(self.malformed_lines) else ""
        noun = "row" if self.malformed == 1 else "rows"
        return f"{self.malformed} {noun} could not be read (line {lines}{more})"


def read_cloud_users(path: str, as_of: datetime | None = None) -> CloudUsers:
    """Read an export of Azure AD users (see the module's description)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        taken = as_of
        if taken is None:
            taken = datetime.fromtimestamp(os.stat(path).st_mtime).astimezone()
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from exc
    text = _decode(data)
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise InputError(path, "an empty export of Azure AD users")
    first = lines[start].lstrip()
    created: dict[str, datetime] = {}
    if first.startswith(("[", "{")):
        upns, bad = _json(path, text, created)
        form = "json"
    else:
        if first.startswith("#") or _SEP_RE.fullmatch(first):  # (PowerShell 5.1's `#TYPE
            # Microsoft.Graph...` line; Excel's `sep=;`, which names the separator)
            start = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), None)
            if start is None:
                raise InputError(path, "an empty export of Azure AD users")
        header = _cells(lines[start], _delimiter(lines[start]))
        column = _column(header, UPN_COLUMNS)
        if column is not None:
            columns = (column, _column(header, CREATED_COLUMNS))
            upns, bad = _csv(lines, start, columns, len(header), _delimiter(lines[start]), created)
            form = "csv"
        elif len(header) > 1:
            raise InputError(
                path,
                "no userPrincipalName column in this export of Azure AD users "
                f"(its columns: {', '.join(header[:8])}{', …' if len(header) > 8 else ''})",
            )
        else:
            upns, bad = _text(lines, start)
            form = "text"
    if not upns:
        raise InputError(path, "no users in this export of Azure AD users")
    return CloudUsers(
        path=path,
        upns=frozenset(upns),
        form=form,
        as_of=taken,
        as_of_given=as_of is not None,
        malformed=len(bad),
        malformed_lines=tuple(bad[:MAX_NAMED]),
        created=MappingProxyType(created),
    )


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM, as PowerShell writes them; else
    cp1252, where UTF-8 fails (an `-Encoding Default` export)."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header: str) -> str:
    """`,`, or `;` for an `Export-Csv -UseCulture` of a locale whose list separator it is, or a
    tab (Excel's "Unicode Text", a TSV): the one the header holds most of."""
    return max((",", ";", "\t"), key=header.count)


_SEP_RE = deferred(r"\s*sep=.\s*", re.IGNORECASE)
"""The line Excel writes before a CSV's header to name its separator."""


def _cells(line: str, delimiter: str) -> list[str]:
    return [cell.strip() for cell in next(csv_rows([line], delimiter), [])]


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    """The column of the first of `names` (case-folded) that the header has, if any."""
    folded = [cell.casefold() for cell in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    return None


_INSTANT_RE = deferred(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?"
    r" ?(?:([Zz])|([+-])(\d\d):?(\d\d))"
)


def _instant(text: str) -> datetime | None:
    """An ISO 8601 time with a UTC offset (`2026-11-25T19:58:40Z`, Graph's; up to 7 digits of
    a second, .NET's), else None: a time with no offset names no instant."""
    found = _INSTANT_RE.fullmatch(text.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second = (int(found.group(n)) for n in range(1, 7))
    fraction = int((found.group(7) or "0")[:6].ljust(6, "0"))
    offset = timedelta(0)
    if found.group(9):
        offset = timedelta(hours=int(found.group(10)), minutes=int(found.group(11)))
        offset = -offset if found.group(9) == "-" else offset
    try:
        zone = timezone(offset)
        return datetime(year, month, day, hour, minute, second, fraction, tzinfo=zone)
    except ValueError:  # (a 25th hour, an offset of a day)
        return None


def _note_created(created: dict[str, datetime], upn: str, value: object) -> None:
    """Keep when `upn` (case-folded) was created in Azure AD, if `value` says (the earliest,
    should the export name it twice)."""
    when = _instant(value) if isinstance(value, str) else None
    if when is not None and (upn not in created or when < created[upn]):
        created[upn] = when


def _csv(
    lines: list[str],
    header: int,
    columns: tuple[int, int | None],
    width: int,
    delimiter: str,
    created: dict[str, datetime],
) -> tuple[set[str], list[int]]:
    """The UPNs of the rows after the header, and the line numbers of rows that cannot be read
    (quoted cells may span lines: a row's number is that of its first line); `columns`: the
    UPN's and the `createdDateTime`'s, whose times go to `created`."""
    column, created_column = columns
    upns: set[str] = set()
    bad: list[int] = []
    body = lines[header + 1 :]
    reader = csv_rows(body, delimiter)
    while True:
        number = header + 2 + reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            bad.append(number)
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        upn = row[column].strip() if len(row) == width else ""  # a row of another width: none
        if not _is_upn(upn):
            bad.append(number)
            continue
        upns.add(upn.casefold())
        if created_column is not None:
            _note_created(created, upn.casefold(), row[created_column])
    return upns, bad


def _json(path: str, text: str, created: dict[str, datetime]) -> tuple[set[str], list[int]]:
    """`az ad user list` (an array) or a Graph page (`{"value": [...]}`); an entry without a
    UPN is counted by its place in the array (1-based). Their `createdDateTime` go to
    `created`."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InputError(path, f"not valid JSON ({exc})") from exc
    if isinstance(document, dict):
        document = document.get("value")
    if not isinstance(document, list):
        raise InputError(path, "JSON that is not a list of users (as `az ad user list` writes)")
    upns: set[str] = set()
    bad: list[int] = []
    for index, entry in enumerate(document, 1):
        upn = None
        if isinstance(entry, dict):
            upn = next(
                (value for key, value in entry.items() if key.casefold() in UPN_COLUMNS), None
            )
        elif isinstance(entry, str):
            upn = entry
        if not isinstance(upn, str) or not _is_upn(upn.strip()):
            bad.append(index)
            continue
        upns.add(upn.strip().casefold())
        if isinstance(entry, dict):
            value = next((v for k, v in entry.items() if k.casefold() in CREATED_COLUMNS), None)
            _note_created(created, upn.strip().casefold(), value)
    if not upns and document and not any(
        isinstance(e, dict) and any(k.casefold() in UPN_COLUMNS for k in e) for e in document
    ):
        raise InputError(path, "no userPrincipalName in this export of Azure AD users")
    return upns, bad


def _text(lines: list[str], start: int) -> tuple[set[str], list[int]]:
    upns: set[str] = set()
    bad: list[int] = []
    for number in range(start, len(lines)):
        line = lines[number].strip()
        if not line:
            continue
        if _is_upn(line):
            upns.add(line.casefold())
        else:
            bad.append(number + 1)
    return upns, bad


def _is_upn(value: str) -> bool:
    """A UPN as exports hold it: one `@` with text either side, no spaces."""
    name, at, domain = value.partition("@")
    return bool(name and at and domain) and "@" not in domain and not any(
        ch.isspace() for ch in value
    )
