"""What to do about what the health summary found: restart SMS Executive, schedule directory
sync, fix a UPN suffix, get the connector its certificate."""

from __future__ import annotations

from ..analysis import Analysis
from ..conclusions import restart_now
from ..formats.paste import redacted
from ..sources import base_name
from ..times import human_duration, timeless
from ..tracker import USER_NOT_FOUND, Cause, timer_label
from .summary import Advice, Summary, plural, some_names, some_upns, verb

DIRECTORY_SYNC_DEFAULTS = (
    ("DirSync's default of 3 hours", 3 * 3600),
    ("Azure AD Connect's default of 30 minutes", 30 * 60),
)
"""The default intervals of directory sync: DirSync (the connector's era) and its successor
Azure AD Connect (Entra Connect)."""


def dirsync_advice(analysis: Analysis) -> Advice:
    """Users that failed with UserNotFound on their first try were discovered before directory
    sync had put them in Azure AD: how long those that were added waited for it (their first
    try to their add, as the log shows), and what directory sync would have avoided it."""
    # no advice about directory sync is built on a name that is no UPN
    first_tries = [upn for upn in analysis.tracker.first_tries if not redacted(upn)]
    count = len(first_tries)
    added = analysis.tracker.recovered(first_tries)  # (the log's own UPNs: found by key)
    waits = sorted(wait for _, wait in added if wait is not None)
    every = human_duration(analysis.result.interval.total_seconds())
    text = (
        f"{count} user{plural(count)} failed with UserNotFound on {verb(count, 'its', 'their')} "
        f"first try: user discovery found {verb(count, 'it', 'them')} before directory sync had "
        f"put {verb(count, 'it', 'them')} in Azure AD."
    )
    if waits:
        median = _hours(waits[(len(waits) - 1) // 2])
        who = "It" if count == 1 else "They" if len(waits) == count else f"{len(waits)} of them"
        text += (
            f" {who} waited {median}{' (median)' if len(waits) > 1 else ''} from that try to "
            f"{verb(len(waits), 'its', 'their')} add ({some_upns([upn for upn, _ in added])})."
        )
    timer = timer_label(analysis.tracker.options.full_sync_after)
    if timeless(analysis.as_of):  # no interval to compare the sync intervals with
        return Advice(
            "dirsync_schedule",
            text + f" Avoiding the {timer} wait takes directory sync before the connector's "
            "first try: schedule user discovery after the directory sync cycle (DirSync's "
            "interval was 3 hours, Azure AD Connect's is 30 minutes).",
        )
    text += (
        f" Avoiding the {timer} wait takes directory sync before the connector's first try, at "
        f"most one cycle ({every}) after discovery: "
    )
    cycle = analysis.result.interval.total_seconds()
    short = [name for name, seconds in DIRECTORY_SYNC_DEFAULTS if seconds < cycle]
    if not short:
        text += (
            "shorter than either default sync interval (DirSync's was 3 hours, Azure AD "
            "Connect's is 30 minutes), so schedule user discovery after the directory sync cycle."
        )
    else:
        longer = [name for name, seconds in DIRECTORY_SYNC_DEFAULTS if seconds >= cycle]
        text += (
            f"a sync interval under {every} would have avoided it ({' and '.join(short)} "
            f"{verb(len(short), 'is', 'are')}"
            + (f"; {longer[0]} is not)" if longer else ")")
            + ", or schedule user discovery after the directory sync cycle."
        )
    return Advice("dirsync_schedule", text)


def _hours(seconds: float) -> str:
    """`24h 05m`: a wait near the timer's length, in hours and minutes (not rounded to days)."""
    minutes = round(seconds / 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def next_step(summary: Summary, command: str) -> str:
    """The one thing to do next: the first advice, else where to read more (`command` names
    the summary command to run on the same inputs)."""
    if summary.advice:
        return summary.advice[0].text
    return f"Nothing to fix in this log; `{command}` shows the connector's health day by day."


CHECK_CONNECTOR = Advice(
    "check_connector",
    "Check that SMS_CLOUD_USERSYNC is running (Configuration Manager Service Manager) and read "
    "smsexec.log and CloudUserSync.log for why the connector does not sync.",
)


def restart_advice(analysis: Analysis, added: set[str] | None = None) -> list[Advice]:
    """What a restart of SMS Executive now would do: its full sync retries every UserNotFound
    user, the waiting ones sooner and the overdue ones at all. With an export of Azure AD users
    (`analysis.cloud`), only the users in it count: for the others the retry fails again, and
    the advice says so and points at DirSync. A user whose UPN suffix Azure AD cannot hold
    fails again at any retry (`cloud.restart_helps`; `added`: the UPN suffixes of the users
    added, if known): no restart is advised for it."""
    cloud = analysis.cloud
    stuck, freed = restart_now(analysis, added)
    sooner = [u for u, saved in freed if u.state == "waiting" and (saved or u.no_times)]
    most = max((saved or 0.0 for u, saved in freed if u.state == "waiting"), default=0.0)
    overdue = [u for u, _ in freed if u.state == "overdue"]
    absent = [u for u in stuck if u.in_azure_ad is False and u.reason == USER_NOT_FOUND]
    # (a redacted name is looked up nowhere: in_azure_ad is None)
    advice = []
    parts = []
    if sooner:
        by = f" up to {human_duration(most)}" if most else ""  # (no times: by how much?)
        count = len(sooner)
        parts.append(f"{count} waiting user{plural(count)} ({some_names(sooner)}){by} sooner")
    if overdue:
        parts.append(f"{len(overdue)} overdue user{plural(len(overdue))} ({some_names(overdue)})")
    if parts and cloud is None:
        advice.append(
            Advice(
                "restart_sms_executive",
                "Restart the SMS Executive service on the site server with the service "
                f"connection point to force a full sync: it would retry {' and '.join(parts)}.",
            )
        )
    elif parts:
        # the export's time in the offset of the log's end, as the advice's other times
        zone = analysis.as_of.tzinfo if analysis.as_of is not None else None
        taken = f" (export of {cloud.taken(zone)})" if cloud is not None and cloud.as_of else ""
        advice.append(
            Advice(
                "restart_sms_executive",
                "Restart the SMS Executive service on the site server with the service "
                "connection point now: its full sync would add the users already in Azure AD"
                f"{taken}, {' and '.join(parts)}.",
            )
        )
    if absent:
        count = len(absent)
        advice.append(
            Advice(
                "check_azure_ad_scope",
                f"{count} stuck user{plural(count)} {verb(count, 'is', 'are')} not in Azure AD "
                f"({some_names(absent)}): a restart of SMS Executive will not add "
                f"{verb(count, 'it', 'them')}. Check the DirSync / Azure AD Connect scope and "
                "schedule, and that the on-premises UPN matches the Azure AD UPN.",
            )
        )
    return advice


def certificate_advice(chain: list[Cause]) -> Advice:
    """What to do about a connector waiting for its certificate, from what sibling logs say."""
    where = {cause.kind: f"{base_name(cause.source)}:{cause.line}" for cause in chain}
    if "no_intune_subscription" in where:
        return Advice(
            "link_intune_subscription",
            "Link an Intune subscription to the hierarchy (Administration > Cloud Services > "
            f"Microsoft Intune Subscriptions): the site has none ({where['no_intune_subscription']}"
            "), so Certmgr gets no certificate for the connector, which cannot sync users "
            "without it.",
        )
    failed = f" (it failed to get it, {where['certificate_failed']})" if where else ""
    return Advice(
        "check_certmgr",
        "Check CertMgr.log on the site server: the connector cannot sync users until "
        f"Certmgr installs its certificate{failed}.",
    )


