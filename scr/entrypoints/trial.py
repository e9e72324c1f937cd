"""The person running `scr google-trial` at a terminal: told what to do, asked for one thing (a Message-ID)."""

from __future__ import annotations

import io
import select
import sys
from typing import TextIO

__all__ = ["TerminalOperator"]


class TerminalOperator:
    """Prints each step as it comes; `ask` waits at most `timeout` seconds for a line on `stdin`."""

    def __init__(self, out: TextIO | None = None, stdin: TextIO | None = None, poll_seconds: float = 10):
        self.out, self.stdin, self.poll_seconds = out or sys.stdout, stdin or sys.stdin, poll_seconds

    def tell(self, step) -> None:
        print(f"\n>>> {step.text}", file=self.out)
        print(f"    (waiting: the trial looks every {self.poll_seconds:g} s)", file=self.out, flush=True)

    def ask(self, step, timeout: float) -> str | None:
        print(f"\n>>> {step.text}", file=self.out, flush=True)
        try:
            ready, _, _ = select.select([self.stdin], [], [], timeout)
        except (ValueError, OSError, io.UnsupportedOperation):  # not a real stream (e.g. under a test runner)
            ready = [self.stdin]
        line = self.stdin.readline() if ready else ""
        if not ready:
            print("\n    (no answer: not confirmed)", file=self.out, flush=True)
        return line.strip() or None
