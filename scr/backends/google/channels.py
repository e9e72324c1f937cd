"""Google Forms as where members answer (reviewers comment on their copies: ``reviewer_docs``).

Reads only what is new since the last call (one request per poll, whatever the number of members) and
keeps what it reads in the store, keyed by Google's ids so a re-read adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scr.backends.google.errors import GoogleError
from scr.backends.google.form_layout import FieldRef, to_answers
from scr.backends.google.forms import GoogleForms
from scr.domain.forms import MemberForm
from scr.domain.model import Event, Member, Review
from scr.domain.schedule import Schedule
from scr.intake import Arrival, Received, Route, receive_answer
from scr.ports import GoogleForm, GoogleStore

#: Each filtered read starts this far before the latest submission already seen: answers Google records a
#: little out of order are still read, and what was read before is recognised by its id and time, not kept twice.
OVERLAP = dt.timedelta(minutes=15)


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _zulu(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _welcome(review: Review, member: Member) -> str:
    """The note in Drive's invitation to an address without a Google account (no answer text, no case detail)."""
    return (f"{review.board_name} asks for your input to review {review.review_id}. The form needs a Google account "
            f"for this address ({member.email}): create one for it (no Gmail needed), then open the link in the "
            "email from the business manager.")


class GoogleFormChannel:
    """One Google Form per review, collecting verified emails; answers matched to members by address.

    Only members can open the form: each gets a published-view reader permission before their invitation.
    Which time responses.list's ``timestamp >`` filter compares for an edited response (its first or its latest
    submission) Google does not document, so reads overlap and recognise what they saw, and ``collect(full=True)``
    (at the close of member input) reads every response whatever the filter would have missed.
    """

    personal_links = False
    fetches = True  # answers are read from the Google Form at every check

    def __init__(self, store: GoogleStore, forms: GoogleForms, member_form: MemberForm):
        self.store, self.forms, self.member_form = store, forms, member_form

    def open(self, review: Review) -> None:
        """Publish the review's form once. Its id is kept the moment Google gives it, so a run that dies part-way
        is finished by the next (which also finds, by title, a form whose creation answer was lost)."""
        rid = review.review_id
        form = self.store.google_form(rid)
        if form is not None and form.form_id:
            return
        begun = form.begun_at if form else None
        if begun is None:
            self.store.update_google_form(rid, begun_at=dt.datetime.now(dt.UTC))
        title = f"{rid}: your input to commissioning the {review.vocabulary.review}"
        def keep_created(form_id: str) -> None:
            self.store.update_google_form(rid, created_id=form_id)

        published = self.forms.publish(self.member_form, review.agencies, title, self.member_form.intro,
                                       begun=begun, made=form.created_id if form else None, on_created=keep_created)
        self.store.update_google_form(rid, form_id=published.form_id, responder_uri=published.responder_uri,
                                      questions={qid: tuple(ref) for qid, ref in published.questions.items()})

    def links_for(self, review: Review, members: Sequence[Member]) -> list[str]:
        """``link_for`` each member: each permission is given, and kept, one after another."""
        return [self.link_for(review, member) for member in members]

    def link_for(self, review: Review, member: Member) -> str:
        """The form's link, once the member holds a permission to answer it (given the first time, and kept)."""
        rid, key = review.review_id, member.address
        form = self._published(rid)
        responders = self.store.google_responders(rid)
        if responders.get(key) is None:
            has_account = self.forms.responder(form.form_id, member.email) if key in responders else None
            if has_account is None:  # not begun, or begun by a run that died before Drive answered
                self.store.set_google_responder(rid, key, None)
                has_account = self.forms.add_responder(form.form_id, member.email, _welcome(review, member))
            if not has_account and not self._noted(rid, member):
                self.store.record_event(rid, Event(
                    "no_google_account", dt.datetime.now(dt.UTC), member.email,
                    f"{member.name} ({member.agency}): the address has no Google account; Drive sent them an "
                    "invitation to create one, and they cannot answer the form until they do"))
            self.store.set_google_responder(rid, key, has_account)
        return form.responder_uri

    def _published(self, review_id: str) -> GoogleForm:
        form = self.store.google_form(review_id)
        if form is None or not form.form_id:
            raise GoogleError(f"Review {review_id} has no published Google form yet: open the form first.")
        return form

    def _noted(self, review_id: str, member: Member) -> bool:
        return any(e.person_email == member.address for e in self.store.events(review_id, "no_google_account"))

    def collect(self, review: Review, schedule: Schedule, full: bool = False) -> int:
        """Keep each response not seen before: a member's as a new version, anyone else's held apart and reported.

        Reads what was submitted since a little before the latest submission seen, or, with `full`, everything.
        """
        rid = review.review_id
        form = self.store.google_form(rid)
        if form is None or not form.form_id:
            return 0
        latest = form.responses_since
        raws = self._submitted_since_latest(form, full)
        questions = {qid: FieldRef(*ref) for qid, ref in form.questions.items()}
        seen = self.store.google_responses_seen(rid)
        kept: dict[str, int] | None = None  # each member's latest version, read once, when first needed
        new = 0
        for raw in raws:
            ref = f"{raw.response_id}@{raw.last_submitted}"
            if ref in seen:
                continue
            if kept is None:
                kept = self.store.response_versions(rid)
            self._keep(review, schedule, raw, ref, questions, kept)
            seen.add(ref)
            self.store.add_google_response_seen(rid, ref)
            new += 1
        stamps = [r.last_submitted for r in raws if r.last_submitted] + ([latest] if latest else [])
        if stamps:
            self.store.update_google_form(rid, responses_since=max(stamps, key=_moment))
        return new

    def has_new(self, review: Review) -> bool:
        """Whether the form holds a response (or an edit) not yet kept: the same one request `collect` makes."""
        form = self.store.google_form(review.review_id)
        if form is None or not form.form_id:
            return False
        seen = self.store.google_responses_seen(review.review_id)
        return any(f"{raw.response_id}@{raw.last_submitted}" not in seen
                   for raw in self._submitted_since_latest(form, full=False))

    def _submitted_since_latest(self, form: GoogleForm, full: bool) -> list:
        """Responses submitted since a little before the latest seen (all, with ``full``), oldest first."""
        latest = form.responses_since
        since = None if full or not latest else _zulu(_moment(latest) - OVERLAP)
        return sorted(self.forms.responses_since(form.form_id, since), key=lambda r: r.last_submitted or "")

    def _keep(self, review: Review, schedule: Schedule, raw, ref: str, questions: dict[str, FieldRef],
              kept: dict[str, int]) -> None:
        """Map a response to the form's items and hand it to the intake; what could not be mapped is reported,
        named by address when the response was refused (so the member can be asked)."""
        mapped = to_answers(raw, questions, self.member_form, review.agencies)
        at = _moment(raw.last_submitted) if raw.last_submitted else None
        if at is None:  # Google gave no time at all: keep the answer, with the time it was read
            at = dt.datetime.now(dt.UTC)
            mapped.problems.append("a response came without a submission time; kept with the time it was read")
        arrival = Arrival(raw.email, mapped.answers, at, Route.GOOGLE_FORM, ref=ref)
        outcome = receive_answer(self.store, review, schedule, arrival, kept)
        self._report(review, at, raw.email if outcome.received is Received.REFUSED else None, mapped.problems)

    def _report(self, review: Review, at: dt.datetime, email: str | None, problems: list[str]) -> None:
        for problem in problems:
            self.store.record_event(review.review_id, Event("form_problem", at, email, problem))

    def close(self, review: Review) -> None:
        form = self.store.google_form(review.review_id)
        if form is not None and form.form_id:
            self.forms.close(form.form_id)
