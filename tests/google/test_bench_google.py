"""The Google benchmark's polls, run small: they still work with the test helpers they share, and each poll
costs the requests the benchmark reports (one list call, plus one Docs read the first time comments come)."""

from __future__ import annotations

from benchmarks.bench_google import polls_for


def test_each_poll_of_a_small_review_costs_one_list_request(tmp_path):
    rows = polls_for(tmp_path, 10)
    costs = {(source, situation): (sum(counts.values()), kept) for source, situation, counts, kept in rows}
    assert costs[("answers", "no new input")] == (1, 0)
    assert costs[("answers", "30 new answers")] == (1, 30)
    assert costs[("comments", "20 new comments (first)")] == (2, 20)
    assert costs[("comments", "20 new comments (second)")] == (1, 20)
    assert costs[("comments", "then no new input")] == (1, 0)
