"""Names masked in some lines of an input only (`s***@contoso.com` where the ticket redacted a
failure, `scott@contoso.com` where it did not): one user tracked as two, neither with its
whole history. Told by the masked name's visible letters and domain (`masked_as`), said on
stderr; which user a masked name is, the input cannot say."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .formats.paste import redacted
from .patterns import deferred

_MASK_RE = deferred(r"\*+|#+|\.{2,}|\u2026+")
"""What masks letters of a name: stars, hashes, dots (two or more), an ellipsis."""


def masked_as(upns: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Each masked name of these users (a redacted one with a mask and a domain) with the
    names of the others it may be: the same domain, the visible letters where the masked name
    shows them (case-insensitive), in the order given."""
    names = list(upns)
    if not any(map(_masked, names)):  # (most inputs: no name masked, one look at each)
        return []
    names = list(dict.fromkeys(names))
    plain = [name for name in names if not redacted(name)]
    found = []
    for name in names:
        local, at, domain = name.rpartition("@")
        if not (at and domain and redacted(name) and _MASK_RE.search(local)):
            continue
        pieces = _MASK_RE.split(local)
        pattern = re.compile(".+".join(map(re.escape, pieces)) + "@" + re.escape(domain), re.I)
        matches = [other for other in plain if pattern.fullmatch(other)]
        if matches:
            found.append((name, matches))
    return found


def _masked(name: str) -> bool:
    """Whether a name holds what `_MASK_RE` finds (in a few string searches: a pattern of
    alternatives costs a try at each character of every name)."""
    return "*" in name or "#" in name or ".." in name or "\u2026" in name
