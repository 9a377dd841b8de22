"""JSON text built by hand, byte for byte as `json.dumps` writes it (ASCII, escaped): the
machine formats write many records whose shape they know (events, users)."""

from __future__ import annotations

import json
from collections.abc import Callable
from math import isfinite

encode_text: Callable[[str], str] = json.encoder.encode_basestring_ascii
"""A text as a JSON string."""


def json_value(value: object) -> str:
    """A text, number or flag, or nothing, as JSON."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if isfinite(value) else json.dumps(value)  # (NaN, Infinity)
    return encode_text(str(value))
