"""The waiting benchmark, run small: its invitations and its check still run against the product as it is, and
the check read at once says exactly what reading review by review says (the benchmark asserts that itself)."""

from __future__ import annotations

from benchmarks import bench_waiting


def test_the_invitation_round_takes_two_transactions_where_one_at_a_time_takes_two_a_member(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_waiting, "INVITED", 12)
    _, single_writes, _, round_writes = bench_waiting.invitations(tmp_path)
    assert (single_writes, round_writes) == (24, 2)


def test_one_check_of_waiting_reviews_reads_them_at_once_and_agrees_with_reading_each(tmp_path):
    url = bench_waiting.make_store(tmp_path, 4)
    figures = bench_waiting.run(bench_waiting.CHECK, url, str(tmp_path))
    reviews, due, *seconds, real_due, real = figures
    assert (int(reviews), int(due), int(real_due)) == (4, 0, 0)  # every one invited and checked: none due yet
    assert len(seconds) == 8 and all(float(s) >= 0 for s in [*seconds, real])
