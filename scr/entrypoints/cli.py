"""The `scr` command line: start, follow and demo a review's commissioning (quality marker 6)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from scr.errors import ConfigError, ScrError

DESCRIPTION = """\
Commission a Serious Case Review (or a Local Child Safeguarding Practice Review) under quality
marker 6: ask every board member about the case and context factors, consolidate their input for
the lead reviewers, take the reviewers' comments, and draft the terms of reference with the
rationale for a proportionate approach, plus evidence for the marker's four questions.
"""


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as exc:
        print(f"Configuration problem in {exc}", file=sys.stderr)
        return 2
    except ScrError as exc:
        print(f"scr: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped. Everything received so far is kept in the store.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scr", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="run the whole workflow with the example board, days in seconds")
    demo.add_argument("--out", type=Path, default=Path("demo-output"),
                      help="folder for the documents and outbox (started afresh; default: demo-output)")
    demo.set_defaults(run=_demo)

    check = sub.add_parser("check", help="check a board configuration file and say what to fix")
    check.add_argument("config", type=Path, help="board configuration YAML (see config/example-board.yaml)")
    check.set_defaults(run=_check)

    start = sub.add_parser("start", help="start commissioning a review and run it until the ToR is drafted")
    start.add_argument("config", type=Path, help="board configuration YAML")
    start.add_argument("--poll-minutes", type=float, default=1.0,
                       help="how often a waiting review checks for answers (default: 1)")
    start.add_argument("--detach", action="store_true",
                       help="send the invitations and return; `scr advance` (from cron or a schedule) "
                            "takes the review on from there")
    start.add_argument("--no-web", action="store_true",
                       help="do not start the local web app here (run `scr serve` elsewhere); "
                            "never started with backend: google")
    start.set_defaults(run=_start)

    status = sub.add_parser("status", help="show where a review stands (names and counts, no answer text)")
    status.add_argument("config", type=Path, help="board configuration YAML the review was started with")
    status.set_defaults(run=_status)

    advance = sub.add_parser("advance", help="take every open review as far as it can go now, then stop "
                                             "(run it from cron or a schedule: nothing waits in between)")
    advance.add_argument("config", type=Path, help="board configuration YAML (for where the store is)")
    advance.set_defaults(run=_advance)

    _add_steering(sub)
    _add_decide(sub)

    serve = sub.add_parser("serve", help="run what one machine needs: a Prefect server, the reviews advanced on "
                                         "a schedule, and the web app members and reviewers use")
    serve.add_argument("config", type=Path, help="board configuration YAML")
    serve.add_argument("--advance-minutes", type=float, default=15.0,
                       help="how often open reviews are advanced (default: 15)")
    serve.add_argument("--prefect-port", type=int, default=4200,
                       help="port of the Prefect server started here (not used if PREFECT_API_URL is set)")
    serve.add_argument("--web-only", action="store_true", help="run only the web app")
    serve.set_defaults(run=_serve)

    imports = sub.add_parser("import-responses",
                             help="import members' answers from a Google Forms CSV download (hand-made forms)")
    imports.add_argument("config", type=Path, help="board configuration YAML the review was started with")
    imports.add_argument("csv", type=Path, metavar="FILE.csv", help='the form\'s "Download responses (.csv)" file')
    imports.add_argument("--review", metavar="REVIEW_ID", help="the review to import into (default: case.review_id)")
    imports.set_defaults(run=_import_responses)

    google = sub.add_parser("google-check", help="check the Google account can reach the configured folder, "
                            "templates, sheets and APIs (reads only)")
    google.add_argument("config", type=Path, help="board configuration YAML")
    google.set_defaults(run=_google_check)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from scr.demo.run import run_demo

    print("Running the demo review for the example board (a fortnight passes in a few seconds)...")
    result = run_demo(args.out)
    _print_documents(result.documents)
    print(f"Messages sent: {args.out / result.review_id / 'outbox'}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from scr.config import load_board_config

    config = load_board_config(args.config)
    members = (f"{len(config.members)} members from {len(config.agencies)} agencies" if config.members
               else f"members from roster sheet {config.google.roster_sheet_id}")
    print(f"{args.config}: OK. {config.case.review_id} for {config.case.child_pseudonym}: "
          f"{members}, {len(config.lead_reviewers)} lead reviewer(s).")
    return 0


def _start(args: argparse.Namespace) -> int:
    from flows.commission_review import commission_review
    from scr.bootstrap import backend_for, board_members
    from scr.config import load_board_config, review_from_config
    from scr.entrypoints.webserver import BackgroundWebServer, build_app
    from scr.settings import Runtime

    config = load_board_config(args.config)
    runtime = Runtime.from_config(config, poll_seconds=args.poll_minutes * 60)
    review = review_from_config(config, board_members(config))
    backend_for(runtime).store.create_review(review, config.deadlines.schedule())
    print(f"Started {review.review_id} for {review.child_pseudonym}: inviting {len(review.members)} members.")
    if args.detach:
        from scr.services.advancing import advance

        stage = advance(backend_for(runtime), review.review_id)
        print(f"{review.review_id}: {stage}. Run `scr advance {args.config}` regularly (cron, or a schedule) "
              "to take it on; nothing runs in between.")
        return 0
    if args.no_web or config.backend == "google":  # on Google, members answer a Google Form
        documents = commission_review(review.review_id, runtime)
    else:
        _say_where_web_listens(config.local.web_host, config.local.web_port)
        with BackgroundWebServer(build_app(runtime), config.local.web_host, config.local.web_port):
            documents = commission_review(review.review_id, runtime)
    _print_documents(documents)
    return 0


def _status(args: argparse.Namespace) -> int:
    from scr.config import load_board_config
    from scr.entrypoints.status import describe
    from scr.settings import Runtime

    config = load_board_config(args.config)
    print(describe(Runtime.from_config(config), config.case.review_id))
    return 0


def _serve(args: argparse.Namespace) -> int:
    import datetime as dt

    from scr.config import load_board_config
    from scr.entrypoints.webserver import BackgroundWebServer, build_app
    from scr.settings import Runtime

    config = load_board_config(args.config)
    runtime = Runtime.from_config(config)
    _say_where_web_listens(config.local.web_host, config.local.web_port)
    if args.web_only:
        import uvicorn

        uvicorn.run(build_app(runtime), host=config.local.web_host, port=config.local.web_port,
                    access_log=False, log_level="warning")
        return 0
    from scr.entrypoints.serve import prefect_server, serve_advancing

    with prefect_server(args.prefect_port, Path(config.local.data_dir)) as api:
        print(f"Prefect: {api.removesuffix('/api')} (open reviews advanced every {args.advance_minutes:g} minutes)")
        with BackgroundWebServer(build_app(runtime), config.local.web_host, config.local.web_port):
            serve_advancing(runtime, dt.timedelta(minutes=args.advance_minutes), config.case.review_id)
    return 0


def _import_responses(args: argparse.Namespace) -> int:
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.services.importing import ResponsesFileError, import_responses
    from scr.settings import Runtime

    config = load_board_config(args.config)
    review_id = args.review or config.case.review_id
    try:
        report = import_responses(backend_for(Runtime.from_config(config)), review_id, args.csv)
    except ResponsesFileError as exc:
        print(f"scr: {exc}", file=sys.stderr)
        return 2
    print(f"{review_id}: imported {args.csv}")
    print(f"  {report.saved} response(s) saved ({report.late} of them after the deadline, marked late)")
    print(f"  {report.unchanged} unchanged (imported before)")
    print(f"  {len(report.held_apart)} address(es) held apart, not members, never merged"
          + "".join(f"\n    {email}" for email in report.held_apart))
    if report.problems:
        print(f"{len(report.problems)} problem(s) to check in the file:")
        print("\n".join(f"  - {problem}" for problem in report.problems))
    return 0


def _google_check(args: argparse.Namespace) -> int:
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


def _advance(args: argparse.Namespace) -> int:
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.services.advancing import advance, open_reviews
    from scr.settings import Runtime

    backend = backend_for(Runtime.from_config(load_board_config(args.config)))
    reviews, failed = open_reviews(backend), 0
    for review_id in reviews:  # one review's failure does not hold up the others
        try:
            print(f"{review_id}: {advance(backend, review_id)}")
        except ScrError as exc:
            failed += 1
            print(f"{review_id}: not advanced this time: {exc}", file=sys.stderr)
    if not reviews:
        print("No open reviews.")
    return 1 if failed else 0


def _add_steering(sub) -> None:
    """The business manager's decisions while a review waits; each is recorded with who and when."""
    def command(name: str, help: str, run) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help)
        parser.add_argument("config", type=Path, help="board configuration YAML the review was started with")
        parser.add_argument("--by", help="who decides (default: the business manager in the configuration)")
        parser.set_defaults(run=lambda args: _steer(args, run))
        return parser

    from scr.services import steering

    command("close", "close member input early: the summary is written from the answers received",
            lambda b, r, by, a: steering.close_member_input_early(b, r, by))
    extend = command("extend", "move the members' (or reviewers') deadline later",
                     lambda b, r, by, a: steering.extend(b, r, by, "reviewers" if a.reviewers else "members", a.days))
    extend.add_argument("--days", type=int, required=True, help="working days to add")
    extend.add_argument("--reviewers", action="store_true", help="extend the lead reviewers' deadline instead")
    late = command("include-late", "count answers given after the close (or, with --leave-out, leave them out)",
                   lambda b, r, by, a: steering.include_late_answers(b, r, by, not a.leave_out))
    late.add_argument("--leave-out", action="store_true", help="leave late answers out (the default)")
    without = command("without-reviewer", "stop waiting for one lead reviewer",
                      lambda b, r, by, a: steering.go_ahead_without(b, r, by, a.reviewer))
    without.add_argument("reviewer", help="the lead reviewer's email address")
    command("cancel", "cancel the review: it stops at its next check and sends nothing more",
            lambda b, r, by, a: steering.cancel(b, r, by))


DECIDE_EXAMPLE = """\
example:
  scr decide boards/northshire.yaml decisions.yaml --template   # write a starting file, pre-filled
  scr decide boards/northshire.yaml decisions.yaml              # record it (a new version each time)

decisions.yaml:
  meeting_date: 2026-12-18
  agreed_by: the board at its meeting, chaired by the independent chair
  decisions:
    A1:
      option: standard
      reasons: A multi-agency look at the main period; capacity rules out more this year.
      weighed_most: [B1, B2, C4]
      proposals:
        - {reviewer: samuel.osei@..., proposal: scope, taken: adapted, reason: ...}
    A2: {text: ..., reasons: ..., weighed_most: [B2, C1]}
    ...
"""


def _add_decide(sub) -> None:
    """`scr decide`: record the board's decisions on A1-A5 from a YAML file (or write a starting file)."""
    decide = sub.add_parser("decide", help="record the board's decisions on A1-A5 from a YAML file",
                            epilog=DECIDE_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter)
    decide.add_argument("config", type=Path, help="board configuration YAML the review was started with")
    decide.add_argument("file", type=Path, metavar="FILE.yaml", help="the board's decisions")
    decide.add_argument("--template", action="store_true",
                        help="write FILE.yaml pre-filled from the evidence (never over an existing file), and stop")
    decide.add_argument("--by", help="who records them (default: the business manager in the configuration)")
    decide.add_argument("--review", metavar="REVIEW_ID", help="the review (default: case.review_id)")
    decide.set_defaults(run=_decide)


def _decide(args: argparse.Namespace) -> int:
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
        print(f"Wrote {args.file}: fill in the board's reasons, then run `scr decide {args.config} {args.file}`.")
        return 0
    by = args.by or config.board.business_manager.email
    try:
        version = record_decisions(backend, review_id, read_decision_file(backend, review_id, args.file, by))
    except DecisionRecordRefused as refused:
        print(f"scr: {refused}\nNothing was recorded; {args.file} is unchanged.", file=sys.stderr)
        return 2
    print(f"{review_id}: the board's decisions are recorded (version {version}, by {by}). The agreed terms of "
          "reference are written at the review's next check and sent to the members and lead reviewers.")
    return 0


def _steer(args: argparse.Namespace, decide) -> int:
    from scr.bootstrap import backend_for
    from scr.config import load_board_config
    from scr.settings import Runtime

    config = load_board_config(args.config)
    by = args.by or config.board.business_manager.email
    print(decide(backend_for(Runtime.from_config(config)), config.case.review_id, by, args))
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


if __name__ == "__main__":
    sys.exit(main())
