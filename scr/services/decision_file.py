"""The board's decisions as a YAML file, for `scr decide CONFIG FILE.yaml`: read one (naming any problem by
field), or write a starting file pre-filled from the evidence, as the web page is."""

from __future__ import annotations

from pathlib import Path

import yaml

from scr.domain.decision_input import parse_record
from scr.domain.decisions import DecisionRecord, DecisionRecordRefused, open_proposals
from scr.domain.rationale import leading_options
from scr.services.backend import Backend
from scr.services.drafting import assemble

HEADER = """\
# The board's decisions on {review_id} ({child}). Fill in every "reasons" in the board's own words, check
# each option and factor (pre-filled from members' input as a starting point), say how each lead reviewer's
# proposal was taken (adopted, adapted or not adopted, with a reason unless adopted), then run:
#   scr decide CONFIG {name}
"""


def read_decision_file(backend: Backend, review_id: str, path: Path, recorded_by: str) -> DecisionRecord:
    """A decision record from ``path``; ``DecisionRecordRefused`` names the file's problems by field."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DecisionRecordRefused(review_id, [(str(path), "no such file; write one with --template")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "problem", None) or type(exc).__name__
        mark = getattr(exc, "problem_mark", None)
        where = f"{path} line {mark.line + 1}" if mark is not None else str(path)
        raise DecisionRecordRefused(review_id, [(where, f"not valid YAML ({reason})")]) from None
    return parse_record(review_id, data, recorded_by, backend.clock.now())


def decision_template(backend: Backend, review_id: str, name: str) -> str:
    """A starting file: options and factors pre-filled from the evidence, reasons left for the board."""
    a = assemble(backend, review_id, with_record=False)
    inputs = backend.store.reviewer_inputs(review_id)
    decisions = {}
    for d in a.rationale.decisions:
        entry: dict = {}
        if d.kind != "text":
            options = leading_options(d)
            entry["option"] = options if d.kind == "multi" else "".join(options)
        entry["text"] = "\n".join(q.text for q in d.member_comments) if d.kind == "text" else ""
        entry["reasons"] = ""
        entry["weighed_most"] = [f.item_id for f in d.weighing_most]
        entry["proposals"] = [{"reviewer": p.reviewer_email, "proposal": p.proposal_id, "taken": "", "reason": ""}
                              for p in open_proposals(backend.reviewer_form, inputs, d.item_id)]
        decisions[d.item_id] = entry
    body = {"meeting_date": "", "agreed_by": "", "decisions": decisions}
    header = HEADER.format(review_id=review_id, child=a.review.child_pseudonym, name=name)
    header += "# The options each decision offers:\n" + "".join(
        f"#   {item.id}: {', '.join(o.value for o in backend.member_form.options_for(item, a.review.agencies))}\n"
        for item in backend.member_form.decisions() if item.kind != "text")
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=110)
