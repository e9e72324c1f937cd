"""Forms v1 through the real google-api-python-client."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from googleapiclient.errors import HttpError

from tests.google_emulator import GoogleEmulator

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def _question(title: str, question: dict) -> dict:
    return {"createItem": {"item": {"title": title, "questionItem": {"question": question}},
                           "location": {"index": 0}}}


def _published_form(emu: GoogleEmulator) -> tuple[str, list[str]]:
    forms = emu.build("forms")
    form = forms.forms().create(body={"info": {"title": "QM6 review", "documentTitle": "QM6 form"}}).execute()
    form_id = form["formId"]
    reply = forms.forms().batchUpdate(formId=form_id, body={"requests": [
        {"updateSettings": {"settings": {"emailCollectionType": "VERIFIED"}, "updateMask": "emailCollectionType"}},
        _question("Rating", {"required": True, "scaleQuestion": {"low": 1, "high": 5}}),
        _question("Comments", {"textQuestion": {"paragraph": True}}),
        _question("Agree?", {"choiceQuestion": {"type": "RADIO", "options": [{"value": "Yes"}, {"value": "No"}]}}),
    ]}).execute()
    question_ids = [r["createItem"]["questionId"][0] for r in reply["replies"] if "createItem" in r]
    forms.forms().setPublishSettings(formId=form_id, body={
        "publishSettings": {"publishState": {"isPublished": True, "isAcceptingResponses": True}}}).execute()
    emu.share(form_id, None, "reader", view="published")  # anyone with the link may respond
    return form_id, question_ids


def test_create_takes_only_the_title(emu: GoogleEmulator) -> None:
    forms = emu.build("forms")
    form = forms.forms().create(body={"info": {"title": "T"}}).execute()
    assert form["info"]["title"] == "T"
    assert form["publishSettings"]["publishState"] == {"isPublished": True, "isAcceptingResponses": True}
    draft = forms.forms().create(body={"info": {"title": "T"}}, unpublished=True).execute()
    assert draft["publishSettings"]["publishState"] == {"isPublished": False, "isAcceptingResponses": False}
    with pytest.raises(HttpError) as caught:
        forms.forms().create(body={"info": {"title": "T", "description": "d"}}).execute()
    assert caught.value.status_code == 400
    assert "Only info.title" in caught.value.reason


def test_batch_update_assigns_ids_and_get_shows_items(emu: GoogleEmulator) -> None:
    form_id, (rating, comments, agree) = _published_form(emu)
    form = emu.build("forms").forms().get(formId=form_id).execute()
    # each createItem went to index 0, so the last created comes first
    assert [i["title"] for i in form["items"]] == ["Agree?", "Comments", "Rating"]
    assert [i["questionItem"]["question"]["questionId"] for i in form["items"]] == [agree, comments, rating]
    assert len({i["itemId"] for i in form["items"]}) == 3
    assert form["settings"]["emailCollectionType"] == "VERIFIED"
    assert form["publishSettings"]["publishState"] == {"isPublished": True, "isAcceptingResponses": True}


def test_update_form_info_needs_an_update_mask(emu: GoogleEmulator) -> None:
    forms = emu.build("forms")
    form_id = forms.forms().create(body={"info": {"title": "T"}}).execute()["formId"]
    request = {"updateFormInfo": {"info": {"description": "Why we ask"}}}
    with pytest.raises(HttpError) as caught:
        forms.forms().batchUpdate(formId=form_id, body={"requests": [request]}).execute()
    assert caught.value.status_code == 400
    request["updateFormInfo"]["updateMask"] = "description"
    forms.forms().batchUpdate(formId=form_id, body={"requests": [request]}).execute()
    assert forms.forms().get(formId=form_id).execute()["info"]["description"] == "Why we ask"


def test_responses_filter_by_timestamp_and_page(emu: GoogleEmulator) -> None:
    form_id, (rating, comments, agree) = _published_form(emu)
    for n in range(5):
        emu.add_response(form_id, f"p{n}@example.org", {rating: n + 1, comments: f"note {n}", agree: "Yes"},
                         at=T0 + timedelta(hours=n))
    responses = emu.build("forms").forms().responses()
    since = (T0 + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(responses.list(formId=form_id, filter=f"timestamp > {since}").execute()["responses"]) == 2
    first = responses.list(formId=form_id, filter=f"timestamp >= {since}", pageSize=2).execute()
    second = responses.list(formId=form_id, filter=f"timestamp >= {since}", pageSize=2,
                            pageToken=first["nextPageToken"]).execute()
    assert "nextPageToken" not in second
    emails = [r["respondentEmail"] for r in first["responses"] + second["responses"]]
    assert emails == ["p2@example.org", "p3@example.org", "p4@example.org"]
    one = first["responses"][0]
    assert one["answers"][rating]["textAnswers"]["answers"] == [{"value": "3"}]
    got = responses.get(formId=form_id, responseId=one["responseId"]).execute()
    assert "formId" not in one  # "The formId field is not returned ... for list requests" (forms.v1)
    assert got == {"formId": form_id, **one}


def test_only_timestamp_filters_are_accepted(emu: GoogleEmulator) -> None:
    form_id, _ = _published_form(emu)
    with pytest.raises(HttpError) as caught:
        emu.build("forms").forms().responses().list(formId=form_id, filter="respondentEmail = 'x'").execute()
    assert caught.value.status_code == 400


def test_add_response_behaves_like_the_form_ui(emu: GoogleEmulator) -> None:
    forms = emu.build("forms")
    form_id = forms.forms().create(body={"info": {"title": "T"}}, unpublished=True).execute()["formId"]
    emu.share(form_id, "a@example.org", "reader", view="published")
    with pytest.raises(ValueError, match="not accepting responses"):
        emu.add_response(form_id, "a@example.org", {}, at=T0)
    form_id, (rating, _, agree) = _published_form(emu)
    with pytest.raises(ValueError, match="not among the options"):
        emu.add_response(form_id, "a@example.org", {rating: 3, agree: "Maybe"}, at=T0)
    with pytest.raises(ValueError, match="required"):
        emu.add_response(form_id, "a@example.org", {agree: "No"}, at=T0)


def test_respondent_email_only_when_the_form_collects_it(emu: GoogleEmulator) -> None:
    forms = emu.build("forms")
    form_id = forms.forms().create(body={"info": {"title": "T"}}).execute()["formId"]
    reply = forms.forms().batchUpdate(formId=form_id, body={"requests": [
        _question("Q", {"textQuestion": {}})]}).execute()
    question_id = reply["replies"][0]["createItem"]["questionId"][0]
    forms.forms().setPublishSettings(formId=form_id, body={
        "publishSettings": {"publishState": {"isPublished": True}}}).execute()
    emu.share(form_id, "a@example.org", "reader", view="published")
    emu.add_response(form_id, "a@example.org", {question_id: "hi"}, at=T0)
    (response,) = forms.forms().responses().list(formId=form_id).execute()["responses"]
    assert "respondentEmail" not in response
