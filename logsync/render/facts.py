"""`summary`'s machine formats: its JSON document, and its text facts (one per line, its kind
first), written by `machine`'s writers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import Display, judged_later, known_interval
from .machine import user_rows, users_records

if TYPE_CHECKING:  # health is imported by the commands that summarize
    from ..health import Evidence, Summary


def evidence_record(evidence: Evidence, display: Display) -> dict[str, Any]:
    return {"source": evidence.source, "line": evidence.line, "time": display.iso(evidence.time)}


def summary_document(summary: Summary, display: Display) -> dict[str, Any]:
    """The `summary --format json` object."""
    return {
        "span": {"start": display.iso(summary.start), "end": display.iso(summary.end)},
        "as_of": display.iso(summary.as_of),
        "cycles": summary.cycles,
        "interval_s": known_interval(summary.interval, summary.interval_basis),
        "interval_observed": summary.interval_basis == "observed",
        "interval_basis": summary.interval_basis,
        "restarts": [evidence_record(e, display) for e in summary.restarts],
        "per_day": [
            {
                "date": day,
                "requested": c.requested,
                "held_back": c.held_back,
                "added": c.added,
                "failed": c.failed,
            }
            for day, c in summary.per_day.items()
        ],
        "reasons": dict(summary.reasons.most_common()),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "evidence": [evidence_record(e, display) for e in f.evidence],
            }
            for f in summary.findings
        ],
        "advice": [{"code": a.code, "text": a.text} for a in summary.advice],
    } | ({"users": users_records(summary.users, display)} if summary.users else {})


def summary_rows(summary: Summary, display: Display) -> Iterator[list[object]]:
    """Text format: everything the table shows, one fact per line, its kind first."""
    yield ["span", display.iso(summary.start), display.iso(summary.end)]
    if judged_later(summary):
        yield ["as_of", display.iso(summary.as_of)]
    every = known_interval(summary.interval, summary.interval_basis)
    yield ["cycles", summary.cycles, every, summary.interval_basis]
    for restart in summary.restarts:
        yield ["restart", display.iso(restart.time), f"{restart.source}:{restart.line}"]
    for day, counts in summary.per_day.items():
        yield ["day", day, counts.requested, counts.held_back, counts.added, counts.failed]
    for reason, count in summary.reasons.most_common():
        yield ["reason", reason, count]
    for finding in summary.findings:
        where = finding.evidence[0] if finding.evidence else None
        yield [
            finding.severity,
            finding.code,
            finding.message,
            f"{where.source}:{where.line}" if where else None,
        ]
    for advice in summary.advice:
        yield ["advice", advice.code, advice.text, None]
    for row in user_rows(summary.users, display):
        yield ["user", *row]
