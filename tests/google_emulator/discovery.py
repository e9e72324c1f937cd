"""The discovery documents shipped in google-api-python-client, and routing requests to their methods.

The emulator serves every API from one origin. google-api-python-client, given
``client_options={"api_endpoint": "http://127.0.0.1:PORT/" + servicePath}``, requests
``<endpoint><method path>``, so a request path is ``servicePath + method path`` with the
template variables filled in. Routes are matched by HTTP method and the most specific template.
"""

from __future__ import annotations

import functools
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import googleapiclient

DOCUMENTS_DIR = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"

#: The APIs the emulator serves, as (name, version).
APIS: tuple[tuple[str, str], ...] = (
    ("forms", "v1"),
    ("docs", "v1"),
    ("drive", "v3"),
    ("sheets", "v4"),
    ("gmail", "v1"),
)

_VARIABLE = re.compile(r"\{(\+?)([^}]+)\}")


@dataclass(frozen=True)
class Api:
    """One discovery document."""

    name: str
    version: str
    doc: dict[str, Any] = field(repr=False)

    @property
    def service_path(self) -> str:
        return self.doc["servicePath"]

    @property
    def schemas(self) -> dict[str, Any]:
        return self.doc["schemas"]

    @property
    def common_parameters(self) -> dict[str, Any]:
        return self.doc.get("parameters", {})


@dataclass(frozen=True)
class Method:
    """One method of one API, with the compiled pattern of its URL path."""

    api: Api
    id: str
    http_method: str
    path: str
    desc: dict[str, Any] = field(repr=False)
    pattern: re.Pattern[str] = field(repr=False)
    variables: tuple[str, ...]
    specificity: int

    @property
    def parameters(self) -> dict[str, Any]:
        return self.desc.get("parameters", {})

    @property
    def request_schema(self) -> str | None:
        return (self.desc.get("request") or {}).get("$ref")

    @property
    def response_schema(self) -> str | None:
        return (self.desc.get("response") or {}).get("$ref")


def _compile(template: str) -> tuple[re.Pattern[str], tuple[str, ...], int]:
    names: list[str] = []
    out = []
    pos = 0
    for m in _VARIABLE.finditer(template):
        out.append(re.escape(template[pos : m.start()]))
        out.append("(.+)" if m.group(1) else "([^/]+)")
        names.append(m.group(2))
        pos = m.end()
    out.append(re.escape(template[pos:]))
    literal = len(_VARIABLE.sub("", template))
    return re.compile("".join(out) + r"\Z"), tuple(names), literal


def _walk(resource: dict[str, Any]) -> list[dict[str, Any]]:
    methods = list(resource.get("methods", {}).values())
    for sub in resource.get("resources", {}).values():
        methods.extend(_walk(sub))
    return methods


@functools.cache
def load_api(name: str, version: str) -> Api:
    """The discovery document for one API, read once per process."""
    doc = json.loads((DOCUMENTS_DIR / f"{name}.{version}.json").read_text(encoding="utf-8"))
    return Api(name, version, doc)


class Router:
    """Maps (HTTP method, URL path) to a discovery method and its path parameters."""

    def __init__(self, apis: tuple[tuple[str, str], ...] = APIS) -> None:
        self.apis = {name: load_api(name, version) for name, version in apis}
        self.methods: dict[str, Method] = {}
        self._routes: dict[str, list[Method]] = {}
        for api in self.apis.values():
            for desc in _walk(api.doc):
                full = api.service_path + desc["path"]
                pattern, names, literal = _compile(full)
                method = Method(api, desc["id"], desc["httpMethod"], full, desc, pattern, names, literal)
                self.methods[method.id] = method
                self._routes.setdefault(method.http_method, []).append(method)
        for routes in self._routes.values():
            routes.sort(key=lambda m: -m.specificity)

    def match(self, http_method: str, path: str) -> tuple[Method, dict[str, str]] | None:
        """The method whose template matches `path` (no leading slash, still percent-encoded)."""
        for method in self._routes.get(http_method.upper(), []):
            found = method.pattern.match(path)
            if found:
                values = [urllib.parse.unquote(v) for v in found.groups()]
                return method, dict(zip(method.variables, values, strict=True))
        return None

    def endpoint_path(self, api: str) -> str:
        """The path to append to the origin to get the api_endpoint of `api`."""
        return self.apis[api].service_path
