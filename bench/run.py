"""Benchmark every logsync command against lnav and the read floor, on three shapes, in one run.

    python bench/run.py                    # 5 paired runs of each command
    python bench/run.py --repeat 3
    python bench/run.py --baseline HEAD~5  # also: are the JSON outputs byte-identical to that?
    python bench/run.py --python .venv/bin/python   # an interpreter with logsync installed

Unless --python is given, the project is first installed into its own virtualenv under
bench/data/ (a regular `pip install .`, as users have it: bytecode compiled, the native
scanner built when a compiler is there); commands run its `logsync` script. The logs are
written by bench/generate.py:

  real size   the seed's steady state as a rotated pair: 18,500 lines each in .lo_ and .log
  steady 1M   1,000,000 lines of the seed's steady state (held-back users notified in every
              cycle, retried when their timer runs out, restarts now and then)
  many 1M     1,000,000 lines where every request is a new user (a fifth never recover)

On each, `report`, `summary`, `timeline` and `report --now` (the middle of the log) are paired
with lnav's count query on the same files, run A, B, A, B ...; each figure is the median of its
runs, each ratio the median of the per-pair ratios (the machine's speed may drift during the
run). Peak RSS is the largest of the runs. `report` also runs on the pure-Python scanner
(LOGSYNC_PURE=1), and `events` and `report` of steady 1M are paired with the floor: a Python
loop that only reads the lines. Every format and filter of `events` is paired with `events
--format ndjson` on the same log, and `report` of one export given twice with `report` of it
once, and `report` and `events` of two exports that overlap with the log of their span. With
--baseline REV, every command (and the pure `report`) is also paired with REV's
own on the same files, and its JSON compared with REV's. Prints a Markdown table and each
target of the performance issues as met or NOT MET, with its figure.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
LNAV_FORMAT = HERE / "lnav" / "sms_trace.json"
LNAV_QUERY = ";SELECT count(*) AS failures FROM sms_trace_log WHERE log_body LIKE '%Failed to add user%'"
BASELINE_NOISE = 1.05
"""A command is as fast as the baseline's when the median of their paired ratios is at most
this: on a shared 2-CPU machine, `summary` of many 1M paired with itself (7 pairs) gave a
median of 1.04 (0.97 to 1.12)."""
FLOOR = "import sys\nfor line in open(sys.argv[1], encoding='utf-8-sig'): pass"
TRAILER_TIME = re.compile(r"<(\d\d)-(\d\d)-(\d{4}) (\d\d:\d\d:\d\d)")


def generate(target: Path, lines: int, *options: str) -> Path:
    if not target.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(lines), str(target), *options],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return target


def install(venv: Path, revision: str | None = None) -> str:
    """A virtualenv with a regular install of this tree (or of `revision`); its logsync."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    with tempfile.TemporaryDirectory() as scratch:  # a clean copy: no stale build/ is reused
        if revision is None:
            files = subprocess.run(
                ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
            ).stdout.split(b"\0")
            for name in filter(None, files):
                source, copy = ROOT / name.decode(), Path(scratch) / name.decode()
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, copy)
        else:
            archive = subprocess.run(
                ["git", "archive", revision], cwd=ROOT, check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", scratch], input=archive, check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--force-reinstall", "--no-deps", scratch],
            check=True,
        )
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", scratch], check=True)
    return str(venv / "bin" / "logsync")


def run_once(command: list[str], env: dict[str, str] | None) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run, output discarded."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(command)} exited {code}")
    return elapsed, usage.ru_maxrss / 1024


class Pair:
    """A command and its yardstick, run in turn."""

    def __init__(self, name: str, command: list[str], env: dict[str, str] | None,
                 yardstick: list[str], yardstick_env: dict[str, str] | None,
                 label: str | None = None) -> None:
        self.name = name
        self.label = label or ("lnav" if yardstick[0] == "lnav" else "read floor")
        self.runs: list[tuple[float, float]] = []
        self.yardstick_runs: list[tuple[float, float]] = []
        self.command, self.env = command, env
        self.yardstick, self.yardstick_env = yardstick, yardstick_env

    def measure(self, repeat: int) -> None:
        run_once(self.command, self.env)  # warm the page cache and the bytecode
        run_once(self.yardstick, self.yardstick_env)
        for _ in range(repeat):
            self.runs.append(run_once(self.command, self.env))
            self.yardstick_runs.append(run_once(self.yardstick, self.yardstick_env))

    @property
    def seconds(self) -> float:
        return statistics.median(t for t, _ in self.runs)

    @property
    def yardstick_seconds(self) -> float:
        return statistics.median(t for t, _ in self.yardstick_runs)

    @property
    def ratio(self) -> float:
        pairs = zip(self.runs, self.yardstick_runs, strict=True)
        return statistics.median(a / b for (a, _), (b, _) in pairs)

    @property
    def rss(self) -> float:
        return max(m for _, m in self.runs)

    @property
    def yardstick_rss(self) -> float:
        return max(m for _, m in self.yardstick_runs)


def lnav_env() -> dict[str, str] | None:
    if shutil.which("lnav") is None:
        return None
    home = tempfile.mkdtemp(prefix="logsync-bench-lnav-")
    env = {**os.environ, "HOME": home}
    subprocess.run(["lnav", "-i", str(LNAV_FORMAT)], env=env, check=True, capture_output=True)
    return env


def middle_time(files: list[str]) -> str:
    """The time of the record in the middle of the inputs, for `--now` (as logged)."""
    path = Path(files[len(files) // 2] if len(files) > 1 else files[0])
    with open(path, "rb") as handle:
        handle.seek(path.stat().st_size // (2 if len(files) == 1 else 4))
        handle.readline()
        found = TRAILER_TIME.search(handle.readline().decode("utf-8"))
    assert found is not None, path
    month, day, year, clock = found.groups()
    return f"{year}-{month}-{day}T{clock}"


def a_user(files: list[str]) -> str:
    """A user that fails in the log, to follow with `timeline`."""
    with open(files[-1], encoding="utf-8-sig") as handle:
        for line in handle:
            if line.startswith("Failed to add user "):
                return line[len("Failed to add user ") : line.index(";")]
    raise SystemExit(f"no failure in {files[-1]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--python", help="an interpreter with logsync installed")
    parser.add_argument("--baseline", metavar="REV",
                        help="also time every command against REV's, paired, and compare the "
                        "JSON outputs with REV's")
    args = parser.parse_args()
    logsync = (
        str(Path(args.python).with_name("logsync")) if args.python else install(DATA / "venv")
    )
    real = generate(DATA / "steady-real-size", 37_000, "--shape", "steady", "--split")
    shapes = {
        "real size": [str(real / "CloudUserSync.lo_"), str(real / "CloudUserSync.log")],
        "steady 1M": [str(generate(DATA / "steady-1000000.log", 1_000_000, "--shape", "steady"))],
        "many 1M": [str(generate(DATA / "many-1000000.log", 1_000_000, "--shape", "many"))],
    }
    lnav = lnav_env()
    if lnav is None:
        raise SystemExit("lnav is needed for the comparison (apt-get install lnav)")
    native = {**os.environ, "LOGSYNC_PURE": ""}
    pure = {**os.environ, "LOGSYNC_PURE": "1"}
    version = subprocess.run(
        [logsync, "--version"], env=native, capture_output=True, text=True, check=True
    ).stdout.strip()

    def commands(files: list[str]) -> dict[str, list[str]]:
        return {
            "report": [logsync, "report", "--format", "json", *files],
            "summary": [logsync, "summary", "--format", "json", *files],
            "timeline": [logsync, "timeline", a_user(files), "--format", "json", *files],
            "report --now": [logsync, "report", "--format", "json", "--now", middle_time(files),
                             *files],
        }

    pairs = []

    def each_command(yardstick: Callable[[list[str], list[str]], list[str]],
                     yardstick_env: dict[str, str] | None, label: str | None = None) -> None:
        """Every command on every shape, and the pure `report`, paired with `yardstick` (of the
        command and its files), run in `yardstick_env` (None: the command's own)."""
        for shape, files in shapes.items():
            runs = [(name, command, native) for name, command in commands(files).items()]
            runs.append(("pure: report", commands(files)["report"], pure))
            for name, command, env in runs:
                pairs.append(Pair(f"{name}, {shape}", command, env, yardstick(command, files),
                                  env if yardstick_env is None else yardstick_env, label))

    each_command(lambda command, files: ["lnav", "-n", "-c", LNAV_QUERY, *files], lnav)
    steady = shapes["steady 1M"][0]
    ndjson = [logsync, "events", "--format", "ndjson"]
    pairs.append(Pair("events ndjson, steady 1M", [*ndjson, steady],
                      native, [sys.executable, "-c", FLOOR, steady], None))
    # issue 26: `report` on 1M lines of the steady state within 3× of the read floor
    pairs.append(Pair("report (to the read floor), steady 1M", commands([steady])["report"],
                      native, [sys.executable, "-c", FLOOR, steady], None))
    # every format and filter of `events` against its ndjson, on two shapes (issue 26: ≤ 1.3×)
    for shape in ("steady 1M", "many 1M"):
        log = shapes[shape][0]
        for name, options in (
            ("csv", ["--format", "csv"]),
            ("text", ["--format", "text"]),
            ("ndjson --since --user", ["--format", "ndjson", "--since", middle_time([log]),
                                       "--user", "*a*"]),
            ("csv --until --kind", ["--format", "csv", "--until", middle_time([log]),
                                    "--kind", "user_add_failed", "--kind", "sync_started"]),
        ):
            pairs.append(Pair(f"events {name}, {shape}", [logsync, "events", *options, log],
                              native, [*ndjson, log], native, "events ndjson"))
    # against the baseline, in the same run: the ratios to lnav drift with the machine, these
    # do not (both sides run on the same machine, in turn)
    baseline = install(DATA / "baseline-venv", args.baseline) if args.baseline else None
    if baseline is not None:
        each_command(lambda command, files: [baseline, *command[1:]], None, args.baseline)
    # the same export given twice is read once (issue 26: ≤ 1.2× one)
    copy = DATA / "steady-1000000-copy.log"
    if not copy.exists():
        shutil.copyfile(steady, copy)
    pairs.append(Pair("report, the export twice, steady 1M", [*commands([steady])["report"], str(copy)],
                      native, commands([steady])["report"], native, "report, once"))
    # two exports of one log that overlap (lines 1 to 600,000 and 400,001 to 1,000,000): the
    # later begins with the bytes the earlier ends with, read for their counts only
    exports = [DATA / "steady-export-1.log", DATA / "steady-export-2.log"]
    if not all(export.exists() for export in exports):  # (line by line: the commands run
        # from this process inherit its peak RSS, so it never holds a log)
        with open(steady, "rb") as log, open(exports[0], "wb") as one, open(exports[1], "wb") as two:
            for number, line in enumerate(log):
                if number < 600_000:
                    one.write(line)
                if number >= 400_000:
                    two.write(line)
    for name, command in (("report", commands([steady])["report"]),
                          ("events ndjson", [*ndjson, steady])):
        pairs.append(Pair(f"{name}, two exports that overlap, steady 1M",
                          [*command[:-1], *map(str, exports)], native, command, native,
                          f"{name}, the log"))
    for pair in pairs:
        pair.measure(args.repeat)

    print(f"{version}; {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}; "
          f"median of {args.repeat} paired runs")
    print()
    print("| run | logsync s | yardstick | yardstick s | ratio | peak RSS MB |")
    print("|---|---:|---|---:|---:|---:|")
    for pair in pairs:
        print(f"| {pair.name} | {pair.seconds:.2f} | {pair.label} | {pair.yardstick_seconds:.2f} "
              f"| {pair.ratio:.2f} | {pair.rss:.0f} |")
    print()
    by_name = {pair.name: pair for pair in pairs if pair.label != args.baseline}
    checks = []
    for shape in shapes:
        for name in ("report", "summary", "timeline", "report --now"):
            pair = by_name[f"{name}, {shape}"]
            checks.append((f"{name} ≤ 1.0× lnav, {shape}", pair.ratio <= 1.0,
                           f"{pair.ratio:.2f}× lnav"))
        report = by_name[f"report, {shape}"]
        for name in ("summary", "timeline", "report --now"):
            ratio = by_name[f"{name}, {shape}"].seconds / report.seconds
            checks.append((f"{name} ≤ 1.2× report, {shape}", ratio <= 1.2, f"{ratio:.2f}× report"))
        rss = max(by_name[f"{name}, {shape}"].rss for name in ("report", "summary", "timeline"))
        checks.append((f"peak RSS ≤ 100 MB, {shape}", rss <= 100, f"{rss:.0f} MB"))
    for pair in pairs:
        if pair.label == "read floor" and pair.name.startswith("report"):
            checks.append((f"{pair.name} ≤ 3× the read floor", pair.ratio <= 3.0,
                           f"{pair.ratio:.2f}×"))
        elif pair.label == "events ndjson":
            checks.append((f"{pair.name} ≤ 1.3× events ndjson", pair.ratio <= 1.3,
                           f"{pair.ratio:.2f}×"))
        elif pair.label == "report, once":
            checks.append((f"{pair.name} ≤ 1.2× once", pair.ratio <= 1.2, f"{pair.ratio:.2f}×"))
        elif pair.label.endswith(", the log"):  # (1.2 M lines read for 1 M: at most 1.6× it)
            checks.append((f"{pair.name} ≤ 1.6× the log of their span", pair.ratio <= 1.6,
                           f"{pair.ratio:.2f}×"))
        elif pair.label == args.baseline:
            checks.append((f"{pair.name} ≤ {BASELINE_NOISE}× {args.baseline}",
                           pair.ratio <= BASELINE_NOISE, f"{pair.ratio:.2f}×, peak RSS "
                           f"{pair.rss:.0f} MB ({args.baseline}: {pair.yardstick_rss:.0f} MB)"))
    if baseline is not None:
        for shape, files in shapes.items():
            for name in ("report", "summary", "timeline"):
                for scanner, env in (("native", native), ("pure", pure)):
                    command = commands(files)[name]
                    ours = subprocess.run(command, env=env, capture_output=True).stdout
                    theirs = subprocess.run([baseline, *command[1:]], env=env, capture_output=True).stdout
                    checks.append((f"{name} JSON as {args.baseline}'s, {shape}, {scanner}",
                                   ours == theirs, f"{len(ours):,} bytes"))
    for name, met, detail in checks:
        print(f"{'met    ' if met else 'NOT MET'}  {name}: {detail}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
