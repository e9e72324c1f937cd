"""`scr advance`, killed with SIGKILL right after its Nth side effect: a test-only driver, run as a process.

    python -m tests.flows.crashing_advance CONFIG 0    runs `scr advance CONFIG` to the end
    python -m tests.flows.crashing_advance CONFIG N    the same run, killed (SIGKILL) just after side effect N
    python -m tests.flows.crashing_advance --fork-server
                                                       imports the product once, then runs each run asked of it
                                                       on stdin in a process of its own, forked from itself

Either way each side effect is printed as it returns, one a line: ``effect: <name>``.

A side effect is one write that outlives the process, counted where it happens:

- a store write, from whichever part of the product makes it (the store's own methods are wrapped, so
  the form and reviewer channels' writes count too); taking the review's lease counts, giving it back
  does not (a run that dies there has done everything);
- a request to Google that changes something (every method but GET), named by its discovery method id;
- a call of a port that may change the outside world (send an email, write or share a document, open,
  close or collect a form, collect reviewers' input, write the tracker) that made none of the above itself
  (a local document written as files, an .eml written to the outbox).

The names say what kind of effect it was, never what anyone answered. Nothing in the product is changed:
`scr advance` runs as it does from the command line, with the ports of its backend wrapped.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import os
import signal
import sys
import traceback
from typing import Any, NoReturn

STORE_WRITES = (
    "claim", "update_schedule", "set_stage", "issue_token", "close_tokens", "save_response",
    "hold_response", "add_reviewer_comment", "set_proposal", "mark_reviewer_complete", "record_event", "set_document",
    "update_google_form", "set_google_responder", "add_google_response_seen", "set_google_reviewer_copy",
    "set_google_summary_sections", "set_reported_progress", "issue_tokens", "record_events",
)
PREFIX = "effect: "
#: What `scr advance` imports on its way, imported once by the fork server so that its children start at once.
PRELOAD = (
    "scr.entrypoints.cli", "scr.bootstrap", "scr.services.advancing", "scr.services.steering",
    "scr.store.store", "scr.backends.local.channels", "scr.backends.local.documents",
    "scr.backends.local.outbox", "scr.backends.csv_import", "scr.backends.google.channels",
    "scr.backends.google.comments", "scr.backends.google.reviewer_docs",
    "scr.backends.google.documents", "scr.backends.google.gmail",
    "scr.backends.google.sheets", "scr.backends.google.wiring", "googleapiclient.discovery", "googleapiclient.http",
)
PORT_EFFECTS = {
    "mailer": ("send",),
    "documents": ("write", "share"),
    "forms": ("open", "close", "collect"),
    "reviewers": ("collect",),
    "tracker": ("write",),
}


class Effects:
    """Counts side effects as they return; kills this process right after the one numbered `kill_after`."""

    def __init__(self, kill_after: int):
        self.kill_after = kill_after
        self.seen: list[str] = []

    def done(self, name: str) -> None:
        self.seen.append(name)
        print(f"{PREFIX}{name}", flush=True)
        if len(self.seen) == self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    def counting(self, name_of, call):
        """`call`, counted as one side effect named `name_of(*args)` once it returns."""

        @functools.wraps(call)
        def counted(*args, **kwargs):
            result = call(*args, **kwargs)
            self.done(name_of(*args, **kwargs))
            return result

        return counted


class PortProxy:
    """A port whose side-effecting methods count, unless what they did inside was counted already."""

    def __init__(self, port: Any, port_name: str, methods: tuple[str, ...], effects: Effects):
        self._port, self._name, self._methods, self._effects = port, port_name, methods, effects

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._port, name)
        if name not in self._methods:
            return attribute

        def call(*args, **kwargs):
            before = len(self._effects.seen)
            result = attribute(*args, **kwargs)
            if len(self._effects.seen) == before:
                self._effects.done(f"{self._name}.{name}({_detail(self._name, args)})")
            return result

        return call


def _detail(port: str, args: tuple) -> str:
    """What the call was about (a message's kind, a document's name), never its content."""
    if port == "mailer" and len(args) > 1:
        return args[1].kind
    if port == "documents" and len(args) > 1:
        return args[1]
    return ""


def _store_name(method: str):
    """Names a store write by its method and what it was about: an event's kind, a value's key, a stage."""
    def name(*args, **kwargs) -> str:
        about = [*args[1:], *kwargs.values()]  # after the review id
        if method == "record_event":
            return f"store.record_event({about[0].kind})"
        if method in ("set_document", "set_stage"):
            return f"store.{method}({about[0]})"
        if method == "update_schedule":
            return f"store.update_schedule({','.join(sorted(kwargs))})"
        if method == "record_events":
            return f"store.record_events({','.join(sorted({e.kind for e in about[0]}))})"
        if method in ("issue_token", "issue_tokens", "close_tokens"):
            return f"store.{method}({about[-1]})"
        return f"store.{method}"

    return name


def wrap_store(store: Any, effects: Effects) -> None:
    """Count the store's writes in place: the backend's channels hold this same store."""
    for method in STORE_WRITES:
        setattr(store, method, effects.counting(_store_name(method), getattr(store, method)))


def wrap_google_requests(effects: Effects) -> None:
    """Count every request to Google that is not a GET, once it has been answered."""
    from googleapiclient.http import HttpRequest

    execute = HttpRequest.execute

    def counted(self, *args, **kwargs):
        result = execute(self, *args, **kwargs)
        if self.method != "GET":
            effects.done(f"google {self.methodId}")
        return result

    HttpRequest.execute = counted


def crashing_backend(runtime: Any, backend: Any, effects: Effects) -> Any:
    """`backend` with its side effects counted (built once per process, so wrapped once)."""
    wrap_store(backend.store, effects)
    if runtime.backend == "google":
        wrap_google_requests(effects)
    ports = {name: PortProxy(getattr(backend, name), name, methods, effects)
             for name, methods in PORT_EFFECTS.items() if getattr(backend, name) is not None}
    return dataclasses.replace(backend, **ports)


def crashing_advance(config: str, kill_after: int) -> int:
    """`scr advance CONFIG` with its backend's side effects counted, killed after effect `kill_after` (0: never)."""
    import scr.bootstrap
    from scr.entrypoints import cli

    effects = Effects(kill_after)
    build = scr.bootstrap.backend_for
    wrapped: dict[str, Any] = {}

    def backend_for(runtime):
        if "backend" not in wrapped:  # `scr advance` builds one backend; its store is wrapped once
            wrapped["backend"] = crashing_backend(runtime, build(runtime), effects)
        return wrapped["backend"]

    scr.bootstrap.backend_for = backend_for
    return cli.main(["advance", config])


def serve() -> int:
    """Run each run asked on stdin (a JSON line: config, kill_after, out) in a process forked from this one.

    This process only imports; each child builds its backend, runs, and ends (or is killed) as `scr advance`
    does, writing what it prints to `out`. ``kill_after`` null runs plain `scr advance`. One JSON line answers
    each run: its ``returncode`` (-9 for a child killed by SIGKILL).
    """
    for module in PRELOAD:
        importlib.import_module(module)
    for line in sys.stdin:
        request = json.loads(line)
        child = os.fork()
        if child == 0:
            _run_child(request)
        _, status = os.waitpid(child, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)
    return 0


def _run_child(request: dict) -> NoReturn:
    code = 70
    try:
        out = os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(out)
        if request["kill_after"] is None:
            from scr.entrypoints import cli

            code = cli.main(["advance", request["config"]])
        else:
            code = crashing_advance(request["config"], request["kill_after"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    if sys.argv[1:] == ["--fork-server"]:
        sys.exit(serve())
    sys.exit(crashing_advance(sys.argv[1], int(sys.argv[2])))
