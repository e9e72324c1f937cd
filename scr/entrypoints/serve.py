"""`scr serve`: what one machine needs, on loopback: a Prefect server (unless PREFECT_API_URL names one;
see scr.entrypoints.prefect_api), the advance-reviews flow served on a schedule, and the local web app
for members and reviewers.

Nothing waits for people: each scheduled run advances every open review and exits (see
scr.services.advancing). Stopping and starting this again loses nothing; the next run carries on.
"""

from __future__ import annotations

import datetime as dt

STEERING_AT_ONCE = 4  # steer-review runs may wait paused on their form for an hour; each holds a runner slot


def serve_advancing(runtime, every: dt.timedelta) -> None:
    """Serve advance-reviews on an interval, and steer-review for the business manager, until stopped.

    Each deployment has its own concurrency limit, and the runner has room for both: paused steering runs
    never take the slot the scheduled advance needs.
    """
    from prefect import serve

    from flows.advance_reviews import advance_reviews
    from flows.steer_review import steer_review

    serve(
        # no deployment limit on advancing: a run killed mid-way would hold its slot (each review's lease in
        # the store already lets one run at a time advance it)
        advance_reviews.to_deployment(name="advance-reviews", interval=every, parameters={"runtime": runtime}),
        # the review is chosen in the form, among the reviews open when the run pauses (flows/steer_review.py)
        steer_review.to_deployment(name="steer-review", parameters={"runtime": runtime},
                                   concurrency_limit=STEERING_AT_ONCE,
                                   description="Close early, extend, include late answers, go ahead without "
                                               "a lead reviewer, or cancel: run it, then fill in the form."),
        limit=1 + STEERING_AT_ONCE, pause_on_shutdown=False, print_starting_message=False,
    )
