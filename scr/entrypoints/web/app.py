"""Building the app: routes, security headers on every response, a body limit, one generic 404
(a 429 once one client address has sent too many bad links in a minute)."""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scr.domain.forms import MemberForm, ReviewerForm
from scr.domain.summary import FactorSummary
from scr.entrypoints.web import board, member, reviewer
from scr.entrypoints.web.context import LinkNotFound, WebContext
from scr.entrypoints.web.guard import FormGuard
from scr.entrypoints.web.throttle import WINDOW, BadLinkThrottle
from scr.ports import Clock, ReviewStore
from scr.rendering import Renderer

log = logging.getLogger("scr.web")

# The largest form a person can fill in validly: about 30 boxes of MAX_TEXT characters, each up to 4 bytes of
# UTF-8 and percent-encoded (x3), stays under this; a post over it is refused with the too_large page.
MAX_BODY = 2 * 1024 * 1024
DRAIN = 16 * MAX_BODY  # read (and drop) an oversized post up to this, so the browser shows the page, not a reset
NOT_FOUND = "Not found. If you followed a link from an email, the link may have expired.\n"
TOO_MANY = "Too many requests. Please wait a minute, then open the link from your email again.\n"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "same-origin",  # nothing to other sites; our own posts carry their real Origin
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def create_app(
    store: ReviewStore,
    member_form: MemberForm,
    reviewer_form: ReviewerForm,
    clock: Clock,
    renderer: Renderer,
    summary_for: Callable[[str], FactorSummary],
    board_pages: board.BoardPages | None = None,
) -> FastAPI:
    """The local web app for one store; every adapter is passed in. With ``board_pages``, the business
    manager's page for the board's decisions too."""
    guard = FormGuard(store.web_secret())
    context = WebContext(store, member_form, reviewer_form, clock, renderer, summary_for, guard)
    throttle = BadLinkThrottle()
    app = FastAPI(title="SCR commissioning", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(member.routes(context))
    app.include_router(reviewer.routes(context))
    if board_pages is not None:
        app.include_router(board.routes(context, board_pages))

    @app.get("/healthz")
    def healthz() -> dict:
        return {"ok": True}

    @app.exception_handler(LinkNotFound)
    async def link_not_found(request: Request, _exc: LinkNotFound) -> PlainTextResponse:
        if throttle.too_many(request.client.host if request.client else ""):
            return PlainTextResponse(TOO_MANY, status_code=429, headers={"Retry-After": str(WINDOW)})
        return PlainTextResponse(NOT_FOUND, status_code=404)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> PlainTextResponse:
        text = NOT_FOUND if exc.status_code == 404 else f"{exc.status_code}: request not accepted.\n"
        return PlainTextResponse(text, status_code=exc.status_code, headers=exc.headers)

    app.add_middleware(BodyLimit, limit=MAX_BODY, page=lambda path: too_large_page(renderer, path))
    app.add_middleware(SecurityHeaders)
    return app


def serve(app: FastAPI, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Run the app with uvicorn, without an access log (paths hold personal tokens)."""
    import uvicorn

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not _is_loopback(host):
        log.warning(
            "LISTENING ON %s, NOT ON LOOPBACK: anyone who can reach this address and holds a personal "
            "link can read and change answers about a child. Use 127.0.0.1 behind a TLS reverse proxy.",
            host,
        )
    log.info("SCR web app listening on http://%s:%d/ (access log off)", host, port)
    uvicorn.run(app, host=host, port=port, access_log=False, server_header=False, log_level="info")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SecurityHeaders:
    """Adds the security headers to every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large_page(renderer: Renderer, path: str) -> str:
    """The 413 page: what happened, how to get back what was typed, and a link back to the form it came from."""
    form = re.fullmatch(r"/([fr])/([A-Za-z0-9_-]{16,128})(?:/complete)?", path)
    return renderer.render("web/too_large.html.j2", back=f"/{form[1]}/{form[2]}" if form else "",
                           limit_kb=MAX_BODY // 1024)


class BodyLimit:
    """Reads a request body whole, up to ``limit`` bytes, answering 413 beyond that with ``page(path)``."""

    def __init__(self, app: ASGIApp, limit: int, page: Callable[[str], str]):
        self.app = app
        self.limit = limit
        self.page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit():
            await PlainTextResponse("400: request not accepted.\n", status_code=400)(scope, receive, send)
            return
        if int(declared) > self.limit:
            await self._too_large(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await self._too_large(scope, receive, send, more)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)


    async def _too_large(self, scope: Scope, receive: Receive, send: Send, more: bool = True) -> None:
        """Drop the rest of the post (up to DRAIN bytes), then answer 413 with the page."""
        dropped = 0
        while more and dropped < DRAIN:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            dropped += len(message.get("body", b""))
            more = message.get("more_body", False)
        await HTMLResponse(self.page(scope.get("path", "")), status_code=413)(scope, receive, send)
