"""JUnit XML for `check`: one testcase per user, a failure for each user in a failing state."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection

from ..safety import visible
from ..tracker import UserState
from . import Display


def failure_message(user: UserState, display: Display) -> str:
    if user.state == "waiting":
        return (
            f"waiting for full sync due {display.iso(user.full_sync_due)}"
            f"; expected recovery {display.iso(user.expected_recovery)}"
        )
    if user.state == "overdue":
        return (
            f"overdue: full sync was due {display.iso(user.full_sync_due)}"
            f" and expected by {display.iso(user.expected_recovery)}, with no retry logged"
        )
    if user.state == "failed":
        when = display.iso(user.last_failure)
        return f"failed with reason {user.reason} at {when}; no automatic retry"
    return f"{user.state}"


def junit_document(users: list[UserState], fail_on: Collection[str], display: Display) -> bytes:
    failing = [user for user in users if user.state in fail_on]
    suite = ET.Element(
        "testsuite",
        name="logsync check",
        tests=str(len(users)),
        failures=str(len(failing)),
        errors="0",
        skipped="0",
    )
    for user in users:
        case = ET.SubElement(suite, "testcase", classname="logsync.users", name=visible(user.upn))
        if user.state in fail_on:
            failure = ET.SubElement(
                case, "failure", message=visible(failure_message(user, display)), type=user.state
            )
            failure.text = visible(
                f"first failure {display.iso(user.first_failure)}, failures {user.failures}"
            )
    suites = ET.Element("testsuites")
    suites.append(suite)
    ET.indent(suites)
    document: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return document + b"\n"
