"""The member form on Google Forms: publish it, let members in, close it, read its responses (layout:
``form_layout``).

As Google documents it: ``forms.create`` with ``unpublished=true`` makes a form that accepts nothing
("If set to `false` or unset, the form is published and accepts responses"), so every item is added before
``setPublishSettings`` publishes it; and only people holding a Drive permission on the form with
``view: "published"`` and role reader can answer (googleworkspace/python-samples
forms/snippets/add_responder.py). Sharing with an address that has no Google account needs Drive's
notification email (400 ``invalidSharingRequest`` otherwise).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from scr.backends.google.errors import GoogleError, call, retrying
from scr.backends.google.form_layout import PublishedForm, RawResponse, form_requests
from scr.domain.email import same_address
from scr.domain.forms import MemberForm

__all__ = ["GoogleForms"]

PAGE_SIZE = 5000  # the most responses.list returns per page
FORM_MIME = "application/vnd.google-apps.form"
CLOCK_SKEW = dt.timedelta(minutes=5)  # how far this machine's clock may be ahead of Google's


# -- the API -------------------------------------------------------------------------------------
class GoogleForms:
    """Publishes member forms and reads their responses through a googleapiclient forms v1 service.

    With a Drive v3 service a form is never made twice: one an earlier run began (``begun``) and a create
    whose answer was lost are found again in Drive by their title, and finished.
    """

    def __init__(self, forms_service: Any, page_size: int = PAGE_SIZE, drive_service: Any = None):
        self._forms = forms_service.forms()
        self._drive = drive_service
        self.page_size = page_size

    def publish(self, member_form: MemberForm, agencies: Sequence[str], title: str, description: str,
                begun: dt.datetime | None = None, made: str | None = None,
                on_created: Callable[[str], None] | None = None) -> PublishedForm:
        """Three requests: create (title only, unpublished), one batchUpdate with every item, setPublishSettings.

        `made`: the id of the form an earlier run created (forms.get 1 instead of create). `begun`: when a run
        that may have died before learning the id began publishing; a form titled `title` made since then is
        finished instead (files.list 1 and forms.get 1). `on_created` gets the new form's id the moment
        forms.create returns, before anything else is asked of Google.
        """
        requests, refs = form_requests(member_form, agencies, title, description)
        if made:
            form = call(self._forms.get(formId=made), f"read form {made}, created by an earlier run")
        else:
            form = self._made_or_found(title, begun)
            if on_created is not None:
                on_created(form["formId"])
        form_id = form["formId"]
        question_ids = _question_ids(form)
        if not question_ids:
            reply = call(self._forms.batchUpdate(formId=form_id, body={"requests": requests}),
                         f"add the questions to form {form_id}")
            replies = reply.get("replies", [])
            question_ids = [q for r in replies for q in (r.get("createItem") or {}).get("questionId", [])]
        if len(question_ids) != len(refs):
            raise GoogleError(f"Form {form_id}: Google holds {len(question_ids)} questions, expected {len(refs)}. "
                              "Delete the form in Drive and publish again.")
        self._set_state(form_id, accepting=True, what=f"publish form {form_id}")
        uri = form.get("responderUri") or f"https://docs.google.com/forms/d/{form_id}/viewform"
        return PublishedForm(form_id, uri, dict(zip(question_ids, refs, strict=True)))

    def _made_or_found(self, title: str, begun: dt.datetime | None) -> dict[str, Any]:
        """The form made since `begun` with this title, else a new one; a failed create is looked for first."""
        body = {"info": {"title": title, "documentTitle": title}}

        def create() -> dict[str, Any]:
            return call(self._forms.create(body=body, unpublished=True), "create the member form", retries=0)

        if self._drive is None:
            return retrying(create)
        found = self._find(title, begun) if begun is not None else None
        if found is not None:
            return call(self._forms.get(formId=found), f"read form {found}, begun by an earlier run")
        started = dt.datetime.now(dt.UTC)

        def made_after_all() -> dict[str, Any] | None:
            made = self._find(title, begun or started)
            return call(self._forms.get(formId=made), f"read form {made}, made by a create whose answer was lost") \
                if made is not None else None

        return retrying(create, recheck=made_after_all)

    def _find(self, title: str, since: dt.datetime) -> str | None:
        """The id of the first form titled `title` made since `since` (allowing for clock skew), if any."""
        quoted = "'" + title.replace("\\", "\\\\").replace("'", "\\'") + "'"
        request = self._drive.files().list(
            q=f"name = {quoted} and mimeType = '{FORM_MIME}' and trashed = false", fields="files(id,createdTime)",
            pageSize=100, orderBy="createdTime", spaces="drive",
        )
        files = call(request, f"look in Drive for the member form {title!r} begun by an earlier run").get("files", [])
        after = since - CLOCK_SKEW
        made = [f["id"] for f in files if dt.datetime.fromisoformat(f["createdTime"].replace("Z", "+00:00")) >= after]
        return made[0] if made else None

    def add_responder(self, form_id: str, email: str, message: str) -> bool:
        """Let `email` answer the form (a published-view reader permission, never link or domain sharing).

        True when done without a notification (the address has a Google account); False when Drive refused
        that (``invalidSharingRequest``: no Google account) and the person was shared with through Drive's
        invitation email instead, carrying `message`.
        """
        body = {"type": "user", "role": "reader", "view": "published", "emailAddress": email}
        what = f"let {email} answer form {form_id}"

        def share(**notify: Any) -> bool:
            call(self._drive.permissions().create(fileId=form_id, body=body, fields="id", supportsAllDrives=True,
                                                  **notify), what, retries=0)
            return True

        def shared_after_all() -> bool | None:  # a lost answer: never share (and email) twice
            return True if self.responder(form_id, email) is not None else None

        try:
            return retrying(lambda: share(sendNotificationEmail=False), recheck=shared_after_all)
        except GoogleError as error:
            if "invalidSharingRequest" not in error.reasons:
                raise
        retrying(lambda: share(sendNotificationEmail=True, emailMessage=message), recheck=shared_after_all)
        return False

    def responder(self, form_id: str, email: str) -> bool | None:
        """Whether `email` holds the permission to answer (None: not yet), and if so whether Drive names a Google
        account for it (a permission's displayName is the account's full name). One permissions.list per 100."""
        found: bool | None = None
        params: dict[str, Any] = {"fileId": form_id, "pageSize": 100, "supportsAllDrives": True,
                                  "fields": "nextPageToken,permissions(type,emailAddress,role,view,displayName)"}
        while True:
            page = call(self._drive.permissions().list(**params), f"read who may answer form {form_id}")
            for permission in page.get("permissions", []):
                if same_address(permission.get("emailAddress"), email) and permission.get("view") == "published":
                    found = bool(found or permission.get("displayName"))
            if not page.get("nextPageToken"):
                return found
            params["pageToken"] = page["nextPageToken"]

    def close(self, form_id: str) -> None:
        """Stop accepting responses (the form stays published, so people see that it is closed)."""
        self._set_state(form_id, accepting=False, what=f"close form {form_id}")

    def responses_since(self, form_id: str, since: str | None = None) -> list[RawResponse]:
        """Responses submitted after `since` (RFC 3339 UTC, e.g. a previous ``last_submitted``); all when None.

        One request per page (up to 5000 responses by default), whatever the number of members.
        """
        params: dict[str, Any] = {"formId": form_id, "pageSize": self.page_size}
        if since:
            params["filter"] = f"timestamp > {since}"
        found: list[RawResponse] = []
        while True:
            page = call(self._forms.responses().list(**params), f"read the responses of form {form_id}")
            found += [_raw(r) for r in page.get("responses", [])]
            if not page.get("nextPageToken"):
                return found
            params["pageToken"] = page["nextPageToken"]

    def _set_state(self, form_id: str, accepting: bool, what: str) -> None:
        state = {"isPublished": True, "isAcceptingResponses": accepting}
        body = {"publishSettings": {"publishState": state}, "updateMask": "publish_state"}
        call(self._forms.setPublishSettings(formId=form_id, body=body), what)


def _question_ids(form: dict[str, Any]) -> list[str]:
    """The ids of a form's questions in the order they stand (the order they were created in)."""
    return [item["questionItem"]["question"]["questionId"] for item in form.get("items", [])
            if "questionItem" in item]


def _raw(response: dict[str, Any]) -> RawResponse:
    answers = {
        question_id: [a.get("value", "") for a in (answer.get("textAnswers") or {}).get("answers", [])]
        for question_id, answer in (response.get("answers") or {}).items()
    }
    return RawResponse(
        response_id=response["responseId"],
        email=response.get("respondentEmail"),
        submitted_at=response.get("createTime", ""),
        last_submitted=response.get("lastSubmittedTime") or response.get("createTime", ""),
        answers=answers,
    )
