"""Write a large, realistic CloudUserSync.log for benchmarks (deterministic for a given size).

    python bench/generate.py 1000000 bench/data/CloudUserSync-1m.log

SMS trace with CRLF line breaks and a UTF-8 BOM, as the connector writes it: a cycle every
5 minutes, 0–3 users requested per cycle, about 20 % of them failing with UserNotFound, a
few other reasons, status messages and an SMS Executive restart now and then.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

COMPONENT = "SMS_CLOUD_USERSYNC"
TRAILER = "  $$<" + COMPONENT + "><{stamp}+480><thread={thread} (0x{thread:X})>\r\n"


def generate(lines: int, seed: int = 20141914) -> str:
    rng = random.Random(seed)
    users = [f"user{n:05d}@contoso.com" for n in range(20000)]
    out: list[str] = []
    moment = datetime(2025, 1, 6, 0, 0, 1)
    thread = 5616
    written = 0

    def add(message: str, offset_ms: int = 0, on: int | None = None) -> None:
        nonlocal written
        when = moment + timedelta(milliseconds=offset_ms)
        stamp = when.strftime("%m-%d-%Y %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
        out.append(message + TRAILER.format(stamp=stamp, thread=thread if on is None else on))
        written += 1

    def restart() -> None:
        add(f"SMS_EXECUTIVE started {COMPONENT} as thread ID {thread} (0x{thread:X}).", on=3604)
        add("CCloudUserSync::Process - User sync processing has started.", 3)

    restart()
    while written < lines:
        add("Starting user delta sync, raise failure status messages = True")
        add("Total received users from SCCM to be removed from cloud = 0", 120)
        add("Successfully removed users from cloud 0", 241)
        requested = rng.sample(users, rng.choice((0, 0, 1, 1, 2, 3)))
        failed = 0
        for index, upn in enumerate(requested):
            add(f"NotifyAccountAddition - SCCM user to add = {upn}", 3600 + 410 * index)
            roll = rng.random()
            if roll < 0.2:
                add(f"Failed to add user {upn}; reason UserNotFound", 3611 + 410 * index)
                failed += 1
            elif roll < 0.21:
                add(f"Failed to add user {upn}; reason LicenseLimitReached", 3611 + 410 * index)
                failed += 1
        added = len(requested) - failed
        add(
            f"Total received users to add from SCCM = {len(requested)}, "
            f"Total Successfully added users to Cloud = {added}",
            4900,
        )
        add(f"UserDeltaSync:- Users Added = {added}, Users Removed = 0", 4915)
        if rng.random() < 0.002:
            add(
                f'STATMSG: ID=6202 SEV=W LEV=M SOURCE="SMS Server" COMP="{COMPONENT}" '
                f"SYS=CM01.contoso.com SITE=PS1 PID=2240 TID={thread} ISTR0=\"\" NUMATTRS=0",
                4920,
            )
        moment += timedelta(minutes=5, milliseconds=rng.randrange(0, 900))
        if rng.random() < 0.0002:
            thread = rng.randrange(3000, 9000)
            moment += timedelta(seconds=40)
            restart()
    return "\ufeff" + "".join(out[:lines])


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parent / "data" / f"CloudUserSync-{lines}.log"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(generate(lines), encoding="utf-8", newline="")
    print(target)


if __name__ == "__main__":
    main()
