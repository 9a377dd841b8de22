"""Connector health: cycles, restarts, per-day counts, findings with evidence, and advice.

Like the tracker it is pure: `collector` is fed the tracker's rows in order, then asked to
conclude; `findings` and `advice` draw the conclusions; `summary` holds what they conclude.
"""

from ..cloud import UNROUTABLE_SUFFIXES, unroutable_suffix
from .advice import (
    DIRECTORY_SYNC_DEFAULTS,
    certificate_advice,
    dirsync_advice,
    next_step,
    restart_advice,
)
from .collector import HEALTH_KINDS, MAX_MARKS, HealthCollector
from .findings import unreconciled_finding
from .summary import MAX_EVIDENCE, Advice, DayCounts, Evidence, Finding, Mark, Summary

__all__ = [
    "DIRECTORY_SYNC_DEFAULTS",
    "HEALTH_KINDS",
    "MAX_EVIDENCE",
    "MAX_MARKS",
    "UNROUTABLE_SUFFIXES",
    "Advice",
    "DayCounts",
    "Evidence",
    "Finding",
    "HealthCollector",
    "Mark",
    "Summary",
    "certificate_advice",
    "dirsync_advice",
    "next_step",
    "restart_advice",
    "unreconciled_finding",
    "unroutable_suffix",
]
