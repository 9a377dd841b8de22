"""JUnit XML for `check`: a testcase per user and one for the connector."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..analysis import Analysis
from ..events import CONNECTOR
from ..safety import visible
from ..times import NO_TIMES_REASON
from ..tracker import UserState
from ..verdicts import Gate
from . import Display, before_input_text, connector_text, shared_name_text, unnamed_text
from .bounds import bounded


def failure_message(user: UserState, display: Display) -> str:
    """What a failing testcase says of a user: its state, when its full sync is due and when
    it is expected to recover (`by …` where those are latest bounds: its failure is before
    the log; unknown in an input with no times)."""
    due = display.iso(user.full_sync_due)
    if due is None:
        latest = display.iso(user.full_sync_due_by)
        due = f"by {latest}" if latest else "unknown"
    shown = display.iso(user.expected_recovery)
    expected = bounded(user, shown) if shown else "unknown"
    if user.state == "waiting":
        return f"waiting for full sync due {due}; expected recovery {expected}"
    if user.state == "overdue":  # (`by …` only where it is a latest bound, as `check` says)
        return (
            f"overdue: full sync was due {due}; expected recovery {expected} passed, with no "
            "retry logged"
        )
    if user.state == "failed":
        when = display.iso(user.last_failure)
        return f"failed with reason {user.reason} at {when}; no automatic retry"
    if user.shared_by > 1:
        return f"{user.state}: {shared_name_text(user.shared_by)}"
    return f"{user.state}"


def failure_detail(user: UserState, display: Display) -> str:
    """The text of a failing testcase: the user's failing run (its first failure, or that it
    is before the log, and how many there were)."""
    first = display.iso(user.first_failure)
    if first is None:
        why = NO_TIMES_REASON if user.no_times else before_input_text(user)
        return f"first failure unknown ({why}), failures {user.failures}"
    return f"first failure {first}, failures {user.failures}"


def junit_document(
    users: list[UserState], verdict: Gate, analysis: Analysis, display: Display
) -> bytes:
    """The gate as JUnit XML: a testcase per user and one for the connector. Failures appear
    exactly when the gate fails (exit code 1), on what failed it: users within `--max-stuck`
    are reported in their testcase's output, not as failures, also where the connector's
    problem fails the gate."""
    counted, within, problem = verdict.counted, not verdict.users_over, verdict.connector_problem
    counted_keys = {id(user) for user in counted}
    connector = analysis.connector
    connector_failed = problem is not None
    failing_users = [] if within else counted
    unnamed = analysis.result.unnamed_failures
    unnamed_failed = bool(verdict.unnamed) and not within  # (those the gate counts)
    suite = ET.Element(
        "testsuite",
        name="logsync check",
        tests=str(len(users) + 1 + (1 if unnamed else 0)),
        failures=str(len(failing_users) + (1 if connector_failed else 0) + unnamed_failed),
        errors="0",
        skipped="0",
    )
    case = ET.SubElement(suite, "testcase", classname="logsync.connector", name=CONNECTOR)
    text = visible(connector_text(connector, analysis.as_of, display))
    if connector_failed:
        failure = ET.SubElement(case, "failure", message=text, type=problem or "")
        failure.text = text
    else:
        ET.SubElement(case, "system-out").text = text
    if unnamed:  # failed adds that no failure line names
        case = ET.SubElement(
            suite, "testcase", classname="logsync.users", name="failed adds no failure line names"
        )
        message = unnamed_text(unnamed, analysis.result.unnamed_at, explained=True)
        if unnamed_failed:
            ET.SubElement(case, "failure", message=message, type="unnamed").text = message
        else:
            ET.SubElement(case, "system-out").text = message
    for user in users:
        case = ET.SubElement(suite, "testcase", classname="logsync.users", name=visible(user.upn))
        if id(user) not in counted_keys:
            continue
        message = visible(failure_message(user, display))
        detail = visible(failure_detail(user, display))
        if user.in_azure_ad is not None:
            detail += ", in Azure AD" if user.in_azure_ad else ", not in Azure AD"
        if within:
            ET.SubElement(case, "system-out").text = f"{message} (within --max-stuck); {detail}"
        else:
            failure = ET.SubElement(case, "failure", message=message, type=user.state)
            failure.text = detail
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    document: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
