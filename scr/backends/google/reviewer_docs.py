"""Lead reviewers comment on their own copy of the factor summary's Google Doc: ``GoogleReviewerDocs``.

Drive never gives a comment's author by address (drive.v3 ``Comment.author``: "The author's email address and
permission ID will not be populated"), so comments cannot be matched to reviewers by email. Instead each lead
reviewer gets their own copy of the summary, shared with them alone as commenter. A comment or reply on a
reviewer's copy is theirs when it is not the tool's own (``me``) and its author's display name is the name of
the Google account the copy was shared with (Drive's ``Permission.displayName``, "User's full name, as defined
for their Google Account") or the reviewer's name in the board configuration. Anything else on the copy (say
from someone who reached it through the folder) is recorded as not counted, by comment id and display name,
never credited and never merged; its text stays in the Doc.

Polling costs one ``drive.comments.list`` per reviewer's copy (per 100 comments changed since the last poll).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Sequence

from scr.backends.google.comments import GoogleComments, is_completion, section_of
from scr.backends.google.documents import GoogleDocuments, document_url
from scr.domain.email import EmailAddress
from scr.domain.forms import ReviewerForm
from scr.domain.model import Event, LeadReviewer, Review, ReviewerComment
from scr.ports import GoogleStore, ReviewerCopy

__all__ = ["GoogleReviewerDocs", "copy_name"]

SUMMARY = "factor-summary"
PROPOSAL_WORDS = ("propose", "proposed", "proposal")
_SPACE = re.compile(r"\s+")


def copy_name(email: str) -> str:
    """The document name (Drive appProperty scr_kind) of a reviewer's copy; the address itself is not in it."""
    return f"{SUMMARY}-for-{hashlib.sha256(EmailAddress(email).encode()).hexdigest()[:12]}"


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and _SPACE.sub(" ", a).strip().casefold() == _SPACE.sub(" ", b).strip().casefold()


class GoogleReviewerDocs:
    """Each reviewer comments on their own copy of the summary; a comment starting with the keyword completes."""

    fetches = True  # comments are read from each reviewer's Google Doc at every check
    personal_links = False  # the link is a Google Doc the reviewer signs in to (their own copy), not a web token

    def __init__(self, store: GoogleStore, comments: GoogleComments, documents: GoogleDocuments,
                 reviewer_form: ReviewerForm, keyword: str = "COMPLETE"):
        self.store, self.comments, self.documents = store, comments, documents
        self.reviewer_form, self.keyword = reviewer_form, keyword

    def link_for(self, review: Review, reviewer: LeadReviewer, summary: Sequence[str]) -> str:
        """The reviewer's own copy (made and shared with them alone the first time), kept in the store."""
        copies = self.store.google_reviewer_copies(review.review_id)
        key = reviewer.address
        if key not in copies:
            name = copy_name(key)
            title = f"{review.review_id} Factor summary for {reviewer.name}"
            file_id = self.documents.copy(review.review_id, SUMMARY, name, title)
            message = (f"Your copy of the factor summary for {review.review_id} ({review.child_pseudonym}), "
                       "for your comments. Only you and the business manager's tool can see it.")
            self.documents.share(review.review_id, name, [(reviewer.email, "commenter")], message)
            shown = self.documents.holders(review.review_id, name).get(key)
            copies[key] = ReviewerCopy(file_id, document_url(file_id), shown)
            self.store.set_google_reviewer_copy(review.review_id, key, copies[key])
        return copies[key].url

    def collect(self, review: Review) -> int:
        """Read each reviewer's copy for comments changed since the last call; keep theirs, note anyone else's."""
        copies = self.store.google_reviewer_copies(review.review_id)
        kept = 0
        for email, copy in copies.items():
            reviewer = review.reviewer(email)
            if reviewer is None:
                continue
            comments = self.comments.read(copy.file_id, since=copy.comments_since)
            if not comments:
                continue
            sections = self._sections(review.review_id, copy.file_id)
            noted = {e.detail for e in self.store.events(review.review_id, "comment_not_counted")}
            for comment in comments:
                said = [(comment.comment_id, comment.author_me, comment.author_name, comment.content,
                         comment.modified_at)]
                said += [(r.reply_id, r.author_me, r.author_name, r.content, r.modified_at) for r in comment.replies]
                for ref, me, author, text, at in said:
                    if me:
                        continue  # the tool's own account: nothing a reviewer said
                    ref = f"{comment.comment_id}/{ref}"
                    if _same_name(author, copy.account_name) or _same_name(author, reviewer.name):
                        kept += self._keep(review.review_id, reviewer, section_of(comment.quoted_text, sections),
                                           text, at, ref)
                    else:
                        self._not_counted(review.review_id, reviewer, author, ref, at, noted)
            read_to = dataclasses.replace(copy, comments_since=max(c.modified_at for c in comments))
            self.store.set_google_reviewer_copy(review.review_id, email, read_to)
        return kept

    def has_new(self, review: Review) -> bool:
        """Whether a reviewer's copy holds a comment or reply changed since it was last read (Drive: a comment's
        modifiedTime is "the last time the comment or any of its replies was modified")."""
        for email, copy in self.store.google_reviewer_copies(review.review_id).items():
            if review.reviewer(email) is None:
                continue
            since = copy.comments_since
            if any(since is None or c.modified_at > since for c in self.comments.read(copy.file_id, since=since)):
                return True
        return False

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

    def _not_counted(self, review_id: str, reviewer: LeadReviewer, author: str, ref: str, at: dt.datetime,
                     noted: set[str]) -> None:
        """A comment on a reviewer's copy by someone else is recorded once, by its id and display name."""
        detail = (f"comment {ref} on {reviewer.name}'s copy of the factor summary is by '{author or 'unnamed'}', "
                  "not the lead reviewer; not counted")
        if detail not in noted:
            self.store.record_event(review_id, Event("comment_not_counted", at, None, detail))
            noted.add(detail)

    def _proposal(self, section: str, text: str) -> str | None:
        """A comment on a decision that starts "Proposed change..." is a proposal bearing on that decision."""
        first = text.strip().split(maxsplit=1)[0].strip(":,.").lower() if text.strip() else ""
        if first not in PROPOSAL_WORDS:
            return None
        return next((p.id for p in self.reviewer_form.proposals if section in p.bears_on), None)

    def _sections(self, review_id: str, file_id: str) -> list[tuple[str, str]]:
        """The summary's sections, read once: every copy holds the same summary, which does not change."""
        sections = self.store.google_summary_sections(review_id)
        if not sections:
            sections = self.comments.sections(file_id)
            self.store.set_google_summary_sections(review_id, sections)
        return [tuple(s) for s in sections]
