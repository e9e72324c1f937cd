"""The adapters one review's workflow uses, handed to every service function."""

from __future__ import annotations

from dataclasses import dataclass

from scr.domain.forms import MemberForm, ReviewerForm
from scr.ports import (
    Clock,
    DocumentStore,
    FormChannel,
    Mailer,
    ResponsesFileReader,
    ReviewerChannel,
    ReviewStore,
    StatusBoard,
)
from scr.rendering import Renderer


@dataclass(frozen=True)
class Backend:
    store: ReviewStore
    mailer: Mailer
    documents: DocumentStore
    clock: Clock
    renderer: Renderer
    member_form: MemberForm
    reviewer_form: ReviewerForm
    forms: FormChannel
    reviewers: ReviewerChannel
    read_responses_file: ResponsesFileReader
    tracker: StatusBoard | None = None
    web_url: str | None = None  # the local web app's address, where the business manager records decisions
