"""What every page needs: the adapters, the personal-link check, deadlines and the HTML response."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.responses import HTMLResponse

from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.model import Role
from scr.domain.summary import FactorSummary
from scr.entrypoints.web.guard import FormGuard
from scr.errors import ReviewNotFound
from scr.ports import Clock, Grant, ReviewStore
from scr.rendering import Renderer

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class LinkNotFound(Exception):
    """A personal link that is unknown, closed or for another role; always answered with the same 404."""


@dataclass(frozen=True)
class WebContext:
    store: ReviewStore
    member_form: MemberForm
    reviewer_form: ReviewerForm
    clock: Clock
    renderer: Renderer
    summary_for: Callable[[str], FactorSummary]
    guard: FormGuard

    def grant(self, token: str, role: Role) -> Grant:
        """The grant behind ``token`` if it is open and for ``role``; otherwise ``LinkNotFound``."""
        grant = self.store.resolve_token(token) if _TOKEN.match(token) else None
        if grant is None or grant.role != role:
            raise LinkNotFound
        return grant

    def page(self, template: str, status_code: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(self.renderer.render(f"web/{template}", **context), status_code=status_code)

    def response_deadline(self, review_id: str) -> dt.datetime | None:
        try:
            return self.store.schedule(review_id).response_deadline
        except ReviewNotFound:
            raise LinkNotFound from None
