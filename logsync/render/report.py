"""`report`'s printers, one per format (see `printers.PRINTERS`), and its what-if object."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..safety import visible
from . import Display, connector_record, connector_text, number

if TYPE_CHECKING:
    from ..tracker import UserState
    from .pages import Output, Printer, ReportPage


def what_if_summary(when: datetime, users: list[UserState], display: Display) -> dict[str, Any]:
    """The what-if restart's changes (`verdicts.what_if`) as the report's `what_if` object."""
    from ..verdicts import what_if

    change = what_if(users)
    saved = change.time_saved_s
    summary: dict[str, Any] = {
        "restart_at": display.iso(when),
        "users_freed": [u.upn for u in change.freed],
        "users_retried": [u.upn for u in change.retried],
        "time_saved_s": number(sum(saved)),
        "max_time_saved_s": number(max(saved)) if saved else 0,
    }
    if change.not_in_azure_ad is not None:
        summary["users_not_in_azure_ad"] = [u.upn for u in change.not_in_azure_ad]
    return summary


def markdown(page: ReportPage, output: Output) -> None:
    from . import markdown

    assert page.health is not None
    output.out.write(
        markdown.report(page.analysis, page.shown, page.counts, page.display, page.health)
    )


def html(page: ReportPage, output: Output) -> None:
    from . import html

    assert page.health is not None and page.cycle_marks is not None
    output.out.write(
        html.page(page.analysis, page.health, page.shown, page.cycle_marks, page.display)
    )


def json(page: ReportPage, output: Output) -> None:
    from . import machine

    analysis, display = page.analysis, page.display
    document = machine.report_document(analysis, [], page.counts, display)
    document["connector"] = connector_record(analysis.connector, analysis.as_of, display)
    if page.what_if is not None:
        when = analysis.restart_at or page.what_if
        document["what_if"] = what_if_summary(when, page.shown, display)
    machine.write_report_json(document, page.shown, display, output.out, pretty=output.terminal)


def table(page: ReportPage, output: Output) -> None:
    from . import human, overview

    analysis, display = page.analysis, page.display
    console = human.make_console(output.out, output.color)
    human.report(analysis, page.shown, page.counts, display, console, quiet=output.quiet)
    if page.what_if is not None:
        summary = what_if_summary(analysis.restart_at or page.what_if, page.shown, display)
        console.print(overview.what_if_line(summary))
    if not output.quiet:
        from ..health import next_step

        assert page.health is not None
        names = " ".join(shlex.quote(path) for path in page.paths) or "-"
        step = next_step(page.health, f"logsync summary {names}")
        advice = page.health.advice
        timely = bool(advice) and advice[0].code == "restart_sms_executive"  # (its times past)
        console.print(overview.next_step_line(step, analysis.ended_ago if timely else None))


def rows(write: Callable[[ReportPage, Output], None]) -> Printer:
    """A printer of rows (ndjson, csv, text): rows stay rows; the connector's problem goes
    where a person will see it."""

    def printer(page: ReportPage, output: Output) -> None:
        write(page, output)
        connector = page.analysis.connector
        if not connector.ok and not output.quiet:
            text = connector_text(connector, page.analysis.as_of, page.display)
            output.err.write(f"logsync: {visible(text)} ({connector.code})\n")

    return printer


def ndjson(page: ReportPage, output: Output) -> None:
    from .users import InstantTexts, user_json

    texts = InstantTexts(page.display)
    out = output.out
    for user in page.shown:
        out.write(user_json(user, texts) + "\n")


def csv(page: ReportPage, output: Output) -> None:
    from . import machine

    fields = machine.user_fields(page.cloud)
    rows = machine.user_rows(page.shown, page.display, page.cloud)
    machine.write_csv(fields, rows, output.out)


def text(page: ReportPage, output: Output) -> None:
    from . import machine

    if page.header:
        output.out.write("\t".join(machine.user_fields(page.cloud)) + "\n")
    machine.write_text_rows(machine.user_rows(page.shown, page.display, page.cloud), output.out)



text_rows, ndjson_rows, csv_rows = rows(text), rows(ndjson), rows(csv)
"""The printers of the row formats (see `rows`)."""
