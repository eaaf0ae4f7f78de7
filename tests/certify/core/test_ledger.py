"""Replaying the ledger's events into the segments every issuance's blocks must hold."""

from __future__ import annotations

import pytest

from certify.core.ledger import Event, ReplayError, Segment, replay
from certify.core.serials import Block

HOLDER, POOL, BUYER = 1, 2, 3


def issued(*events: Event) -> list[Segment]:
    return replay(
        [Event(7, "issue", Block(1, 90), HOLDER), Event(7, "buffer", Block(91, 100), POOL), *events]
    )[7]


def test_an_issuance_replays_to_the_holder_and_the_pool():
    assert issued() == [Segment(Block(1, 90), HOLDER), Segment(Block(91, 100), POOL)]


def test_a_transfer_and_a_retirement_split_the_holding():
    assert issued(
        Event(7, "transfer", Block(81, 90), BUYER),
        Event(7, "retire", Block(1, 10), reference=5),
    ) == [
        Segment(Block(1, 10), HOLDER, retirement=5),
        Segment(Block(11, 80), HOLDER),
        Segment(Block(81, 90), BUYER),
        Segment(Block(91, 100), POOL),
    ]


def test_cancelled_serials_stay_with_their_holder_marked_cancelled():
    assert issued(Event(7, "cancel", Block(86, 90)))[:2] == [
        Segment(Block(1, 85), HOLDER),
        Segment(Block(86, 90), HOLDER, cancelled=True),
    ]


@pytest.mark.parametrize("kind", ["transfer", "retire", "cancel"])
def test_nothing_happens_to_cancelled_serials_again(kind):
    with pytest.raises(ReplayError, match="cancelled serials"):
        issued(Event(7, "cancel", Block(86, 90)), Event(7, kind, Block(90, 90), BUYER, 1))


def test_serials_issued_twice_or_never_are_an_inconsistent_ledger():
    with pytest.raises(ReplayError, match="issued twice"):
        issued(Event(7, "issue", Block(100, 101), HOLDER))
    with pytest.raises(ReplayError, match="never issued"):
        issued(Event(7, "retire", Block(100, 101), reference=1))
