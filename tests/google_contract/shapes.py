"""Field presence, not values: the dotted paths a JSON body holds, and a recorded body as a client's reply.

    paths({"a": {"b": 1}, "c": [{"d": 2}]})  ->  {"a", "a.b", "c", "c[]", "c[].d"}

A dict used as a map keyed by ids (Forms' ``answers``, Docs' ``lists``) is written ``answers.*``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
MAPS = frozenset({"answers", "lists"})  # dict-valued fields keyed by ids, not by field names


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def paths(value: Any, prefix: str = "") -> set[str]:
    """Every field path `value` holds; list elements merge under ``[]``."""
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= paths(item, f"{prefix}[]")
        return found | ({prefix + "[]"} if value and prefix else set())
    if not isinstance(value, dict):
        return found
    is_map = prefix.rsplit(".", 1)[-1] in MAPS
    for key, sub in value.items():
        path = f"{prefix}.{'*' if is_map else key}" if prefix else key
        found |= {path} | paths(sub, path)
    return found


def under(found: set[str], prefix: str) -> set[str]:
    """The paths below `prefix`, relative to it."""
    return {p[len(prefix) + 1:] for p in found if p.startswith(prefix + ".")}


def recorded_service(api: str, version: str, *bodies: Any, status: int = 200) -> Any:
    """A googleapiclient service whose requests are answered, in turn, by the recorded `bodies` (with `status`)."""
    from googleapiclient.discovery import build
    from googleapiclient.http import HttpMockSequence

    replies = [({"status": str(status)}, json.dumps(body)) for body in bodies]
    return build(api, version, http=HttpMockSequence(replies), static_discovery=True, cache_discovery=False)
