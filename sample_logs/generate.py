"""Write the bundled sample logs (deterministic: same bytes on every run).

    python sample_logs/generate.py

Every sample is SMS trace as the Windows Intune Connector writes it, except `cmtrace/` and
`pasted/`. After changing a sample, regenerate its golden files with
`python tests/golden.py --update` and review the diff.
"""

from __future__ import annotations

import argparse
import gzip
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMPONENT = "SMS_CLOUD_USERSYNC"
WORKER = 5616


@dataclass
class SmsTrace:
    """Collects SMS-trace lines; times are local wall-clock times with a bias (UTC = local + bias)."""

    bias: int
    lines: list[str] = field(default_factory=list)

    def add(
        self, when: datetime, message: str, thread: int = WORKER, component: str = COMPONENT
    ) -> None:
        stamp = when.strftime("%m-%d-%Y %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
        self.lines.append(
            f"{message}  $$<{component}><{stamp}{self.bias:+d}><thread={thread} (0x{thread:X})>"
        )

    def text(self, newline: str = "\r\n") -> str:
        return newline.join(self.lines) + newline


def cycle(
    log: SmsTrace,
    start: datetime,
    requested: list[str],
    failures: dict[str, str],
    received: int | None = None,
    timers: Timers | None = None,
) -> datetime:
    """One connector cycle as the connector logs it; returns the time of its last line.

    Users whose 24 h timer still runs (`timers`) are notified but held back: not counted as
    received (the seed's steady state, `Total received users to add from SCCM = 0`).
    """
    t = start
    step = timedelta(milliseconds=137)
    log.add(t, "Starting user delta sync, raise failure status messages = True")
    t += step
    log.add(t, "Total received users from SCCM to be removed from cloud = 0")
    t += step
    log.add(t, "Successfully removed users from cloud 0")
    for upn in timers.held(start, requested) if timers else []:
        t += timedelta(milliseconds=211)
        log.add(t, f"NotifyAccountAddition - SCCM user to add = {upn}")
    added = 0
    for upn in requested:
        if timers:
            timers.due.pop(upn, None)
        t += timedelta(seconds=3, milliseconds=611)
        log.add(t, f"NotifyAccountAddition - SCCM user to add = {upn}")
        if upn in failures:
            t += step
            log.add(t, f"Failed to add user {upn}; reason {failures[upn]}")
            if timers and failures[upn] == "UserNotFound":
                timers.due[upn] = t + timedelta(hours=24)
        else:
            added += 1
    t += step
    count = len(requested) if received is None else received
    log.add(
        t,
        f"Total received users to add from SCCM = {count}, Total Successfully added users to Cloud = {added if received is None else min(added, received)}",
    )
    t += step
    log.add(
        t,
        f"UserDeltaSync:- Users Added = {added if received is None else min(added, received)}, Users Removed = 0",
    )
    return t


class Timers:
    """Users waiting for their 24 h timer: the connector notifies them in every cycle."""

    def __init__(self) -> None:
        self.due: dict[str, datetime] = {}

    def held(self, start: datetime, requested: list[str]) -> list[str]:
        """Users whose timer still runs at a cycle starting at `start`; a user whose timer ran
        out is no longer notified unless the cycle retries it (`requested`)."""
        self.due = {upn: due for upn, due in self.due.items() if due > start}
        return [upn for upn in self.due if upn not in requested]

    def restarted(self) -> None:
        """The first cycle after a restart is a full sync: every timer is over."""
        self.due.clear()


def startup(log: SmsTrace, when: datetime, thread: int = WORKER) -> None:
    log.add(
        when,
        f"SMS_EXECUTIVE started {COMPONENT} as thread ID {thread} (0x{thread:X}).",
        thread=3604,
    )
    log.add(
        when + timedelta(milliseconds=3),
        "CCloudUserSync::Process - User sync processing has started.",
        thread=thread,
    )


def spec_case() -> str:
    """SPEC §1: scott@contoso.com fails 9/14/2014 10:23:54 EDT and is added 9/15 10:24:12."""
    log = SmsTrace(bias=240)
    first = datetime(2014, 9, 14, 10, 23, 50, 372000)
    # The connector sleeps 5 minutes after each cycle, so cycle starts drift by ~64 ms.
    span_ms = (datetime(2014, 9, 15, 10, 24, 8, 400000) - first) // timedelta(milliseconds=1)
    for k in range(289):
        start = first + timedelta(milliseconds=round(k * span_ms / 288))
        if k == 0:
            log.add(start, "Starting user delta sync, raise failure status messages = True")
            log.add(
                start + timedelta(milliseconds=120),
                "Total received users from SCCM to be removed from cloud = 0",
            )
            log.add(start + timedelta(milliseconds=241), "Successfully removed users from cloud 0")
            fail_at = datetime(2014, 9, 14, 10, 23, 54)
            log.add(fail_at, "NotifyAccountAddition - SCCM user to add = scott@contoso.com")
            log.add(fail_at, "Failed to add user scott@contoso.com; reason UserNotFound")
            log.add(
                fail_at + timedelta(milliseconds=15),
                "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
            )
            log.add(
                fail_at + timedelta(milliseconds=31),
                "UserDeltaSync:- Users Added = 0, Users Removed = 0",
            )
        elif k == 288:
            log.add(start, "Starting user delta sync, raise failure status messages = True")
            log.add(
                start + timedelta(milliseconds=120),
                "Total received users from SCCM to be removed from cloud = 0",
            )
            log.add(start + timedelta(milliseconds=241), "Successfully removed users from cloud 0")
            ok_at = datetime(2014, 9, 15, 10, 24, 12)
            log.add(ok_at, "NotifyAccountAddition - SCCM user to add = scott@contoso.com")
            log.add(
                ok_at + timedelta(milliseconds=411),
                "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
            )
            log.add(
                ok_at + timedelta(milliseconds=425),
                "UserDeltaSync:- Users Added = 1, Users Removed = 0",
            )
        else:
            # Delta syncs keep naming the user but do not try it: received = 0.
            cycle(log, start, ["scott@contoso.com"], {}, received=0)
    return log.text()


def demo() -> str:
    """A day and a half at a Pacific-time site: users synced, recovered, waiting, failed, overdue."""
    log = SmsTrace(bias=480)
    t0 = datetime(2026, 11, 24, 7, 0, 4, 211000)
    startup(log, t0 - timedelta(seconds=9))
    plan: dict[int, tuple[list[str], dict[str, str]]] = {}

    def at(day: int, hour: int, minute: int) -> int:
        return ((day - 24) * 24 * 60 + (hour - 7) * 60 + minute) // 5

    plan[at(24, 7, 40)] = (["carol@contoso.com"], {"carol@contoso.com": "UserNotFound"})
    plan[at(24, 8, 0)] = (["alice@contoso.com", "grace@contoso.com"], {})
    plan[at(24, 8, 20)] = (["ivan@contoso.com"], {"ivan@contoso.com": "UserNotFound"})
    plan[at(24, 10, 5)] = (["heidi@contoso.com"], {"heidi@contoso.com": "UserNotFound"})
    plan[at(24, 13, 15)] = (["dave@contoso.com"], {"dave@contoso.com": "LicenseLimitReached"})
    plan[at(25, 7, 45)] = (["carol@contoso.com"], {})
    plan[at(25, 10, 10)] = (["heidi@contoso.com"], {"heidi@contoso.com": "UserNotFound"})
    plan[at(25, 9, 10)] = (
        ["bob@contoso.com", "Mallory.Admin@Contoso.com"],
        {"bob@contoso.com": "UserNotFound"},
    )
    plan[at(25, 14, 30)] = (["erin@contoso.com"], {"erin@contoso.com": "UserNotFound"})
    last = at(25, 16, 0)
    # Held-back users are notified in every cycle until their timer runs out; ivan's retry
    # never comes (overdue).
    timers = Timers()
    for k in range(last + 1):
        start = t0 + timedelta(minutes=5 * k, milliseconds=(k * 37) % 400)
        requested, failures = plan.get(k, ([], {}))
        end = cycle(log, start, requested, failures, timers=timers)
    # The log ends while a cycle is still adding frank: pending.
    log.add(
        end + timedelta(minutes=4, seconds=50),
        "Starting user delta sync, raise failure status messages = True",
    )
    log.add(
        end + timedelta(minutes=4, seconds=54),
        "NotifyAccountAddition - SCCM user to add = frank@contoso.com",
    )
    return log.text()


def restart_day() -> tuple[str, str]:
    """Two users fail; SMS Executive restarts at 13:00; the full sync adds one, the other fails again."""
    log = SmsTrace(bias=300)
    smsexec = SmsTrace(bias=300)
    t0 = datetime(2026, 3, 2, 8, 0, 1)
    startup(log, t0 - timedelta(seconds=5))
    smsexec.add(
        t0 - timedelta(seconds=5),
        f"{COMPONENT} started, ThreadMain() thread ID = {WORKER}.",
        thread=3604,
        component="SMS_EXECUTIVE",
    )
    failures_at = {
        (9, 0): (["xavier@fabrikam.com"], {"xavier@fabrikam.com": "UserNotFound"}),
        (11, 0): (["yolanda@fabrikam.com"], {"yolanda@fabrikam.com": "UserNotFound"}),
        (11, 30): (["zack@fabrikam.com"], {}),
    }
    timers = Timers()
    t = t0
    while t.hour < 13:
        requested, failures = failures_at.get((t.hour, t.minute), ([], {}))
        cycle(log, t, requested, failures, timers=timers)
        t += timedelta(minutes=5)
    stop = datetime(2026, 3, 2, 12, 59, 40)
    log.add(stop, f"{COMPONENT} is stopping...", thread=WORKER)
    smsexec.add(
        stop,
        f'STATMSG: ID=501 SEV=I LEV=M SOURCE="SMS Server" COMP="{COMPONENT}" SYS=CM01.fabrikam.com SITE=FAB PID=2240 TID={WORKER} GMTDATE=Mon Mar 02 17:59:40.000 2026 ISTR0="" ISTR1="" ISTR2="" ISTR3="" ISTR4="" ISTR5="" ISTR6="" ISTR7="" ISTR8="" ISTR9="" NUMATTRS=0',
        thread=WORKER,
        component="SMS_EXECUTIVE",
    )
    restart = datetime(2026, 3, 2, 13, 0, 12, 500000)
    new_worker = 7012
    smsexec.add(
        restart,
        f"{COMPONENT} started, ThreadMain() thread ID = {new_worker}.",
        thread=3604,
        component="SMS_EXECUTIVE",
    )
    smsexec.add(
        restart + timedelta(milliseconds=9),
        f'STATMSG: ID=500 SEV=I LEV=M SOURCE="SMS Server" COMP="{COMPONENT}" SYS=CM01.fabrikam.com SITE=FAB PID=2240 TID={new_worker} GMTDATE=Mon Mar 02 18:00:12.509 2026 ISTR0="" ISTR1="" ISTR2="" ISTR3="" ISTR4="" ISTR5="" ISTR6="" ISTR7="" ISTR8="" ISTR9="" NUMATTRS=0',
        thread=new_worker,
        component="SMS_EXECUTIVE",
    )
    startup(log, restart, thread=new_worker)
    timers.restarted()
    t = restart + timedelta(seconds=20)
    cycle(
        log,
        t,
        ["xavier@fabrikam.com", "yolanda@fabrikam.com"],
        {"yolanda@fabrikam.com": "UserNotFound"},
        timers=timers,
    )
    t += timedelta(minutes=5)
    while t < datetime(2026, 3, 2, 16, 0):
        cycle(log, t, [], {}, timers=timers)
        t += timedelta(minutes=5)
    return log.text(), smsexec.text()


def rotated() -> tuple[str, str]:
    """A log that hit its size limit: the older half is in .lo_, ending with the rotation marker."""
    log = SmsTrace(bias=-60)
    t0 = datetime(2025, 6, 10, 9, 0, 0)
    startup(log, t0 - timedelta(seconds=4))
    timers = Timers()
    for k in range(30):
        start = t0 + timedelta(minutes=5 * k)
        if k == 3:
            requested, failures = ["jan@example.org"], {"jan@example.org": "UserNotFound"}
        elif k == 20:
            requested, failures = ["kim@example.org", "lea@example.org"], {}
        else:
            requested, failures = [], {}
        cycle(log, start, requested, failures, timers=timers)
    cut = len(log.lines) // 2
    older = "\r\n".join(log.lines[:cut]) + "\r\n<MAXIMUM LOG FILE SIZE REACHED - FILE RENAMED>\r\n"
    newer = "\r\n".join(log.lines[cut:]) + "\r\n"
    return older, newer


def certificate_wait() -> str:
    """The lab's pattern: the connector never syncs; it waits for its certificate and restarts."""
    log = SmsTrace(bias=480)
    t = datetime(2023, 2, 26, 19, 53, 46, 420000)
    threads = (5616, 6020, 4388)
    for index, thread in enumerate(threads):
        startup(log, t, thread=thread)
        for _ in range(3 if index < 2 else 5):
            t += timedelta(milliseconds=1)
            log.add(
                t, "Certmgr has not installed certificate yet, sleep for 1 minutes.", thread=thread
            )
            t += timedelta(minutes=1)
        log.add(t, f"{COMPONENT} is stopping...", thread=thread)
        t += timedelta(minutes=7, seconds=13)
    return log.text()


def cmtrace() -> str:
    """The SPEC §1 story written by a CMTrace-format connector (bias +240, EDT)."""
    out = []

    def rec(when: str, date: str, message: str, kind: int = 1) -> None:
        out.append(
            f'<![LOG[{message}]LOG]!><time="{when}+240" date="{date}" component="{COMPONENT}" '
            f'context="" type="{kind}" thread="{WORKER}" file="cloudusersync.cpp:412">'
        )

    rec(
        "10:23:50.372",
        "9-14-2014",
        "Starting user delta sync, raise failure status messages = True",
    )
    rec("10:23:54.000", "9-14-2014", "NotifyAccountAddition - SCCM user to add = scott@contoso.com")
    rec("10:23:54.000", "9-14-2014", "Failed to add user scott@contoso.com; reason UserNotFound", 3)
    rec(
        "10:23:54.015",
        "9-14-2014",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0",
    )
    rec(
        "10:23:54.020",
        "9-14-2014",
        "Exception while sending status message:\nSystem.TimeoutException: The operation has timed out.\n   at CloudUserSync.Status.Send()",
        2,
    )
    rec(
        "10:28:50.436",
        "9-14-2014",
        "Starting user delta sync, raise failure status messages = True",
    )
    rec(
        "10:24:08.4000000",
        "9-15-2014",
        "Starting user delta sync, raise failure status messages = True",
    )
    rec("10:24:12.000", "9-15-2014", "NotifyAccountAddition - SCCM user to add = scott@contoso.com")
    rec(
        "10:24:12.411",
        "9-15-2014",
        "Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1",
    )
    rec("10:24:12.425", "9-15-2014", "UserDeltaSync:- Users Added = 1, Users Removed = 0")
    return "\n".join(out) + "\n"


PASTED = """\
9/14/2014 10:23:54 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com
                       Failed to add user scott@contoso.com; reason UserNotFound
                       Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 0
9/15/2014 10:24:12 AM  NotifyAccountAddition - SCCM user to add = scott@contoso.com
                       Total received users to add from SCCM = 1, Total Successfully added users to Cloud = 1
                       UserDeltaSync:- Users Added = 1, Users Removed = 0
"""


def write(relative: str, text: str, encoding: str = "utf-8-sig") -> None:
    path = HERE / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))


def main() -> None:
    argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog=f"writes under {HERE}"
    ).parse_args()
    write("CloudUserSync.log", demo())
    write("spec-case/CloudUserSync.log", spec_case())
    cloud, smsexec = restart_day()
    write("restart-day/CloudUserSync.log", cloud)
    write("restart-day/smsexec.log", smsexec)
    older, newer = rotated()
    write("rotated/CloudUserSync.lo_", older)
    write("rotated/CloudUserSync.log", newer)
    write("certificate-wait/CloudUserSync.log", certificate_wait())
    write("cmtrace/CloudUserSync.log", cmtrace(), encoding="utf-16")
    write("pasted/ticket.txt", PASTED, encoding="utf-8")
    # gzip without a timestamp, so the bytes are the same on every run
    (HERE / "spec-case" / "CloudUserSync.log.gz").write_bytes(
        gzip.compress(spec_case().encode("utf-8-sig"), mtime=0)
    )


if __name__ == "__main__":
    main()
