"""The collector is kept out of the way while rows are fed (`logsync.memory`), and put back as
the caller had it: on or off, and with the objects it froze still frozen."""

from __future__ import annotations

import gc

import pytest

from logsync.memory import fewer_collections, no_collections


@pytest.fixture
def collector_as_found():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("collector_as_found")
@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_while_rows_are_fed_and_as_before_after(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    with fewer_collections():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("a reading that fails")
    assert gc.isenabled() is enabled


@pytest.mark.usefixtures("collector_as_found")
def test_what_the_feed_kept_moves_to_the_oldest_generation_and_nothing_stays_frozen() -> None:
    """(The collector is off around the block too: no collection moves anything after it.)"""
    gc.collect()
    gc.disable()
    with fewer_collections():
        kept = [[n] for n in range(20_000)]
        assert gc.get_count()[0] >= 20_000
    oldest = {id(found) for found in gc.get_objects(generation=2)}
    assert id(kept[0]) in oldest and id(kept[-1]) in oldest
    assert gc.get_count()[0] < 1_000 and gc.get_freeze_count() == 0


@pytest.mark.usefixtures("collector_as_found")
def test_objects_a_caller_froze_stay_frozen() -> None:
    """A server that froze its objects before forking keeps them frozen (copy-on-write)."""
    frozen = [[n] for n in range(10_000)]
    gc.freeze()
    before = gc.get_freeze_count()
    assert before >= 10_000
    with fewer_collections():
        pass
    assert gc.get_freeze_count() == before
    with no_collections():
        pass
    assert gc.get_freeze_count() == before and frozen


def test_users_that_fail_for_one_reason_share_its_text() -> None:
    """Each failure line gives its reason as a new string; a user keeps the one shared text (a
    log of 38,000 users held back kept 38,000 copies of `UserNotFound`: 2 MB)."""
    from logsync import analyze

    from .conftest import SAMPLES

    tracker = analyze([str(SAMPLES / "CloudUserSync.log")]).tracker
    reasons = [user.reason for user in tracker.users.values() if user.reason == "UserNotFound"]
    assert len(reasons) == 5
    assert all(reason is reasons[0] for reason in reasons)
