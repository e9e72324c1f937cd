"""Writing the documents does no work twice: drafting the terms of reference reads the members' input once
and renders each document once, and the evidence it writes beside the draft is the evidence written alone."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scr.bootstrap import backend_for
from scr.config import parse_config, review_from_config
from scr.demo.answers import member_answers
from scr.domain.forms import OTHER, parse_submission
from scr.domain.model import Role
from scr.ports import document_refs
from scr.services import drafting
from scr.settings import Runtime

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


class FixedClock:
    def now(self) -> dt.datetime:
        return NOW


class Counting:
    """Passes every call on to ``inner`` and counts the calls of the methods named."""

    def __init__(self, inner, *names: str):
        self.inner, self.names, self.calls = inner, names, Counter()

    def __getattr__(self, name):
        attribute = getattr(self.inner, name)
        if name not in self.names:
            return attribute

        def counted(*args, **kwargs):
            self.calls[name] += 1
            return attribute(*args, **kwargs)

        return counted


@pytest.fixture
def answered(tmp_path):
    """A review whose members have all answered, its factor summary written."""
    raw = yaml.safe_load((ROOT / "config" / "example-board.yaml").read_text())
    raw["local"] = {"data_dir": str(tmp_path / "data"), "out_dir": str(tmp_path / "OUT")}
    config = parse_config(raw)
    backend = dataclasses.replace(backend_for(Runtime.from_config(config)), clock=FixedClock())
    review = review_from_config(config)
    store, form = backend.store, backend.member_form
    store.create_review(review, config.deadlines.schedule())
    agencies = [o.value for o in form.options_for(form.item("A5"), review.agencies) if o.value != OTHER]
    for i, member in enumerate(review.members):
        store.issue_token(review.review_id, member.email, Role.MEMBER)
        answers = parse_submission(form, member_answers(i, agencies), review.agencies).answers
        store.save_response(review.review_id, member.email, answers, NOW - dt.timedelta(days=1), late=False)
    drafting.write_factor_summary(backend, review.review_id)
    return backend, review.review_id


def test_drafting_reads_the_input_once_and_renders_each_document_once(answered):
    backend, review_id = answered
    store = Counting(backend.store, "latest_responses", "events", "reviewer_inputs")
    renderer = Counting(backend.renderer, "document", "render")
    counted = dataclasses.replace(backend, store=store, renderer=renderer)
    md_path, _ = drafting.draft_terms_of_reference(counted, review_id)
    assert store.calls == Counter(latest_responses=1, events=1, reviewer_inputs=1)
    assert renderer.calls == Counter(document=2)  # the draft and the evidence, each read once into blocks
    assert Path(md_path).name == f"{drafting.TOR_DRAFT}.md"


def test_the_evidence_written_with_the_draft_is_the_evidence_written_alone(answered):
    backend, review_id = answered
    drafting.draft_terms_of_reference(backend, review_id)
    evidence = Path(document_refs(backend.store, review_id, drafting.EVIDENCE)[0])
    with_draft = evidence.read_bytes()
    evidence.unlink()
    drafting.write_qm6_evidence(backend, review_id)
    assert evidence.read_bytes() == with_draft
    assert b"quality marker 6" in with_draft.lower() and len(with_draft) > 1000
