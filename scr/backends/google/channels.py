"""Google Forms as where members answer, and the summary's Google Doc as where reviewers comment.

Both read only what is new since their last call (one request per poll, whatever the number of
people) and keep what they read in the store, keyed by Google's ids so a re-read adds nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from scr.backends.google.comments import GoogleComments, is_completion, section_of
from scr.backends.google.form_layout import FieldRef, to_answers
from scr.backends.google.forms import GoogleForms
from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import Event, LeadReviewer, Member, Review, ReviewerComment
from scr.domain.schedule import Schedule
from scr.ports import ReviewStore

FORM, SINCE, BEGUN = "google:form", "google:responses_since", "google:form_begun"
SECTIONS, COMMENTS_SINCE = "google:summary_sections", "google:comments_since"
PROPOSAL_WORDS = ("propose", "proposed", "proposal")


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


class GoogleFormChannel:
    """One Google Form per review, collecting verified emails; answers matched to members by address."""

    personal_links = False

    def __init__(self, store: ReviewStore, forms: GoogleForms, member_form: MemberForm):
        self.store, self.forms, self.member_form = store, forms, member_form

    def open(self, review: Review) -> None:
        """Publish the review's form once: a run that dies part-way leaves a note, so the next run finishes
        the form that run made instead of making a second."""
        if self.store.value(review.review_id, FORM):
            return
        begun = self.store.value(review.review_id, BEGUN)
        if begun is None:
            self.store.set_value(review.review_id, BEGUN, dt.datetime.now(dt.UTC).isoformat())
        title = f"{review.review_id}: your input to commissioning the {review.vocabulary.review}"
        published = self.forms.publish(self.member_form, review.agencies, title, self.member_form.intro,
                                       begun=_moment(begun) if begun else None)
        self.store.set_value(review.review_id, FORM, {
            "form_id": published.form_id, "responder_uri": published.responder_uri,
            "questions": {qid: list(ref) for qid, ref in published.questions.items()},
        })  # fmt: skip

    def link_for(self, review: Review, member: Member) -> str:
        return self.store.value(review.review_id, FORM)["responder_uri"]

    def collect(self, review: Review, schedule: Schedule) -> int:
        """Keep each new response: a member's as a new version, anyone else's held apart and reported."""
        form = self.store.value(review.review_id, FORM)
        if not form:
            return 0
        raws = self.forms.responses_since(form["form_id"], self.store.value(review.review_id, SINCE))
        questions = {qid: FieldRef(*ref) for qid, ref in form["questions"].items()}
        for raw in raws:
            mapped = to_answers(raw, questions, self.member_form, review.agencies)
            at = _moment(raw.last_submitted) if raw.last_submitted else None
            ref = f"{raw.response_id}@{raw.last_submitted}"
            if at is None:  # Google gave no time at all: keep the answer, with the time it was read
                at = dt.datetime.now(dt.UTC)
                mapped.problems.append("a response came without a submission time; kept with the time it was read")
            if mapped.too_long:  # over the limit every form applies: kept out whole, never half-saved
                self._report(review, at, raw.email, mapped.problems)  # named, so the member can be asked
                continue
            member = review.member(raw.email or "")
            if member is not None:
                late = schedule.is_late(at)
                self.store.save_response(review.review_id, member.email, mapped.answers, at, late, ref=ref)
            elif self.store.hold_response(review.review_id, ref, raw.email or "(no address)", mapped.answers, at):
                self.store.record_event(review.review_id, Event("held_apart", at, raw.email, "not a member"))
            self._report(review, at, None, mapped.problems)
        stamps = [r.last_submitted for r in raws if r.last_submitted]
        if stamps:
            self.store.set_value(review.review_id, SINCE, max(stamps))
        return len(raws)

    def _report(self, review: Review, at: dt.datetime, email: str | None, problems: list[str]) -> None:
        for problem in problems:
            self.store.record_event(review.review_id, Event("form_problem", at, email, problem))

    def close(self, review: Review) -> None:
        form = self.store.value(review.review_id, FORM)
        if form:
            self.forms.close(form["form_id"])


class GoogleReviewerDocs:
    """Reviewers comment on the summary's Google Doc itself; a comment starting with the keyword completes."""

    personal_links = False

    def __init__(self, store: ReviewStore, comments: GoogleComments, reviewer_form: ReviewerForm,
                 keyword: str = "COMPLETE"):
        self.store, self.comments, self.reviewer_form, self.keyword = store, comments, reviewer_form, keyword

    def link_for(self, review: Review, reviewer: LeadReviewer, summary: Sequence[str]) -> str:
        return summary[0]

    def collect(self, review: Review) -> int:
        """Read comments changed since the last call (one request per page of 100) and keep the reviewers'."""
        urls = self.store.value(review.review_id, "document:factor-summary")
        if not urls:
            return 0
        file_id = urls[0].split("/d/", 1)[1].split("/", 1)[0]
        since = self.store.value(review.review_id, COMMENTS_SINCE)
        comments = self.comments.read(file_id, since=_moment(since) if since else None)
        sections = self._sections(review.review_id, file_id) if comments else []
        noted = {e.detail for e in self.store.events(review.review_id, "comment_not_counted")} if comments else set()
        kept = 0
        for comment in comments:
            said = [(comment.comment_id, comment.author_email, comment.content, comment.modified_at)]
            said += [(r.reply_id, r.author_email, r.content, r.modified_at) for r in comment.replies]
            for ref, email, text, at in said:
                reviewer = review.reviewer(email or "")
                if reviewer is not None:
                    kept += self._keep(review.review_id, reviewer, section_of(comment.quoted_text, sections),
                                       text, at, f"{comment.comment_id}/{ref}")
                else:
                    self._not_counted(review.review_id, email, f"{comment.comment_id}/{ref}", at, noted)
        if comments:
            latest = max(c.modified_at for c in comments)
            self.store.set_value(review.review_id, COMMENTS_SINCE, latest.isoformat())
        return kept

    def _keep(self, review_id: str, reviewer: LeadReviewer, section: str, text: str, at: dt.datetime,
              ref: str) -> int:
        if is_completion(text, self.keyword):
            self.store.mark_reviewer_complete(review_id, reviewer.email, at)
            return 1
        proposal = self._proposal(section, text)
        if proposal is not None:
            self.store.set_proposal(review_id, reviewer.email, proposal, text, at)
            return 1
        return int(self.store.add_reviewer_comment(review_id, ReviewerComment(reviewer.email, section, text, at, ref)))

    def _not_counted(self, review_id: str, email: str | None, ref: str, at: dt.datetime, noted: set[str]) -> None:
        """A comment not from a lead reviewer's address (or whose address Drive hides) is recorded, once, by its id;
        `noted` holds those recorded already."""
        detail = f"comment {ref} on the factor summary is not from a lead reviewer's address; not counted"
        if detail not in noted:
            self.store.record_event(review_id, Event("comment_not_counted", at, email, detail))
            noted.add(detail)

    def _proposal(self, section: str, text: str) -> str | None:
        """A comment on a decision that starts "Proposed change..." is a proposal bearing on that decision."""
        first = text.strip().split(maxsplit=1)[0].strip(":,.").lower() if text.strip() else ""
        if first not in PROPOSAL_WORDS:
            return None
        return next((p.id for p in self.reviewer_form.proposals if section in p.bears_on), None)

    def _sections(self, review_id: str, file_id: str) -> list[tuple[str, str]]:
        """The summary's sections, read once: the summary does not change while reviewers comment."""
        sections = self.store.value(review_id, SECTIONS)
        if sections is None:
            sections = self.comments.sections(file_id)
            self.store.set_value(review_id, SECTIONS, sections)
        return [tuple(s) for s in sections]
