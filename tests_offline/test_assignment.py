"""The agent pool of team assignment (``lib/assignment.py``), without Odoo."""

from lib.assignment import AgentPool


def test_away_and_full_agents_are_skipped():
    pool = AgentPool([1, 2, 3], away={1: "leave"}, load={2: 5, 3: 1}, capacity=5)
    assert pool.least_loaded() == 3
    assert pool.skipped() == [(1, "leave"), (2, "capacity")]
    assert pool.why_not(3) is None


def test_capacity_counts_the_batch():
    pool = AgentPool([1, 2], load={1: 1}, capacity=2)
    given = [pool.take(pool.least_loaded()) for __ in range(4)]
    assert given == [2, 1, 2, None], "the third free slot, then nobody"
    assert pool.skipped() == [(1, "capacity"), (2, "capacity")]


def test_round_robin_passes_to_the_next_free_agent():
    pool = AgentPool([1, 2, 3], away={2: "unavailable"})
    assert [pool.in_turn(turn) for turn in (1, 2, 3, 4)] == [1, 3, 3, 1]


def test_no_limit_and_nobody_free():
    assert not AgentPool([1], load={1: 10**6}).is_full(1)
    pool = AgentPool([1, 2], away={1: "holiday", 2: "holiday"})
    assert pool.in_turn(1) is None
    assert pool.least_loaded() is None
    assert pool.least_loaded([]) is None
