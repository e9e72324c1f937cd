"""Compose messages from the email templates (first line ``Subject: ...``, a blank line, the body)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from scr.domain.calendar import format_deadline
from scr.domain.model import Event, Review
from scr.errors import TemplateError
from scr.ports import Message
from scr.services.backend import Backend


def send(
    backend: Backend, review: Review, kind: str, to_name: str, to_email: str, *, key: str = "",
    zone: str | None = None, **context: Any
) -> None:
    """Render ``templates/email/<kind>.txt.j2`` for one named person and hand it to the mailer: the subject
    carries the review's protective marking, a deadline is written with its weekday in the board's zone
    (``zone``, read from the review's schedule when not given)."""
    if context.get("deadline") is not None:
        zone = zone or backend.store.schedule(review.review_id).timezone
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


def send_links(
    backend: Backend, review: Review, kind: str, people: Sequence, links: Sequence[str] | None, *, event: str,
    detail: str = "", person_as: str = "member", zone: str | None = None, **context: Any
) -> None:
    """``send_link`` to each person in turn (``links[i]`` is ``people[i]``'s; ``None``: a message without a
    link; the template sees each person as ``person_as``), each message once.

    A mailer that never sends a message twice (the outbox) lets the round be recorded in one transaction after
    its last message: a run killed part-way records nothing, and the next sends the rest. Any other mailer's
    messages are recorded one by one, each after its own send, so a run killed part-way resends none but the
    one in flight. ``zone``: the board's, if the caller has read the review's schedule."""
    if not people:
        return
    zone = zone or backend.store.schedule(review.review_id).timezone
    sent = []
    with _round(backend, review.review_id):  # the outbox makes the round's emails durable once, at its end
        for person, link in zip(people, [None] * len(people) if links is None else links, strict=True):
            with_link = {} if link is None else {"link": link}
            send(backend, review, kind, person.name, person.email, key=detail, zone=zone, **with_link,
                 **{person_as: person}, **context)
            went = Event(event, backend.clock.now(), person.email, detail)
            if backend.mailer.deduplicates:
                sent.append(went)
            else:
                backend.store.record_event(review.review_id, went)
    backend.store.record_events(review.review_id, sent)  # after the round is on disk, never before


def _round(backend: Backend, review_id: str):
    round_ = getattr(backend.mailer, "round", None)
    return round_(review_id) if backend.mailer.deduplicates and round_ is not None else contextlib.nullcontext()
