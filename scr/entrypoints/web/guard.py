"""Refusing forged form posts: a hidden ``csrf`` field tied to the personal link, and a same-origin check.

The field is an HMAC-SHA256 of the link's token under an app-wide secret. The secret is kept in the
review store (``ReviewStore.web_secret``), so it survives restarts with the store itself: a form opened
before a restart can still be sent after it. Nothing here is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.requests import Request

FIELD = "csrf"
REFUSED = (
    "This form could not be accepted, so nothing has been saved. "
    "Please open the link from your invitation email again and send the form from there."
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_OWN_SITE = {"same-origin", "none"}


class FormGuard:
    """Makes and checks the hidden ``csrf`` field of the forms behind one personal link."""

    def __init__(self, secret: bytes):
        self._secret = secret

    def field_for(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()

    def accepts(self, request: Request, token: str, posted: Mapping) -> bool:
        """True when the post comes from this app's own page: same origin (if stated) and the right field."""
        given = posted.get(FIELD)
        if not isinstance(given, str) or not same_origin(request):
            return False
        return hmac.compare_digest(given.encode(), self.field_for(token).encode())


def same_origin(request: Request) -> bool:
    """The post comes from this app's own pages, as far as the browser says.

    ``Sec-Fetch-Site``, when sent, must be ``same-origin`` or ``none`` (typed or bookmarked by the person):
    ``cross-site`` and ``same-site`` (another host under the same domain) are refused. ``Origin``, when sent,
    must be exactly this app's scheme://host:port. ``null`` is an opaque origin (a sandboxed frame, a
    ``data:`` page, a redirect from elsewhere) and is refused, unless the browser also says ``Sec-Fetch-Site:
    same-origin``: a page still under the old ``Referrer-Policy: no-referrer`` makes the browser send ``null``
    for our own form (Fetch standard, "serializing a request origin"); the pages now say ``same-origin``, so
    our posts carry their real Origin. Old browsers that send neither header pass on the csrf field alone.
    (W3C Fetch Metadata: https://www.w3.org/TR/fetch-metadata/; OWASP CSRF prevention cheat sheet.)
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.lower() not in _OWN_SITE:
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    if origin.strip().lower() == "null":
        return site is not None and site.lower() == "same-origin"
    return _origin(origin) == _origin(str(request.base_url))


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a malformed port
        return None
