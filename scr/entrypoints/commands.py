"""What each `scr` command does, given its parsed arguments; ``scr.entrypoints.cli`` reads the command line.

Commands that run a flow start Prefect first (``scr.entrypoints.prefect_api``), before anything imports
it, and only then touch the review, so a Prefect that cannot start leaves nothing half-begun.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path

from scr.errors import ScrError


def with_config(message: str, config: Path | None) -> str:
    """Hints name `scr ... CONFIG`; where the command was given a configuration file, name that file."""
    return message.replace(" CONFIG", f" {shlex.quote(str(config))}") if config else message


def demo(args: argparse.Namespace) -> int:
    from scr.demo.run import run_demo
    from scr.entrypoints.prefect_api import prefect_api, use_prefect_home

    home = use_prefect_home(args.out)  # beside the demo's data (OUT/.scr-data), kept from one demo to the next
    with prefect_api(home):
        print("Running the demo review for the example board (a fortnight passes in a few seconds)...")
        result = run_demo(args.out)
    _print_documents(result.documents)
    print(f"Messages sent: {args.out / result.review_id / 'outbox'}")
    return 0


def init(args: argparse.Namespace) -> int:
    from scr import assets

    target = args.folder / "board.yaml"
    if target.exists():
        print(f"scr: {target} already exists; nothing was written. Choose another folder, or edit that file.",
              file=sys.stderr)
        return 2
    args.folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(assets.example_config_path(), target)
    print(f"Wrote {target}: an example board to change for yours (board, members, lead reviewers, case).")
    print(f"Then check it with `scr check {target}`.")
    return 0


def check(args: argparse.Namespace) -> int:
    from scr.bootstrap import setup_problems
    from scr.config import load_board_config
    from scr.errors import ConfigError

    config = load_board_config(args.config)
    if problems := setup_problems(config):
        raise ConfigError(str(args.config), problems)
    members = (f"{len(config.members)} members from {len(config.agencies)} agencies" if config.members
               else f"members from roster sheet {config.google.roster_sheet_id}")
    print(f"{args.config}: OK. {config.case.review_id} for {config.case.child_pseudonym}: "
          f"{members}, {len(config.lead_reviewers)} lead reviewer(s).")
    partners = config.board.statutory_partners
    if config.regime == "partnership" and partners:
        print(f"Safeguarding partnership (Local Child Safeguarding Practice Review); statutory partners: "
              f"{partners.local_authority}, {partners.integrated_care_board}, {partners.police}.")
    else:
        print("Local Safeguarding Children Board (Serious Case Review).")
    for warning in config.warnings():
        print(f"Warning: {warning}")
    return 0


def start(args: argparse.Namespace) -> int:
    from scr.config import load_board_config

    config = load_board_config(args.config)
    runtime, review = _new_review(config, args)
    from scr.entrypoints.prefect_api import prefect_api, use_prefect_home

    with prefect_api(use_prefect_home(config.local.data_dir)):
        _create(config, runtime, review)
        if args.detach:  # one run now, so the review shows in the Prefect UI at once; the schedule does the rest
            from flows.advance_review import run_review

            stage = run_review(review.review_id, runtime)
            print(f"{review.review_id}: {stage}. Run `scr advance {args.config}` regularly (from cron), or keep "
                  "scr serve running, to take it on; nothing runs in between.")
            return 0
        documents = _run_in_foreground(config, runtime, review.review_id, args.no_web)
    _print_documents(documents)
    return 0


def _new_review(config, args: argparse.Namespace):
    """The review the configuration describes; refused at once if it was already started."""
    from scr.bootstrap import backend_for, board_members
    from scr.config import review_from_config
    from scr.errors import ReviewExists
    from scr.settings import Runtime

    runtime = Runtime.from_config(config, poll_seconds=args.poll_minutes * 60)
    if config.case.review_id in backend_for(runtime).store.review_ids():
        raise ReviewExists(config.case.review_id)
    return runtime, review_from_config(config, board_members(config))


def _create(config, runtime, review) -> None:
    from scr.bootstrap import backend_for

    backend_for(runtime).store.create_review(review, config.deadlines.schedule())
    print(f"Started {review.review_id} for {review.child_pseudonym}: inviting {len(review.members)} members.")


def _run_in_foreground(config, runtime, review_id: str, no_web: bool) -> dict[str, list[str]]:
    """Advance the review on a timer in this process, a line printed whenever it moves on."""
    from flows.advance_review import follow
    from scr.bootstrap import backend_for
    from scr.entrypoints.status import ProgressLines
    from scr.entrypoints.webserver import BackgroundWebServer, build_app
    from scr.services.advancing import documents_by_label

    backend = backend_for(runtime)
    with ProgressLines(backend, review_id):
        if no_web or config.backend == "google":  # on Google, members answer a Google Form
            follow(review_id, runtime, runtime.poll_seconds)
        else:
            _say_where_web_listens(config.local.web_host, config.local.web_port)
            with BackgroundWebServer(build_app(runtime), config.local.web_host, config.local.web_port):
                follow(review_id, runtime, runtime.poll_seconds)
    return {label: paths for label, paths in documents_by_label(backend, review_id).items() if paths}


def status(args: argparse.Namespace) -> int:
    from scr.config import load_board_config
    from scr.entrypoints.status import describe, overview
    from scr.settings import Runtime

    config = load_board_config(args.config)
    runtime = Runtime.from_config(config)
    print(with_config(overview(runtime), args.config) if args.all
          else describe(runtime, args.review or config.case.review_id))
    return 0


def advance(args: argparse.Namespace) -> int:
    """Advance every open review with a step due, here and now, without Prefect (for cron); `scr serve` and the
    advance-reviews deployment do the same as Prefect runs the business manager sees in the UI."""
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.services import advancing
    from scr.settings import Runtime

    backend = backend_for(Runtime.from_config(load_board_config(args.config)))
    outcomes = advancing.advance_due(backend, lambda review_id: str(advancing.advance(backend, review_id)))
    for review_id, outcome in outcomes.items():  # one review's failure does not hold up the others
        failed = outcome.startswith(advancing.NOT_ADVANCED)
        print(f"{review_id}: {outcome}", file=sys.stderr if failed else sys.stdout)
    for review_id in advancing.open_reviews(backend):
        if review_id not in outcomes:
            print(f"{review_id}: {backend.store.stage(review_id)} (nothing due: it waits for people)")
    if not outcomes and not advancing.open_reviews(backend):
        print("No open reviews.")
    return 1 if any(o.startswith(advancing.NOT_ADVANCED) for o in outcomes.values()) else 0


def serve(args: argparse.Namespace) -> int:
    import datetime as dt

    from scr.config import load_board_config
    from scr.entrypoints.webserver import BackgroundWebServer, build_app
    from scr.settings import Runtime

    config = load_board_config(args.config)
    runtime = Runtime.from_config(config)
    if args.web_only:
        import uvicorn

        _say_where_web_listens(config.local.web_host, config.local.web_port)
        uvicorn.run(build_app(runtime), host=config.local.web_host, port=config.local.web_port,
                    access_log=False, log_level="warning")
        return 0
    from scr.entrypoints.prefect_api import prefect_api, use_prefect_home

    with prefect_api(use_prefect_home(config.local.data_dir), port=args.prefect_port) as api:
        from scr.entrypoints.serve import serve_advancing

        print(f"Prefect: {api.removesuffix('/api')} (open reviews advanced every {args.advance_minutes:g} minutes)")
        _say_where_web_listens(config.local.web_host, config.local.web_port)
        with BackgroundWebServer(build_app(runtime), config.local.web_host, config.local.web_port):
            serve_advancing(runtime, dt.timedelta(minutes=args.advance_minutes))
    return 0


def import_responses(args: argparse.Namespace) -> int:
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.services.importing import ResponsesFileError, import_responses
    from scr.settings import Runtime

    config = load_board_config(args.config)
    review_id = args.review or config.case.review_id
    try:
        report = import_responses(backend_for(Runtime.from_config(config)), review_id, args.csv,
                                  config.deadlines.timezone)
    except ResponsesFileError as exc:
        print(f"scr: {with_config(str(exc), args.config)}", file=sys.stderr)
        return 2
    print(f"{review_id}: imported {args.csv}")
    print(f"  {report.saved} response(s) saved ({report.late} of them after the deadline, marked late)")
    print(f"  {report.unchanged} unchanged (imported before)")
    if report.duplicates:
        print(f"  {len(report.duplicates)} row(s) repeated within this file, imported once: "
              + ", ".join(f"row {row} (as row {first})" for row, first in report.duplicates))
    print("".join(f"  Note: {note}\n" for note in report.notes), end="")
    print(f"  {len(report.held_apart)} address(es) held apart, not members, never merged"
          + "".join(f"\n    {email}" for email in report.held_apart))
    if report.problems:
        print(f"{len(report.problems)} problem(s) to check in the file:")
        print("\n".join(f"  - {problem}" for problem in report.problems))
    return 0


def google_check(args: argparse.Namespace) -> int:
    from scr.bootstrap import check_access
    from scr.config import load_board_config

    config = load_board_config(args.config)
    try:
        lines, ok = check_access(config)
    except ScrError as exc:  # the credentials could not be loaded; the message never shows the key
        print(f"scr: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0 if ok else 1


def google_trial(args: argparse.Namespace) -> int:
    import datetime as dt

    from scr.bootstrap import google_trial
    from scr.config import load_board_config
    from scr.entrypoints.trial import TerminalOperator

    config = load_board_config(args.config)
    report = args.report or Path(f"google-trial-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.txt")
    try:
        result = google_trial(config, args.me, TerminalOperator(poll_seconds=args.poll_seconds), report,
                              args.wait_minutes, args.poll_seconds)
    except ScrError as exc:  # no google section, or a key that cannot be loaded; never shows the key
        print(f"scr: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"Stopped. What the trial made is in Drive's trash; the lines so far are in {report}.", file=sys.stderr)
        return 130
    print("\n" + "\n".join(str(check) for check in result.checks))
    print(f"Report: {result.path}")
    return 0 if result.ok else 1


def decide(args: argparse.Namespace) -> int:
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.domain.decisions import DecisionRecordRefused
    from scr.services.deciding import record_decisions
    from scr.services.decision_file import decision_template, read_decision_file
    from scr.settings import Runtime

    config = load_board_config(args.config)
    backend = backend_for(Runtime.from_config(config))
    review_id = args.review or config.case.review_id
    if args.template:
        if args.file.exists():
            print(f"scr: {args.file} exists; give a new file name for the template.", file=sys.stderr)
            return 2
        args.file.write_text(decision_template(backend, review_id, args.file.name), encoding="utf-8")
        print(f"Wrote {args.file}: fill in the reasons, then run `scr decide {args.config} {args.file}`.")
        return 0
    by = args.by or config.board.business_manager.email
    try:
        version = record_decisions(backend, review_id, read_decision_file(backend, review_id, args.file, by))
    except DecisionRecordRefused as refused:
        print(f"scr: {refused}\nNothing was recorded; {args.file} is unchanged.", file=sys.stderr)
        return 2
    print(f"{review_id}: the decisions are recorded (version {version}, by {by}). The agreed terms of "
          "reference are written at the review's next check and sent to the members and lead reviewers.")
    return 0


def steer(args: argparse.Namespace, decision) -> int:
    """One of the business manager's decisions (``decision``: its name in ``steering.DECISIONS``, or a function
    of the arguments giving it), carried out by the same dispatch as the steer-review flow's form."""
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.services import steering
    from scr.settings import Runtime

    config = load_board_config(args.config)
    by = args.by or config.board.business_manager.email
    choice = steering.Choice(decision(args) if callable(decision) else decision, by,
                             working_days=getattr(args, "days", 0), lead_reviewer_email=getattr(args, "reviewer", ""))
    print(steering.apply(backend_for(Runtime.from_config(config)), args.review or config.case.review_id, choice))
    print(f"Recorded as decided by {by}; it appears in the QM6 evidence.")
    return 0


def _say_where_web_listens(host: str, port: int) -> None:
    where = "loopback only" if host in ("127.0.0.1", "localhost", "::1") else "REACHABLE FROM OTHER MACHINES"
    print(f"Web app for members and reviewers: http://{host}:{port} ({where}).")


def _print_documents(documents: dict[str, list[str]]) -> None:
    print("Documents:")
    for name, paths in documents.items():
        for path in paths:
            print(f"  {name}: {path}")
