"""Google Forms as where members answer (reviewers comment on their copies: ``reviewer_docs``).

Reads only what is new since the last call (one request per poll, whatever the number of members) and
keeps what it reads in the store, keyed by Google's ids so a re-read adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scr.backends.google.form_layout import FieldRef, to_answers
from scr.backends.google.forms import GoogleForms
from scr.domain.forms import MemberForm
from scr.domain.model import Event, Member, Review
from scr.domain.schedule import Schedule
from scr.ports import ReviewStore

FORM, SINCE, BEGUN = "google:form", "google:responses_since", "google:form_begun"
CREATED, RESPONDERS, SEEN = "google:form_created", "google:responders", "google:responses_seen"
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

    def __init__(self, store: ReviewStore, forms: GoogleForms, member_form: MemberForm):
        self.store, self.forms, self.member_form = store, forms, member_form

    def open(self, review: Review) -> None:
        """Publish the review's form once. Its id is kept the moment Google gives it, so a run that dies part-way
        is finished by the next (which also finds, by title, a form whose creation answer was lost)."""
        rid = review.review_id
        if self.store.value(rid, FORM):
            return
        begun = self.store.value(rid, BEGUN)
        if begun is None:
            self.store.set_value(rid, BEGUN, dt.datetime.now(dt.UTC).isoformat())
        title = f"{rid}: your input to commissioning the {review.vocabulary.review}"
        published = self.forms.publish(self.member_form, review.agencies, title, self.member_form.intro,
                                       begun=_moment(begun) if begun else None, made=self.store.value(rid, CREATED),
                                       on_created=lambda form_id: self.store.set_value(rid, CREATED, form_id))
        self.store.set_value(rid, FORM, {
            "form_id": published.form_id, "responder_uri": published.responder_uri,
            "questions": {qid: list(ref) for qid, ref in published.questions.items()},
        })  # fmt: skip

    def links_for(self, review: Review, members: Sequence[Member]) -> list[str]:
        """``link_for`` each member: each permission is given, and kept, one after another."""
        return [self.link_for(review, member) for member in members]

    def link_for(self, review: Review, member: Member) -> str:
        """The form's link, once the member holds a permission to answer it (given the first time, and kept)."""
        rid, key = review.review_id, member.email.strip().lower()
        form = self.store.value(rid, FORM)
        responders = self.store.value(rid, RESPONDERS) or {}
        if responders.get(key) is None:
            has_account = self.forms.responder(form["form_id"], member.email) if key in responders else None
            if has_account is None:  # not begun, or begun by a run that died before Drive answered
                responders[key] = None
                self.store.set_value(rid, RESPONDERS, responders)
                has_account = self.forms.add_responder(form["form_id"], member.email, _welcome(review, member))
            if not has_account and not self._noted(rid, member):
                self.store.record_event(rid, Event(
                    "no_google_account", dt.datetime.now(dt.UTC), member.email,
                    f"{member.name} ({member.agency}): the address has no Google account; Drive sent them an "
                    "invitation to create one, and they cannot answer the form until they do"))
            responders[key] = has_account
            self.store.set_value(rid, RESPONDERS, responders)
        return form["responder_uri"]

    def _noted(self, review_id: str, member: Member) -> bool:
        return any((e.person_email or "").lower() == member.email.lower()
                   for e in self.store.events(review_id, "no_google_account"))

    def collect(self, review: Review, schedule: Schedule, full: bool = False) -> int:
        """Keep each response not seen before: a member's as a new version, anyone else's held apart and reported.

        Reads what was submitted since a little before the latest submission seen, or, with `full`, everything.
        """
        rid = review.review_id
        form = self.store.value(rid, FORM)
        if not form:
            return 0
        latest = self.store.value(rid, SINCE)
        since = None if full or not latest else _zulu(_moment(latest) - OVERLAP)
        raws = sorted(self.forms.responses_since(form["form_id"], since), key=lambda r: r.last_submitted or "")
        questions = {qid: FieldRef(*ref) for qid, ref in form["questions"].items()}
        seen = set(self.store.value(rid, SEEN) or [])
        new = 0
        for raw in raws:
            ref = f"{raw.response_id}@{raw.last_submitted}"
            if ref in seen:
                continue
            self._keep(review, schedule, raw, ref, questions)
            seen.add(ref)
            self.store.set_value(rid, SEEN, sorted(seen))
            new += 1
        stamps = [r.last_submitted for r in raws if r.last_submitted] + ([latest] if latest else [])
        if stamps:
            self.store.set_value(rid, SINCE, max(stamps, key=_moment))
        return new

    def _keep(self, review: Review, schedule: Schedule, raw, ref: str, questions: dict[str, FieldRef]) -> None:
        mapped = to_answers(raw, questions, self.member_form, review.agencies)
        at = _moment(raw.last_submitted) if raw.last_submitted else None
        if at is None:  # Google gave no time at all: keep the answer, with the time it was read
            at = dt.datetime.now(dt.UTC)
            mapped.problems.append("a response came without a submission time; kept with the time it was read")
        if mapped.too_long:  # over the limit every form applies: kept out whole, never half-saved
            self._report(review, at, raw.email, mapped.problems)  # named, so the member can be asked
            return
        member = review.member(raw.email or "")
        if member is not None:
            self.store.save_response(review.review_id, member.email, mapped.answers, at, schedule.is_late(at), ref=ref)
        elif self.store.hold_response(review.review_id, ref, raw.email or "(no address)", mapped.answers, at):
            self.store.record_event(review.review_id, Event("held_apart", at, raw.email, "not a member"))
        self._report(review, at, None, mapped.problems)

    def _report(self, review: Review, at: dt.datetime, email: str | None, problems: list[str]) -> None:
        for problem in problems:
            self.store.record_event(review.review_id, Event("form_problem", at, email, problem))

    def close(self, review: Review) -> None:
        form = self.store.value(review.review_id, FORM)
        if form:
            self.forms.close(form["form_id"])
