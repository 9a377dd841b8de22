"""Golden files: each sample's event stream and report, kept next to the sample.

python tests/golden.py            # check (what the test suite does)
python tests/golden.py --update   # rewrite them after a deliberate change; review the diff
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logsync.analysis import analyze  # noqa: E402
from logsync.health import HealthCollector  # noqa: E402
from logsync.pipeline import EventStream  # noqa: E402
from logsync.render import Display  # noqa: E402
from logsync.render.facts import summary_document  # noqa: E402
from logsync.render.machine import EventEncoder, report_document  # noqa: E402

EVENT_SAMPLES = (
    "sample_logs/CloudUserSync.log",
    "sample_logs/spec-case/CloudUserSync.log",
    "sample_logs/restart-day/CloudUserSync.log",
    "sample_logs/restart-day/smsexec.log",
    "sample_logs/rotated/CloudUserSync.lo_",
    "sample_logs/rotated/CloudUserSync.log",
    "sample_logs/certificate-wait/CloudUserSync.log",
    "sample_logs/cmtrace/CloudUserSync.log",
    "sample_logs/pasted/ticket.txt",
)
REPORT_SAMPLES = (
    ("sample_logs/CloudUserSync.log",),
    ("sample_logs/spec-case",),
    ("sample_logs/restart-day/CloudUserSync.log", "sample_logs/restart-day/smsexec.log"),
    ("sample_logs/rotated",),
    ("sample_logs/cmtrace",),
    ("sample_logs/pasted/ticket.txt",),
)
"""Inputs of each report; the golden file goes beside the first (or in it, for a directory)."""
SUMMARY_SAMPLES = (
    ("sample_logs/CloudUserSync.log",),
    ("sample_logs/certificate-wait",),
    ("sample_logs/restart-day/CloudUserSync.log", "sample_logs/restart-day/smsexec.log"),
)


def events_ndjson(sample: str) -> str:
    encode = EventEncoder(Display()).encode
    return "".join(encode(event) + "\n" for event in EventStream([sample]))


def report_json(samples: tuple[str, ...]) -> str:
    analysis = analyze(list(samples))
    document = report_document(analysis, analysis.users, analysis.result.counts, Display())
    return json.dumps(document, indent=2) + "\n"


def summary_json(samples: tuple[str, ...]) -> str:
    collector = HealthCollector()
    analysis = analyze(list(samples), collector=collector)
    document = summary_document(collector.summarize(analysis), Display())
    return json.dumps(document, indent=2) + "\n"


def golden_path(sample: str, suffix: str) -> Path:
    path = ROOT / sample
    if path.is_dir():
        return path / suffix.lstrip(".")
    return path.with_name(path.name + suffix)


def _report_path(samples: tuple[str, ...], what: str = "report") -> Path:
    if len(samples) > 1:
        return (ROOT / samples[0]).parent / f"{what}.json"
    return golden_path(samples[0], f".{what}.json")


def cases() -> list[tuple[str, Path, str]]:
    """(sample, golden file, what the code makes of the sample now)."""
    os.chdir(ROOT)
    made = [(s, golden_path(s, ".events.ndjson"), events_ndjson(s)) for s in EVENT_SAMPLES]
    made += [(" ".join(s), _report_path(s), report_json(s)) for s in REPORT_SAMPLES]
    made += [
        (" ".join(s), _report_path(s, "summary"), summary_json(s)) for s in SUMMARY_SAMPLES
    ]
    return made


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Check the golden files next to the samples (exit 1 where one differs)."
    )
    parser.add_argument(
        "--update", action="store_true", help="rewrite them (after a deliberate change)"
    )
    update = parser.parse_args().update
    stale = 0
    for sample, path, text in cases():
        if update:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale += 1
            print(f"differs: {path.relative_to(ROOT)} (from {sample})")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
