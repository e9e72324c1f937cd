"""The Google benchmark's polls, run small: they still work with the test helpers they share, and each poll
costs the requests the benchmark reports (answers: one list call; comments: one list call per reviewer's copy,
plus one Docs read the first time comments come)."""

from __future__ import annotations

from benchmarks.bench_google import polls_for, print_poll_table


def test_each_poll_costs_one_list_request_for_answers_and_one_per_reviewers_copy(tmp_path, capsys):
    rows = polls_for(tmp_path, 10, lead_reviewers=2)
    costs = {(source, situation): (sum(counts.values()), kept) for source, situation, counts, kept in rows}
    assert costs[("answers", "no new input")] == (1, 0)
    assert costs[("answers", "30 new answers")] == (1, 30)
    assert costs[("comments", "20 new comments (first)")] == (3, 20)
    assert costs[("comments", "20 new comments (second)")] == (2, 20)
    assert costs[("comments", "then no new input")] == (2, 0)
    print_poll_table({(10, 2): rows})
    lines = capsys.readouterr().out.splitlines()[2:]  # after the title and the column heads
    table = dict(line.rsplit(maxsplit=1) for line in lines)
    assert table["answers: 30 new answers"] == "1" and table["comments: 20 new comments (first)"] == "3"
