"""The local web app: members' forms at ``/f/{token}``, lead reviewers' pages at ``/r/{token}``.

Paths hold personal tokens, so there is no access log, and nothing people type is ever logged.
"""

from scr.entrypoints.web.app import MAX_BODY, create_app, serve

__all__ = ["MAX_BODY", "create_app", "serve"]
