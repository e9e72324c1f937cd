"""Benchmark: writing 300 invitations to the local outbox, in one run. Prints figures; asserts nothing.

Each phase is timed on its own over the same 300 messages (names mixing ASCII and Irish/Polish letters):
- render: the invitation template for each member (``scr.services.messages.compose``);
- compose, EmailMessage: ``scr.backends.mail.compose`` then ``bytes()`` (the email package, default policy);
- compose, bytes: ``scr.backends.mail.compose_bytes`` (what the outbox writes), when it exists;
- outbox, one send each: ``OutboxMailer.send`` alone, durable per message;
- outbox, one round: the same sends inside ``OutboxMailer.round()``, durable once at its end, when it exists.

The "when it exists" phases let the same script time code from before they were added. Both outbox phases
write to a temporary folder on the machine's disk, fsyncs included.

Run: ``.venv/bin/python benchmarks/bench_mail.py [members]``
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import sys
import tempfile
import time
from pathlib import Path

NAMES = ("Siobhán Ó Briain", "Tom O'Reilly", "Zoë Łukasz-Kowalska", "Helen Okafor", "Dr. Amir Haddad, MBE")


def main(members: int = 300) -> None:
    from scr.backends import mail
    from scr.backends.local.outbox import OutboxMailer
    from scr.config import review_from_config
    from scr.demo.run import example_config
    from scr.domain.calendar import format_deadline
    from scr.rendering import Renderer
    from scr.services.messages import compose

    review = review_from_config(example_config(members))
    people = [m.__class__(**{**m.__dict__, "name": f"{NAMES[i % len(NAMES)]} {i}"})
              for i, m in enumerate(review.members)]
    deadline = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)
    due = format_deadline(deadline, "Europe/London")
    renderer = Renderer()

    def render() -> list:
        return [compose(renderer, review, "invitation", m.name, m.email, member=m, deadline=deadline, due=due,
                        link=f"http://127.0.0.1:8765/f/{i:040d}", personal=True) for i, m in enumerate(people)]

    sender = (review.business_manager.name, review.business_manager.email)
    timed(f"render {members} invitations", render)
    messages = render()
    timed("compose, EmailMessage + bytes()",
          lambda: [bytes(mail.compose(review.review_id, m, *sender)) for m in messages])
    if hasattr(mail, "compose_bytes"):
        timed("compose, compose_bytes", lambda: [mail.compose_bytes(review.review_id, m, *sender) for m in messages])

    def send_all(out: OutboxMailer, batch: bool) -> None:
        with out.round() if batch else contextlib.nullcontext():
            for message in messages:
                out.send(review.review_id, message)

    for batch in (False, True) if hasattr(OutboxMailer, "round") else (False,):
        with tempfile.TemporaryDirectory() as tmp:
            out = OutboxMailer(Path(tmp), *sender)
            timed(f"outbox, {'one round' if batch else 'one send each'}", functools.partial(send_all, out, batch))


def timed(label: str, work) -> None:
    started = time.perf_counter()
    work()
    print(f"{label:<40} {time.perf_counter() - started:7.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
