"""The `scr` command line: start, follow and demo a review's commissioning (quality marker 6).

This module only reads the command line; each command is a function in ``scr.entrypoints.commands``.
Exit codes, the same for every command (also in ``scr --help`` and the README):

    0  done, or nothing wrong found
    1  a problem found (a review not advanced, a check that failed, Prefect could not start)
    2  bad configuration or usage (the message names the file and field, or the option)
    130 stopped with Ctrl-C (everything received so far is kept)
"""

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

EPILOG = """\
A new board starts with:
  scr init boards/northshire          # writes boards/northshire/board.yaml to change
  scr check boards/northshire/board.yaml
  scr start boards/northshire/board.yaml

Exit codes: 0 done; 1 a problem found; 2 bad configuration or usage; 130 stopped with Ctrl-C.
Prefect keeps its database in PREFECT_HOME when set, else in a 'prefect' folder beside the board's
data (local.data_dir). `scr COMMAND --help` shows an example for each command.
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
        from scr.entrypoints.commands import with_config

        print(f"scr: {with_config(str(exc), getattr(args, 'config', None))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopped. Everything received so far is kept in the store.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    from scr import __version__
    from scr.entrypoints import commands as run

    parser = argparse.ArgumentParser(prog="scr", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"scr {__version__}")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, help: str, example: str, handler, config: bool = True,
                more: str = "") -> argparse.ArgumentParser:
        examples = "\n".join(f"  {line}" for line in example.splitlines())
        p = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                           epilog=f"Example:\n{examples}\n\n{more}".rstrip(),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        if config:
            p.add_argument("config", type=Path, metavar="CONFIG", help="the board configuration file (YAML)")
        p.set_defaults(run=handler)
        return p

    demo = command("demo", "run the whole workflow with the example board, days in seconds",
                   "scr demo --out demo-output", run.demo, config=False)
    demo.add_argument("--out", type=Path, default=Path("demo-output"),
                      help="folder for the documents and outbox (started afresh; default: demo-output)")

    init = command("init", "write an example board configuration for a new board to start from",
                   "scr init boards/northshire\nscr check boards/northshire/board.yaml", run.init, config=False)
    init.add_argument("folder", type=Path, metavar="FOLDER", help="folder for board.yaml (made if missing)")

    command("check", "check a board configuration file and say what to fix", "scr check board.yaml", run.check)

    start = command("start", "start commissioning a review: invite the members at once (a run in the Prefect UI), "
                             "then take it on whenever a step is due, until the ToR is agreed",
                    "scr start board.yaml\nscr start board.yaml --detach   # then `scr serve board.yaml`, or "
                    "`scr advance board.yaml` from cron",
                    run.start)
    start.add_argument("--poll-minutes", type=float, default=1.0,
                       help="how often to look whether a step is due: answers, a reminder, a deadline "
                            "(default: 1)")
    start.add_argument("--detach", action="store_true",
                       help="send the invitations and return; `scr serve` (its schedule) or `scr advance` "
                            "(from cron) takes the review on from there")
    start.add_argument("--no-web", action="store_true",
                       help="do not start the local web app here (run `scr serve` elsewhere); "
                            "never started with backend: google")

    status = command("status", "show where a review stands (names and counts, no answer text)",
                     "scr status board.yaml\nscr status board.yaml --all\nscr status board.yaml --review SCR-2026-014",
                     run.status)
    which = status.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="one line for every review in the store")
    _review_option(which)

    command("advance", "take every open review with a step due as far as it can go now, then stop, without "
                       "Prefect (run it from cron: nothing waits in between)", "scr advance board.yaml", run.advance)

    _add_steering(command)

    decide = command("decide", "record the decisions on A1-A5 from a YAML file (or write a starting file)",
                     "scr decide board.yaml decisions.yaml --template   # write a starting file, pre-filled\n"
                     "scr decide board.yaml decisions.yaml              # record it (a new version each time)",
                     run.decide, more=DECIDE_MORE)
    decide.add_argument("file", type=Path, metavar="FILE.yaml", help="the decisions")
    decide.add_argument("--template", action="store_true",
                        help="write FILE.yaml pre-filled from the evidence (never over an existing file), and stop")
    decide.add_argument("--by", help="who records them (default: the business manager in the configuration)")
    _review_option(decide)

    serve = command("serve", "run what one machine needs: a Prefect server, the reviews advanced on a schedule, "
                             "and the web app members and reviewers use", "scr serve board.yaml", run.serve)
    serve.add_argument("--advance-minutes", type=float, default=15.0,
                       help="how often open reviews are advanced (default: 15)")
    serve.add_argument("--prefect-port", type=int, default=4200,
                       help="port of the Prefect server started here (not used if PREFECT_API_URL is set)")
    serve.add_argument("--web-only", action="store_true", help="run only the web app")

    imports = command("import-responses", "import members' answers from a Google Forms CSV download "
                                          "(hand-made forms)", "scr import-responses board.yaml responses.csv",
                      run.import_responses)
    imports.add_argument("csv", type=Path, metavar="FILE.csv", help='the form\'s "Download responses (.csv)" file')
    _review_option(imports)

    command("google-check", "check the Google account can reach the configured folder, templates, sheets "
                            "and APIs (reads only)", "scr google-check board.yaml", run.google_check)

    trial = command("google-trial", "once, before the first real review: prove on live Google what the Google "
                                    "backend assumes (you answer a form, edit it, comment, read one email)",
                    "scr google-trial board.yaml --me priya.shah@northshire-scp.example.org",
                    run.google_trial, more=TRIAL_MORE)
    trial.add_argument("--me", required=True, metavar="ADDRESS",
                       help="your address: you answer the trial form and comment as this person (not the account "
                            "the tool acts as)")
    trial.add_argument("--report", type=Path, metavar="FILE",
                       help="where to write the report (default: google-trial-<time>.txt here)")
    trial.add_argument("--wait-minutes", type=float, default=30, help="how long to wait for each of your steps")
    trial.add_argument("--poll-seconds", type=float, default=10, help="how often to look for them (default: 10)")
    return parser


DECIDE_MORE = """\
decisions.yaml:
  meeting_date: 2026-12-18
  agreed_by: the partners at their meeting, chaired by the independent chair
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


TRIAL_MORE = """\
In a new subfolder of the configured Drive folder it checks, one line each: the member form made
unpublished with every item ("other" options included), published, and opened to you alone; your
answer and your edit read back (respondentEmail, and which time the responses filter reads); a
reviewer's own copy of the summary, your comments on it (which author fields Google gives, 'me',
COMPLETE, the section a comment is tied to); a Doc with headings, bullets, a table and non-Latin text;
a tracker tab; one email to you and its Message-ID. Each line says ok or what Google did instead.
Everything it made goes to the trash at the end; the report never holds what you typed.
Exit status: 0 all ok, 1 a problem to read in the report, 2 the configuration or key cannot be used.
"""


def _review_option(parser) -> None:
    parser.add_argument("--review", metavar="ID", help="the review (default: case.review_id in the configuration)")


def _add_steering(command) -> None:
    """The business manager's decisions while a review waits; each is recorded with who and when."""
    from scr.entrypoints import commands as run

    def steer(name: str, help: str, example: str, decide) -> argparse.ArgumentParser:
        parser = command(name, help, example, lambda args: run.steer(args, decide))
        parser.add_argument("--by", help="who decides (default: the business manager in the configuration)")
        _review_option(parser)
        return parser

    steer("close", "close member input early: the summary is written from the answers received",
          "scr close board.yaml", "close member input early")
    extend = steer("extend", "move the members' (or reviewers') deadline later",
                   "scr extend board.yaml --days 3\nscr extend board.yaml --days 2 --reviewers",
                   lambda args: f"extend the {'reviewers' if args.reviewers else 'members'}' deadline")
    extend.add_argument("--days", type=int, required=True, help="working days to add")
    extend.add_argument("--reviewers", action="store_true", help="extend the lead reviewers' deadline instead")
    late = steer("include-late", "count answers given after the close (or, with --leave-out, leave them out)",
                 "scr include-late board.yaml\nscr include-late board.yaml --leave-out",
                 lambda args: "leave late answers out" if args.leave_out else "include late answers")
    late.add_argument("--leave-out", action="store_true", help="leave late answers out (the default)")
    without = steer("without-reviewer", "stop waiting for one lead reviewer",
                    "scr without-reviewer board.yaml jane.whitfield@independent-reviews.example.org",
                    "go ahead without a lead reviewer")
    without.add_argument("reviewer", help="the lead reviewer's email address")
    complete = steer("mark-complete", "record that a lead reviewer completed their review (said outside the tool)",
                     "scr mark-complete board.yaml jane.whitfield@independent-reviews.example.org",
                     "mark a lead reviewer's review complete")
    complete.add_argument("reviewer", help="the lead reviewer's email address")
    steer("cancel", "cancel the review: it stops at its next check and sends nothing more",
          "scr cancel board.yaml", "cancel the review")


if __name__ == "__main__":
    sys.exit(main())
