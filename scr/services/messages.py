"""Compose messages from the email templates (first line ``Subject: ...``, a blank line, the body)."""

from __future__ import annotations

from typing import Any

from scr.domain.calendar import format_deadline
from scr.domain.model import Event, Review
from scr.errors import TemplateError
from scr.ports import Message
from scr.services.backend import Backend


def send(
    backend: Backend, review: Review, kind: str, to_name: str, to_email: str, *, key: str = "",
    timezone: str | None = None, **context: Any,
) -> None:
    """Render ``templates/email/<kind>.txt.j2`` for one named person and hand it to the mailer: the subject
    carries the review's protective marking, a deadline is written with its weekday in the board's zone
    (``timezone``, from the schedule the caller read; without it, read from the store)."""
    if context.get("deadline") is not None:
        zone = timezone or backend.store.schedule(review.review_id).timezone
        context["due"] = format_deadline(context["deadline"], zone)
    message = compose(backend.renderer, review, kind, to_name, to_email, key=key, **context)
    backend.mailer.send(review.review_id, message)


def compose(renderer, review: Review, kind: str, to_name: str, to_email: str, *, key: str = "",
            **context: Any) -> Message:
    """The message ``kind`` for one person, its subject marked ("OFFICIAL-SENSITIVE: ...")."""
    text = renderer.render(f"email/{kind}.txt.j2", review=review, vocab=review.vocabulary, **context)
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject: "):
        raise TemplateError(f"Template email/{kind}.txt.j2 must start with a 'Subject: ' line and a blank line")
    subject = head.removeprefix("Subject: ").strip()
    marking = review.style.protective_marking
    return Message(to_name, to_email, f"{marking}: {subject}" if marking else subject, body.strip() + "\n", kind, key)


def send_link(
    backend: Backend, review: Review, kind: str, person, link: str, *, event: str, detail: str = "", **context: Any
) -> None:
    """Send one person their link (``kind`` template) and record that it went, as evidence. Never log the link."""
    send(backend, review, kind, person.name, person.email, key=detail, link=link, **context)
    backend.store.record_event(review.review_id, Event(event, backend.clock.now(), person.email, detail))
