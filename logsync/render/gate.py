"""`check`'s printers, one per format (see `printers.PRINTERS`): the gate's lines, JSON and
Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..safety import visible
from . import (
    UNNAMED_DETAIL,
    check_row,
    connector_record,
    connector_text,
    verdict_line,
    where_of,
    wrap_words,
)

if TYPE_CHECKING:
    from .pages import CheckPage, Output


def json(page: CheckPage, output: Output) -> None:
    from . import machine

    verdict, analysis, display = page.verdict, page.analysis, page.display
    counted, passed = verdict.counted, verdict.passed
    machine.write_json(
        {
            "passed": passed,
            "as_of": display.iso(analysis.as_of),
            "fail_on": sorted(verdict.fail_on),
            "max_stuck": verdict.max_stuck,
            "counts": verdict.counts,
            "counted": machine.state_counts(counted),
            "connector": connector_record(analysis.connector, analysis.as_of, display),
            "connector_problem": verdict.connector_problem,
            "unnamed_failures": verdict.unnamed + verdict.unnamed_seen,
            "unnamed_at": where_of(verdict.unnamed_at),
            "failing": [machine.user_record(u, display) for u in counted] if not passed else [],
            "within_limit": [machine.user_record(u, display) for u in counted] if passed else [],
            **(
                {"users": [machine.user_record(u, display) for u in analysis.users]}
                if page.by_name
                else {}
            ),
        },
        output.out,
        pretty=output.terminal,
    )


def markdown(page: CheckPage, output: Output) -> None:
    from . import markdown

    verdict, analysis, display = page.verdict, page.analysis, page.display
    line = verdict_line(verdict, analysis.as_of, display)
    counted = verdict.counted
    others = [u for u in analysis.users if u not in counted] if page.by_name else []
    output.out.write(
        markdown.check(
            verdict.passed, line, counted, verdict.connector_problem, analysis, display, others
        )
    )


def text(page: CheckPage, output: Output) -> None:
    if output.quiet:
        return
    verdict, analysis, display = page.verdict, page.analysis, page.display
    counted = verdict.counted
    rows = [check_row(u, display) for u in counted]
    if page.by_name:  # the users asked for by name, whatever their state
        rows += [
            check_row(u, display, not_counted=verdict.named)
            for u in analysis.users
            if u not in counted
        ]
    if verdict.unnamed:
        rows.append(("users", "unnamed", f"{verdict.unnamed} failed adds: {UNNAMED_DETAIL}"))
    if verdict.connector_problem is not None:
        text = connector_text(analysis.connector, analysis.as_of, display)
        rows.append(("connector", verdict.connector_problem, visible(text)))
    line = verdict_line(verdict, analysis.as_of, display)
    if output.terminal:
        output.out.write(fitted(rows, line, _width()))
    else:
        output.out.write("".join("\t".join(row) + "\n" for row in rows) + line + "\n")


def fitted(rows: list[tuple[str, ...]], verdict_line: str, width: int) -> str:
    """The gate's lines for a terminal `width` columns wide: a row that does not fit keeps
    its first fields on one line and puts the rest under it, indented; words are never cut."""
    out = []
    for row in rows:
        line = "  ".join(row)
        if len(line) <= width:
            out.append(line)
            continue
        out.append("  ".join(row[:-1]))
        out.extend("    " + part for part in wrap_words(row[-1], width - 4))
    out.extend(wrap_words(verdict_line, width, indent="    "))
    return "\n".join(out) + "\n"


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns


