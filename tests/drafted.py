"""A review waiting for the board's decisions, on the local backend: for the tests of `scr decide` and of the
business manager's page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from scr.bootstrap import backend_for
from scr.config import parse_config, review_from_config
from scr.domain.model import Stage
from scr.services import advancing, steering
from scr.settings import Runtime
from tests.samples import sample_reviewer_inputs

ROOT = Path(__file__).resolve().parents[1]


def drafted_review(tmp_path: Path):
    """A review waiting for the board: members' input closed early, the lead reviewers' input in, the draft written."""
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT")}
    config_path = tmp_path / "board.yaml"
    config_path.write_text(yaml.safe_dump(raw))
    config = parse_config(raw)
    backend = backend_for(Runtime.from_config(config))
    review = review_from_config(config)
    backend.store.create_review(review, config.deadlines.schedule())
    advancing.advance(backend, review.review_id)
    steering.close_member_input_early(backend, review.review_id, review.business_manager.email)
    assert advancing.advance(backend, review.review_id) is Stage.WITH_REVIEWERS
    at = backend.clock.now()
    for given in sample_reviewer_inputs(review):  # Jane proposes a method; both comment and complete
        for comment in given.comments:
            backend.store.add_reviewer_comment(review.review_id, dataclasses.replace(comment, created_at=at))
        for proposal_id, text in given.proposals.items():
            backend.store.set_proposal(review.review_id, given.reviewer.email, proposal_id, text, at)
        backend.store.mark_reviewer_complete(review.review_id, given.reviewer.email, at)
    assert advancing.advance(backend, review.review_id) is Stage.DRAFTED
    return config_path, backend, review
