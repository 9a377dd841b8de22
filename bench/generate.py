"""Write a large, realistic CloudUserSync.log for benchmarks (deterministic for a given size).

    python bench/generate.py 1000000 bench/data/CloudUserSync-1m.log
    python bench/generate.py 1000000 out.log --shape many
    python bench/generate.py 36500 bench/data/real-size --split

SMS trace with CRLF line breaks and a UTF-8 BOM, as the connector writes it: a cycle every
5 minutes, 0–3 users requested per cycle, about 20 % of them failing with UserNotFound, a
few other reasons, status messages and an SMS Executive restart now and then.

Shapes: `steady` is the seed's steady state, written by sample_logs/simulate.py: users held
back by their 24 h timer are notified in every cycle (`Total received users to add from SCCM =
0`), retried when it runs out, and SMS Executive restarts now and then; `bench` draws the users
from 20,000 (so most failures are retried and recover), without the held-back notifications;
`many` makes every request a new user, so a fifth of them fail and are never seen again
(hundreds of thousands of users in 1M lines). `--split` writes the lines to a directory as a
rotated pair, the older half as CloudUserSync.lo_ and the newer as CloudUserSync.log, as a
site server keeps them.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

COMPONENT = "SMS_CLOUD_USERSYNC"
TRAILER = "  $$<" + COMPONENT + "><{stamp}+480><thread={thread} (0x{thread:X})>\r\n"


SHAPES = ("steady", "bench", "many")


def steady(lines: int, seed: int = 20141914) -> list[str]:
    """`lines` lines of the seed's steady state (sample_logs/simulate.py)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sample_logs"))
    from simulate import simulate

    hours = lines / 400
    while True:
        history = simulate(hours, seed=seed % 1000)
        if len(history.lines) >= lines:
            return [line + "\r\n" for line in history.lines[:lines]]
        hours *= 1.2 * lines / max(len(history.lines), 1)


def generate(lines: int, seed: int = 20141914, shape: str = "bench") -> list[str]:
    if shape == "steady":
        return steady(lines, seed)
    rng = random.Random(seed)
    users = [f"user{n:05d}@contoso.com" for n in range(20000)]
    newcomers = 0
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
        count = rng.choice((0, 0, 1, 1, 2, 3))
        if shape == "many":
            requested = [f"new{newcomers + n:07d}@contoso.com" for n in range(count)]
            newcomers += count
        else:
            requested = rng.sample(users, count)
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
    return out[:lines]


def write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\ufeff" + "".join(lines), encoding="utf-8", newline="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lines", type=int, nargs="?", default=1_000_000)
    parser.add_argument("target", type=Path, nargs="?")
    parser.add_argument("--shape", choices=SHAPES, default="bench")
    parser.add_argument("--split", action="store_true", help="write a rotated pair into TARGET")
    args = parser.parse_args()
    default = Path(__file__).parent / "data" / f"CloudUserSync-{args.lines}.log"
    target = args.target or default
    lines = generate(args.lines, shape=args.shape)
    if args.split:
        half = len(lines) // 2
        write(target / "CloudUserSync.lo_", lines[:half])
        write(target / "CloudUserSync.log", lines[half:])
    else:
        write(target, lines)
    print(target)


if __name__ == "__main__":
    main()
