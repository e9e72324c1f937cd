"""The one place that chooses backends from the runtime settings. Nothing else knows which is in use."""

from __future__ import annotations

import functools
from pathlib import Path

from scr.clock import ScaledClock, SystemClock
from scr.domain.forms import load_member_form, load_reviewer_form
from scr.errors import ScrError
from scr.rendering import Renderer
from scr.services.backend import Backend
from scr.settings import Runtime


def backend_for(runtime: Runtime) -> Backend:
    """The backend for these settings; one per process, so the web app and the flow share a clock."""
    return _backend_for(runtime.model_dump_json())


@functools.cache
def _backend_for(settings: str) -> Backend:
    runtime = Runtime.model_validate_json(settings)
    if runtime.backend != "local":
        raise ScrError(
            f"backend '{runtime.backend}' is not available yet; set `backend: local` in the board configuration"
        )
    from scr.backends.local.channels import LocalForms, LocalReviewerPages
    from scr.backends.local.documents import LocalDocuments
    from scr.backends.local.outbox import OutboxMailer
    from scr.backends.local.store import SqlStore

    forms = Path(runtime.forms_dir)
    store = SqlStore(runtime.store_url)
    clock = SystemClock() if runtime.clock_speed == 1 else ScaledClock(runtime.clock_speed)
    return Backend(
        store=store,
        mailer=_LazyOutbox(store, Path(runtime.out_dir), functools.partial(OutboxMailer, clock=clock)),
        documents=LocalDocuments(Path(runtime.out_dir)),
        clock=clock,
        renderer=Renderer(Path(runtime.templates_dir)),
        member_form=load_member_form(forms / "member-form.yaml"),
        reviewer_form=load_reviewer_form(forms / "reviewer-form.yaml"),
        forms=LocalForms(store, runtime.base_url),
        reviewers=LocalReviewerPages(store, runtime.base_url),
    )


class _LazyOutbox:
    """An outbox whose sender is each review's business manager, on behalf of its board."""

    def __init__(self, store, out_dir: Path, mailer_class):
        self._store, self._out_dir, self._mailer_class = store, out_dir, mailer_class
        self._mailers: dict[str, object] = {}

    def send(self, review_id: str, message) -> None:
        if review_id not in self._mailers:
            review = self._store.get_review(review_id)
            sender = f"{review.business_manager.name}, {review.board_name}"
            self._mailers[review_id] = self._mailer_class(self._out_dir, sender, review.business_manager.email)
        self._mailers[review_id].send(review_id, message)
