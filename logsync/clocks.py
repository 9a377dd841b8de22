"""Local times around a change of a zone's clock (daylight saving): the hour it shows twice when
it is set back, the hour it skips when it is set forward. Such a time is no single instant."""

from __future__ import annotations

from datetime import datetime

from .errors import UsageError


def not_one_time(time: datetime) -> bool:
    """Whether a local time comes twice or never in its zone (its two readings differ)."""
    return time.replace(fold=1).utcoffset() != time.utcoffset()


def one_instant(value: datetime, option: str, shown: str, zone_name: str) -> datetime:
    """SPEC §5: a local time that its zone's clock shows twice (set back) or never (set
    forward) is no single time: refused, with its two readings to choose from."""
    if not_one_time(value):
        again = value.replace(fold=1)
        raise UsageError(
            f"{option}: {shown} is no single time in {zone_name}: its clock is set back or "
            f"forward there; give the offset ({value.isoformat()} or {again.isoformat()})"
        )
    return value
