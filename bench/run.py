"""Benchmark logsync against the floor (reading the file in Python) and lnav, in one run.

    python bench/run.py                  # 1M-line and 100k-line logs, 5 runs each
    python bench/run.py --repeat 3 --lines 200000

Prints medians, ratios to the floor and to lnav (when installed), peak RSS, the time to the
first ndjson event on a pipe, and whether each target of the performance issue is met.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LNAV_FORMAT = HERE / "lnav" / "sms_trace.json"
LNAV_QUERY = ";SELECT count(*) AS failures FROM sms_trace_log WHERE log_body LIKE '%Failed to add user%'"
FLOOR = "import sys\nfor line in open(sys.argv[1], encoding='utf-8-sig'): pass"


def ensure_log(lines: int) -> Path:
    path = HERE / "data" / f"CloudUserSync-{lines}.log"
    if not path.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(lines), str(path)], check=True)
    return path


def run_once(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run, output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def measure(command: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    runs = [run_once(command, env) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def first_event_latency(path: Path) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "logsync", "events", "--format", "ndjson", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdout is not None
    process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.kill()
    process.wait()
    return elapsed


def lnav_env() -> dict[str, str] | None:
    if shutil.which("lnav") is None:
        return None
    home = tempfile.mkdtemp(prefix="logsync-bench-lnav-")
    env = {**os.environ, "HOME": home}
    subprocess.run(["lnav", "-i", str(LNAV_FORMAT)], env=env, check=True, capture_output=True)
    return env


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    big, small = ensure_log(args.lines), ensure_log(args.small)
    python = sys.executable
    logsync = [python, "-m", "logsync"]
    rows: dict[str, tuple[float, float]] = {}
    rows["floor (python read loop)"] = measure([python, "-c", FLOOR, str(big)], args.repeat)
    env = lnav_env()
    if env is not None:
        rows["lnav count of failures"] = measure(["lnav", "-n", "-c", LNAV_QUERY, str(big)], args.repeat, env)
    rows["logsync report --format json"] = measure([*logsync, "report", "--format", "json", str(big)], args.repeat)
    rows["logsync events --format ndjson"] = measure([*logsync, "events", "--format", "ndjson", str(big)], args.repeat)
    rows[f"logsync report, {args.small} lines"] = measure(
        [*logsync, "report", "--format", "json", str(small)], args.repeat
    )
    latency = statistics.median(first_event_latency(big) for _ in range(args.repeat))

    floor = rows["floor (python read loop)"][0]
    lnav = rows.get("lnav count of failures", (None, None))[0]
    size_mb = big.stat().st_size / 1e6
    print(f"{args.lines} lines ({size_mb:.0f} MB), median of {args.repeat} runs; "
          f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    print()
    print("| run | median s | × floor | × lnav | peak RSS MB |")
    print("|---|---:|---:|---:|---:|")
    for name, (seconds, rss) in rows.items():
        vs_lnav = f"{seconds / lnav:.2f}" if lnav else "-"
        print(f"| {name} | {seconds:.2f} | {seconds / floor:.1f} | {vs_lnav} | {rss:.0f} |")
    print(f"| first ndjson event on a pipe | {latency:.2f} | | | |")
    print()
    report, report_rss = rows["logsync report --format json"]
    events = rows["logsync events --format ndjson"][0]
    small_rss = rows[f"logsync report, {args.small} lines"][1]
    checks = [
        ("report ≤ lnav", lnav is None or report <= lnav, f"{report / lnav:.2f}× lnav" if lnav else "lnav not installed"),
        ("report ≤ 5× floor", report <= 5 * floor, f"{report / floor:.1f}× floor"),
        ("events ≤ 15× floor", events <= 15 * floor, f"{events / floor:.1f}× floor"),
        ("peak RSS ≤ 100 MB", report_rss <= 100, f"{report_rss:.0f} MB"),
        ("RSS ≤ 1.3× the small log's", report_rss <= 1.3 * small_rss, f"{report_rss / small_rss:.2f}×"),
        ("first event ≤ 0.3 s", latency <= 0.3, f"{latency:.2f} s"),
    ]
    for name, met, detail in checks:
        print(f"{'met    ' if met else 'NOT MET'}  {name}: {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
