"""A user's compact JSON is built by hand (`render.users.user_json`): it is, byte for byte, what
`json.dumps` writes of the user's record, for every user of the samples in any zone shown and
for any text a log may hold; and a report written in batches of users is the whole document."""

from __future__ import annotations

import io
import json
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logsync import analyze
from logsync.render import Display
from logsync.render.machine import report_document, state_counts, user_record, write_report_json
from logsync.render.users import InstantTexts, user_json
from logsync.times import NO_TIMES, parse_zone
from logsync.tracker import STATES, UserState, ZoneTable

from .conftest import SAMPLES


def dumped(record: object) -> str:
    return json.dumps(record, separators=(",", ":"))


@pytest.mark.parametrize("tz", [None, "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize(
    ("sample", "extra"),
    [
        ("CloudUserSync.log", {}),
        ("CloudUserSync.log", {"cloud": True}),
        ("restart-day", {"restart_at": "2026-03-02T12:00:00-05:00"}),
        ("rotated", {}),
        ("pasted/ticket.txt", {}),
        ("blog", {}),
    ],
)
def test_each_user_of_the_samples_is_written_as_json_dumps_writes_its_record(
    sample: str, extra: dict[str, object], tz: str | None, tmp_path: Path
) -> None:
    from logsync.cloud import read_cloud_users
    from logsync.times import parse_when

    path = SAMPLES / sample
    if sample == "blog":  # no times at all: every time is null
        from .test_as_pasted import BLOG_QUOTES

        path = tmp_path / "quotes.txt"
        path.write_text(BLOG_QUOTES, encoding="utf-8")
    options: dict[str, object] = {}
    if extra.get("cloud"):
        options["cloud"] = read_cloud_users(str(SAMPLES / "azure-ad-users.csv"))
    if "restart_at" in extra:
        options["restart_at"] = parse_when(str(extra["restart_at"]), "--restart-at")
    analysis = analyze([str(path)], **options)  # type: ignore[arg-type]
    display = Display(tz=parse_zone(tz, "--tz") if tz else None)
    texts = InstantTexts(display)
    assert len(analysis.users) >= 1
    for user in analysis.users:
        assert user_json(user, texts) == dumped(user_record(user, display)), user.upn


PACIFIC_SUMMER, PACIFIC_WINTER = timezone(timedelta(hours=-7)), timezone(timedelta(hours=-8))
TABLES = [
    ZoneTable([0], [PACIFIC_SUMMER]),
    ZoneTable([0], [None]),
    ZoneTable([0, 1_793_000_000_000_000], [PACIFIC_SUMMER, PACIFIC_WINTER]),
    ZoneTable([0], [NO_TIMES]),
]
texts_a_log_may_hold = st.text(st.characters(codec="utf-8"), max_size=12)
instants = st.one_of(st.none(), st.integers(1_700_000_000_000_000, 1_900_000_000_000_000))
seconds = st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False), st.integers(-10**9, 10**9))
any_seconds = st.one_of(seconds, st.sampled_from([float("nan"), float("inf"), -float("inf"), -0.0]))


@given(
    upn=st.one_of(texts_a_log_may_hold, st.just("zed@contoso.com"), st.just("<UPN of User>")),
    state=st.sampled_from(STATES),
    reason=st.one_of(st.none(), texts_a_log_may_hold),
    counts=st.tuples(*[st.integers(0, 10**6)] * 3),
    flags=st.tuples(st.booleans(), st.booleans()),
    words=st.tuples(*[st.sampled_from([None, "timer", "restart", "latest", "undetermined"])] * 3),
    remaining=any_seconds,  # (`time_saved_s` is a number or none: `render.number` of nan raises)
    saved=seconds,
    in_azure_ad=st.sampled_from([None, True, False]),
    moments=st.tuples(*[instants] * 9),
    table=st.sampled_from(TABLES),
    tz=st.sampled_from([None, timezone.utc]),
)
def test_any_user_is_written_as_json_dumps_writes_its_record(
    upn, state, reason, counts, flags, words, remaining, saved, in_azure_ad, moments, table, tz
) -> None:
    failures, requests, skipped = counts
    observed, before_input = flags
    recovery_by, bound, pending_reason = words
    user = UserState(
        upn=upn, state=state, reason=reason, failures=failures,
        expected_recovery_observed=observed, recovery_by=recovery_by,
        seconds_remaining=remaining, requests=requests, skipped=skipped, time_saved_s=saved,
        failure_source=None, failure_line=None, instants=moments, zones=table,
        before_input=before_input, bound=bound, pending_reason=pending_reason,
        in_azure_ad=in_azure_ad,
    )  # fmt: skip
    display = Display(tz=tz)
    assert user_json(user, InstantTexts(display)) == dumped(user_record(user, display))


@pytest.mark.parametrize("count", [0, 1, 511, 512, 513, 1024, 1025])
def test_a_report_written_in_batches_of_users_is_the_whole_document(count: int) -> None:
    """The users are written 512 at a time: the document is the same at each boundary."""
    analysis = analyze([str(SAMPLES / "CloudUserSync.log")])
    users = (analysis.users * (count // len(analysis.users) + 1))[:count]
    document = report_document(analysis, [], state_counts(users), Display())
    out = io.StringIO()
    write_report_json(document, users, Display(), out)
    whole = report_document(analysis, users, state_counts(users), Display())
    assert out.getvalue() == dumped(whole) + "\n"
