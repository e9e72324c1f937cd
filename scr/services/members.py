"""Board members: invite them, remind those who have not answered, and tell where things stand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scr.domain.email import EmailAddress, addresses
from scr.domain.model import Event, Review, Stage
from scr.domain.schedule import Schedule
from scr.errors import ReviewCancelled
from scr.services import messages
from scr.services.backend import Backend
from scr.services.unit_of_work import ReviewWork, work_on


@dataclass(frozen=True)
class MemberStatus:
    email: str
    name: str
    agency: str
    role: str
    status: str  # "invited" | "reminded" | "answered" | "answered late" | "no answer"
    answered_at: dt.datetime | None


@dataclass(frozen=True)
class MemberProgress:
    invited: int
    answered: int
    deadline: dt.datetime
    closed: bool
    members: tuple[MemberStatus, ...]

    @property
    def missing(self) -> tuple[MemberStatus, ...]:
        return tuple(m for m in self.members if m.answered_at is None)


def open_response_window(backend: Backend, review_id: str, schedule: Schedule | None = None) -> Schedule:
    """Fix the response deadline and reminder days the first time; later calls return them unchanged
    (``schedule``: the review's, if just read)."""
    schedule = schedule or backend.store.schedule(review_id)
    if schedule.response_deadline is None:
        opened = backend.clock.now()
        schedule = backend.store.update_schedule(
            review_id,
            opened_at=opened,
            response_deadline=schedule.deadline_after(opened, schedule.response_working_days),
            reminders=tuple(schedule.working_days_after(opened, day) for day in schedule.reminder_working_days),
        )
    if backend.store.stage(review_id) is Stage.STARTED:  # also when a run died between the two writes
        backend.store.set_stage(review_id, Stage.COLLECTING)
    return schedule


def invite_members(backend: Backend, review_id: str) -> int:
    """Send each member their personal link, once. Returns how many invitations went out now."""
    store = backend.store
    schedule = store.schedule(review_id)
    if schedule.cancelled:
        raise ReviewCancelled(review_id)
    schedule = open_response_window(backend, review_id, schedule)
    review = store.get_review(review_id)
    backend.forms.open(review)
    already = addresses(store.events(review_id, "invited"))
    to_invite = [m for m in review.members if m.address not in already]
    links = backend.forms.links_for(review, to_invite) if to_invite else []
    messages.send_links(backend, review, "invitation", to_invite, links, event="invited", zone=schedule.timezone,
                        deadline=schedule.response_deadline, personal=backend.forms.personal_links)
    tell_of_members_without_an_account(backend, review)
    return len(to_invite)


def tell_of_members_without_an_account(backend: Backend, review: Review) -> None:
    """Tell the business manager, once, which members' addresses have no Google account (on Google, where the form
    needs one): they cannot answer until they make one, so someone may need to follow them up."""
    store = backend.store
    noted = addresses(store.events(review.review_id, "no_google_account"))
    if not noted or store.events(review.review_id, "no_google_account_reported"):
        return
    manager = review.business_manager
    members = [m for m in review.members if m.address in noted]
    messages.send(backend, review, "no-google-account", manager.name, manager.email, manager=manager,
                  members=members)
    store.record_event(review.review_id, Event("no_google_account_reported", backend.clock.now(), manager.email,
                                               f"{len(members)} member(s)"))


def send_due_reminders(backend: Backend, review: str | ReviewWork) -> int:
    """Remind members who have not answered, once per reminder day that has come (the latest only)."""
    store, work = backend.store, work_on(backend, review)
    schedule, review_id = work.schedule, work.review_id
    due = schedule.reminders_due(backend.clock.now())
    if not due:
        return 0
    label = f"reminder {due[-1] + 1}"
    reminded = addresses(e for e in store.events(review_id, "reminded") if e.detail == label)
    answered = {EmailAddress(r.member_email) for r in store.latest_responses(review_id)}
    to_remind = [m for m in work.review.members if m.address not in answered | reminded]
    links = backend.forms.links_for(work.review, to_remind) if to_remind else []
    messages.send_links(backend, work.review, "reminder", to_remind, links, event="reminded", detail=label,
                        zone=schedule.timezone, deadline=schedule.response_deadline,
                        personal=backend.forms.personal_links)
    return len(to_remind)


def collect_answers(backend: Backend, review: str | ReviewWork, full: bool = False) -> int:
    """Bring answers given where members answer (the web app or a Google Form) into the store; with `full`,
    read every answer again (at the close: an edit a filtered read could miss is read then)."""
    work = work_on(backend, review)
    return backend.forms.collect(work.review, work.schedule, full=full)


def member_progress(backend: Backend, review: str | ReviewWork) -> MemberProgress:
    """Who was invited, reminded and answered. Names, agencies and times only: never answer text."""
    store, work = backend.store, work_on(backend, review)
    schedule, review_id = work.schedule, work.review_id
    invited = addresses(store.events(review_id, "invited"))
    reminded = addresses(store.events(review_id, "reminded"))
    latest = {EmailAddress(r.member_email): r for r in store.latest_responses(review_id)}
    closed = schedule.closed
    rows = []
    for member in work.review.members:
        email = member.address
        response = latest.get(email)
        if response is not None:
            status = "answered late" if response.late else "answered"
        elif closed:
            status = "no answer"
        elif email in reminded:
            status = "reminded"
        else:
            status = "invited" if email in invited else "not invited"
        rows.append(MemberStatus(member.email, member.name, member.agency, member.role, status,
                                 response.submitted_at if response else None))
    return MemberProgress(
        invited=len(invited & {m.address for m in work.review.members}),
        answered=sum(1 for r in rows if r.answered_at is not None),
        deadline=schedule.response_deadline,
        closed=closed,
        members=tuple(rows),
    )
