"""The adapters one review's workflow uses, handed to every service function."""

from __future__ import annotations

from dataclasses import dataclass

from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import Role
from scr.ports import Clock, DocumentStore, Mailer, ReviewStore
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
    base_url: str

    def link(self, role: Role, token: str) -> str:
        """A person's personal link. Goes in their message only; never log it."""
        path = "f" if role is Role.MEMBER else "r"
        return f"{self.base_url}/{path}/{token}"
