"""The loopback HTTP server: route, count, inject faults, validate, dispatch, answer JSON."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from . import docs_api, drive_api, drive_comments, forms_api, gmail_api, sheets_api
from .discovery import Method, Router
from .errors import ApiError, invalid
from .faults import DROP, FaultPlan
from .fields import apply, parse
from .state import Call, State, page_token
from .validation import check, validate_body, validate_query

Handler = Callable[[Call], Any]

HANDLERS: dict[str, Handler] = {
    **forms_api.HANDLERS,
    **docs_api.HANDLERS,
    **drive_api.HANDLERS,
    **drive_comments.HANDLERS,
    **sheets_api.HANDLERS,
    **gmail_api.HANDLERS,
}

_PERMISSION_CHANGES = {"drive.permissions.create", "drive.permissions.update", "drive.permissions.delete"}


class Dispatcher:
    """Turns one HTTP request into (status, headers, body) or DROP; knows nothing about sockets."""

    def __init__(self, router: Router, state: State, faults: FaultPlan, check_responses: bool) -> None:
        self.router = router
        self.state = state
        self.faults = faults
        self.check_responses = check_responses
        self.counts: Counter[str] = Counter()
        self.emulator_errors: list[str] = []
        self.permission_delay = 0.0
        self.reject_concurrent_permission_changes = False
        self.permission_conflicts: Counter[str] = Counter()
        self.blank_pages: Counter[str] = Counter()  # per method: pages to answer with no items, only a token
        self._in_flight: Counter[str] = Counter()
        self._count_lock = threading.Lock()

    def dispatch(self, verb: str, raw_path: str, raw_body: bytes) -> tuple[int, dict[str, str], Any] | str:
        url = urllib.parse.urlsplit(raw_path)
        found = self.router.match(verb, url.path.lstrip("/"))
        if found is None:
            error = ApiError(404, f"The requested URL {url.path} was not found on this server ({verb}).")
            return error.code, {}, error.body()
        method, path_params = found
        with self._count_lock:
            self.counts[method.id] += 1
        fault = self.faults.decide(method.id)
        if fault is not None and fault.status == DROP:
            return DROP
        try:
            if fault is not None:
                raise fault.error()
            return 200, {}, self._serve(method, path_params, url.query, raw_body)
        except ApiError as error:
            return error.code, error.headers, error.body()

    def _serve(self, method: Method, path_params: dict[str, str], query: str, raw_body: bytes) -> Any:
        params = validate_query(method, urllib.parse.parse_qs(query, keep_blank_values=True))
        params.update(path_params)
        body = None
        if raw_body.strip():
            try:
                body = json.loads(raw_body)
            except ValueError:
                raise invalid("Invalid JSON payload received. Unexpected token.") from None
        body = validate_body(method, body)
        handler = HANDLERS.get(method.id)
        if handler is None:
            raise ApiError(501, f"The emulator does not implement {method.id}.")
        call = Call(method, params, body, self.state)
        if self._blank_page(method.id):  # as Google may: no items, and a token for the same place
            result = {"nextPageToken": params.get("pageToken") or page_token(0)}
        elif method.id in _PERMISSION_CHANGES:
            result = self._permission_change(call, handler)
        else:
            with self.state.lock:
                result = handler(call)
        if result is None:
            return None
        self._check_response(method, result)
        return apply(parse(params["fields"]), result) if params.get("fields") else result

    def add_blank_pages(self, method_id: str, count: int) -> None:
        with self._count_lock:
            self.blank_pages[method_id] += count

    def _blank_page(self, method_id: str) -> bool:
        with self._count_lock:
            if self.blank_pages[method_id] <= 0:
                return False
            self.blank_pages[method_id] -= 1
            return True

    def _permission_change(self, call: Call, handler: Handler) -> Any:
        """Google does not support concurrent permission changes on one file: count (and refuse) them."""
        file_id = call.param("fileId")
        with self._count_lock:
            self._in_flight[file_id] += 1
            overlapping = self._in_flight[file_id] > 1
            if overlapping:
                self.permission_conflicts[file_id] += 1
        try:
            if overlapping and self.reject_concurrent_permission_changes:
                raise ApiError(400, "Concurrent permission changes on one file are not supported.")
            if self.permission_delay:
                threading.Event().wait(self.permission_delay)
            with self.state.lock:
                return handler(call)
        finally:
            with self._count_lock:
                self._in_flight[file_id] -= 1

    def _check_response(self, method: Method, result: Any) -> None:
        if not self.check_responses or method.response_schema is None:
            return
        try:
            check(method.api, {"$ref": method.response_schema}, result, "")
        except ApiError as error:
            problem = f"{method.id} answered outside its response schema: {error.message}"
            self.emulator_errors.append(problem)
            raise ApiError(500, f"Emulator bug: {problem}") from None


def make_server(dispatcher: Dispatcher) -> ThreadingHTTPServer:
    """A threading HTTP server on 127.0.0.1 with an ephemeral port, answering through `dispatcher`."""

    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length) if length else b""
            outcome = dispatcher.dispatch(self.command, self.path, raw_body)
            if outcome == DROP:
                self.close_connection = True
                return
            status, headers, body = outcome
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(204 if body is None and status == 200 else status)
            for name, value in headers.items():
                self.send_header(name, value)
            if payload:
                self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature of the base
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
    server.daemon_threads = True
    return server
