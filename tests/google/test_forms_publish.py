"""Publishing the member form on Google Forms (emulator) and the pure request builder behind it."""

from __future__ import annotations

import pytest

from scr.backends.google.errors import GoogleAccessError
from scr.backends.google.form_layout import FieldRef, form_requests, question_title
from scr.backends.google.forms import GoogleForms
from tests.google_emulator import GoogleEmulator
from tests.samples import member_form, sample_review

AGENCIES = ["Children's Social Care", "Police", "Health, Community and Mental Health"]


def _created(requests: list[dict]) -> list[dict]:
    return [r["createItem"]["item"] for r in requests if "createItem" in r]


def test_form_requests_name_every_question_in_creation_order() -> None:
    form = member_form()
    requests, refs = form_requests(form, AGENCIES, "SCR-2026-014", "Why we ask")
    questions = [i for i in _created(requests) if "questionItem" in i]
    assert len(questions) == len(refs)
    assert [q["title"] for q in questions] == [question_title(form.item(r.item_id), r.field) for r in refs]
    expected = []
    for item in form.items:
        main = {"factor": "rating", "choice": "choice", "multi": "choices", "text": "comment"}[item.kind]
        expected += [FieldRef(item.id, main)] + ([] if item.kind == "text" else [FieldRef(item.id, "comment")])
    assert refs == expected
    locations = [r["createItem"]["location"]["index"] for r in requests if "createItem" in r]
    assert locations == list(range(len(locations)))
    assert requests[0] == {"updateFormInfo": {"info": {"description": "Why we ask"}, "updateMask": "description"}}
    assert requests[1]["updateSettings"]["settings"] == {"emailCollectionType": "VERIFIED"}


def test_form_requests_shape_each_kind() -> None:
    form = member_form()
    requests, refs = form_requests(form, AGENCIES, "T", "D")
    by_ref = dict(zip(refs, [i for i in _created(requests) if "questionItem" in i], strict=True))
    rating = by_ref[FieldRef("B1", "rating")]["questionItem"]["question"]
    assert rating["required"] is True
    assert rating["choiceQuestion"] == {"type": "RADIO", "options": [{"value": o.label} for o in form.scale]}
    comment = by_ref[FieldRef("B1", "comment")]
    assert comment["title"] == "Comment on B1 (optional)"
    assert comment["questionItem"]["question"] == {"required": False, "textQuestion": {"paragraph": True}}
    agencies = by_ref[FieldRef("A5", "choices")]["questionItem"]["question"]["choiceQuestion"]
    other = {"isOther": True, "value": "Other"}
    assert agencies == {"type": "CHECKBOX", "options": [{"value": a} for a in AGENCIES] + [other]}
    breadth = by_ref[FieldRef("A1", "choice")]["questionItem"]["question"]["choiceQuestion"]
    assert breadth["type"] == "RADIO" and breadth["options"][-1] == {"isOther": True, "value": "Other"}
    assert "Other (say which below)" not in str(breadth)
    assert by_ref[FieldRef("A2", "comment")]["questionItem"]["question"]["textQuestion"] == {"paragraph": True}
    assert by_ref[FieldRef("C6", "rating")]["description"] == form.item("C6").help
    headers = [i for i in _created(requests) if "questionItem" not in i]
    assert [h["title"] for h in headers] == [s.title for s in form.sections]
    assert "textItem" in headers[0] and all("pageBreakItem" in h for h in headers[1:])


def test_publish_creates_one_form_with_every_item(emu: GoogleEmulator) -> None:
    form = member_form()
    agencies = sample_review().agencies
    published = GoogleForms(emu.build("forms")).publish(form, agencies, "SCR-2026-014: your input", "Why we ask")
    counts = emu.counts()
    assert counts == {"forms.forms.create": 1, "forms.forms.batchUpdate": 1, "forms.forms.setPublishSettings": 1}
    got = emu.build("forms").forms().get(formId=published.form_id).execute()
    assert got["info"] == {"title": "SCR-2026-014: your input", "documentTitle": "SCR-2026-014: your input",
                           "description": "Why we ask"}
    assert got["settings"]["emailCollectionType"] == "VERIFIED"
    assert got["publishSettings"]["publishState"] == {"isPublished": True, "isAcceptingResponses": True}
    questions = {i["questionItem"]["question"]["questionId"]: i for i in got["items"] if "questionItem" in i}
    assert set(questions) == set(published.questions)
    assert len(questions) == sum(1 if i.kind == "text" else 2 for i in form.items)
    for question_id, (item_id, field) in published.questions.items():
        assert questions[question_id]["title"] == question_title(form.item(item_id), field)
    b1 = next(q for q, ref in published.questions.items() if ref == ("B1", "rating"))
    assert questions[b1]["questionItem"]["question"]["required"] is True
    assert questions[b1]["questionItem"]["question"]["choiceQuestion"]["type"] == "RADIO"
    a5 = next(q for q, ref in published.questions.items() if ref == ("A5", "choices"))
    options = questions[a5]["questionItem"]["question"]["choiceQuestion"]["options"]
    assert [o.get("value") for o in options[:-1]] == agencies and options[-1] == {"isOther": True, "value": "Other"}
    assert published.responder_uri.endswith(f"/{published.form_id}/viewform")


def test_close_stops_accepting_responses(emu: GoogleEmulator) -> None:
    forms = GoogleForms(emu.build("forms"))
    published = forms.publish(member_form(), AGENCIES, "T", "D")
    forms.close(published.form_id)
    state = emu.build("forms").forms().get(formId=published.form_id).execute()["publishSettings"]["publishState"]
    assert state == {"isPublished": True, "isAcceptingResponses": False}
    with pytest.raises(ValueError, match="not accepting"):
        emu.add_response(published.form_id, "ann@example.org", {})


def test_publish_without_access_says_what_is_missing(emu: GoogleEmulator) -> None:
    emu.faults.deny(403, method="forms.forms.create")
    with pytest.raises(GoogleAccessError) as caught:
        GoogleForms(emu.build("forms")).publish(member_form(), AGENCIES, "T", "D")
    assert "HTTP 403" in str(caught.value) and "forms.body" in str(caught.value)
    assert "caller does not have permission" not in str(caught.value)  # Google's text is not repeated
    assert emu.counts().get("forms.forms.batchUpdate", 0) == 0


def _begun_then_killed(emu: GoogleEmulator, title: str, with_questions: bool) -> str:
    """What a run killed after forms.create (or after its batchUpdate too) left in Google."""
    form_id = emu.build("forms").forms().create(body={"info": {"title": title, "documentTitle": title}}).execute()[
        "formId"]
    if with_questions:
        requests, _ = form_requests(member_form(), AGENCIES, title, "Why we ask")
        emu.build("forms").forms().batchUpdate(formId=form_id, body={"requests": requests}).execute()
    return form_id


@pytest.mark.parametrize("with_questions", [False, True], ids=["after-create", "after-questions"])
def test_a_form_begun_by_a_run_that_died_is_finished_not_made_twice(emu: GoogleEmulator, with_questions) -> None:
    import datetime as dt

    begun = dt.datetime.now(dt.UTC)
    left = _begun_then_killed(emu, "SCR-2026-014: your input", with_questions)
    emu.reset_counts()
    forms = GoogleForms(emu.build("forms"), drive_service=emu.build("drive"))
    published = forms.publish(member_form(), AGENCIES, "SCR-2026-014: your input", "Why we ask", begun=begun)
    assert published.form_id == left and list(emu.state.forms) == [left]
    counts = emu.counts()
    assert counts.get("forms.forms.create", 0) == 0 and counts["drive.files.list"] == 1
    assert counts.get("forms.forms.batchUpdate", 0) == (0 if with_questions else 1)
    got = emu.build("forms").forms().get(formId=left).execute()
    questions = {i["questionItem"]["question"]["questionId"]: i["title"] for i in got["items"] if "questionItem" in i}
    form = member_form()
    assert {q: question_title(form.item(ref.item_id), ref.field) for q, ref in published.questions.items()} == questions
    assert got["publishSettings"]["publishState"] == {"isPublished": True, "isAcceptingResponses": True}


def test_a_form_with_the_same_title_made_before_the_run_began_is_not_taken_over(emu: GoogleEmulator) -> None:
    import datetime as dt

    older = _begun_then_killed(emu, "SCR-2026-014: your input", with_questions=True)
    forms = GoogleForms(emu.build("forms"), drive_service=emu.build("drive"))
    begun = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)  # this run began long after that form was made
    published = forms.publish(member_form(), AGENCIES, "SCR-2026-014: your input", "Why we ask", begun=begun)
    assert published.form_id != older and len(emu.state.forms) == 2


def test_a_failed_create_is_looked_for_before_it_is_tried_again(emu: GoogleEmulator) -> None:
    emu.faults.fail("forms.forms.create", status=503)
    forms = GoogleForms(emu.build("forms"), drive_service=emu.build("drive"))
    published = forms.publish(member_form(), AGENCIES, "SCR-2026-014: your input", "Why we ask")
    counts = emu.counts()
    assert counts["forms.forms.create"] == 2 and counts["drive.files.list"] == 1
    assert list(emu.state.forms) == [published.form_id]
