"""Validation of query parameters and JSON bodies against a discovery method, as Google does it.

Messages follow Google's wording, for example::

    Invalid JSON payload received. Unknown name "colour" at 'requests[0].create_item': Cannot find field.
    Invalid value at 'requests[0].create_item.location.index' (TYPE_INT32), "first"

Field names may be sent camelCase or snake_case (proto3 JSON accepts both); the validated body
comes back with camelCase names only, so handlers see one spelling.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .discovery import Api, Method
from .errors import ApiError, invalid

_INT_FORMATS = {"int32": "TYPE_INT32", "uint32": "TYPE_UINT32", "int64": "TYPE_INT64", "uint64": "TYPE_UINT64"}
_INT_STRING = re.compile(r"-?\d+\Z")


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def validate_query(method: Method, query: dict[str, list[str]]) -> dict[str, Any]:
    """Typed query parameters; 400 for unknown, repeated-but-single, mistyped or missing ones."""
    known = {**method.api.common_parameters, **method.parameters}
    typed: dict[str, Any] = {}
    for name, values in query.items():
        spec = known.get(name)
        if spec is None or spec.get("location") == "path":
            raise invalid(
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                f"Field '{name}' could not be found in request message.",
                location=name,
            )
        if len(values) > 1 and not spec.get("repeated"):
            raise invalid(f"Invalid value for parameter {name!r}: repeated but not repeatable", location=name)
        converted = [_query_value(name, spec, v) for v in values]
        typed[name] = converted if spec.get("repeated") else converted[0]
    for name, spec in method.parameters.items():
        if spec.get("required") and spec.get("location") == "query" and name not in typed:
            raise invalid(f"Required parameter: {name}", reason="required", location=name)
    return typed


def _query_value(name: str, spec: dict[str, Any], raw: str) -> Any:
    kind = spec.get("type", "string")
    if kind == "boolean":  # Google accepts any case: requests sends Python's "True" (gspread does)
        if raw.lower() not in ("true", "false"):
            raise invalid(f"Invalid value at '{name}' (TYPE_BOOL), \"{raw}\"", location=name)
        return raw.lower() == "true"
    if kind == "integer":
        if not _INT_STRING.match(raw):
            raise invalid(f"Invalid value at '{name}' (TYPE_INT32), \"{raw}\"", location=name)
        return int(raw)
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            raise invalid(f"Invalid value at '{name}' (TYPE_DOUBLE), \"{raw}\"", location=name) from None
    if "enum" in spec and raw not in spec["enum"]:
        raise invalid(f"Invalid value at '{name}' (TYPE_ENUM), \"{raw}\"", location=name)
    return raw


def validate_body(method: Method, body: Any) -> Any:
    """The body checked against the method's request schema (None when the method takes none)."""
    ref = method.request_schema
    if ref is None:
        return body
    if body is None:
        body = {}
    return check(method.api, {"$ref": ref}, body, "")


def check(api: Api, schema: dict[str, Any], value: Any, at: str) -> Any:
    """`value` validated against `schema`; returns it with field names normalised to camelCase."""
    if value is None:  # JSON null: the field is unset (and, in maps, removed)
        return None
    if "$ref" in schema:
        schema = api.schemas[schema["$ref"]]
    kind = schema.get("type", "any")
    if kind == "object":
        return _check_object(api, schema, value, at)
    if kind == "array":
        if not isinstance(value, list):
            raise _bad_value(at, "TYPE_MESSAGE (repeated)", value)
        return [check(api, schema.get("items", {}), item, f"{at}[{i}]") for i, item in enumerate(value)]
    _check_scalar(schema, value, at)
    return value


def _check_object(api: Api, schema: dict[str, Any], value: Any, at: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid(
            f"Invalid JSON payload received. Expected an object at '{at or '(root)'}', got {json.dumps(value)}."
        )
    props = schema.get("properties")
    extra = schema.get("additionalProperties")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if props is not None and (key in props or camel(key) in props):
            name = key if key in props else camel(key)
            out[name] = check(api, props[name], item, _join(at, name))
        elif extra is not None:
            out[key] = check(api, extra, item, f"{at}[{key}]")
        elif props is None:
            out[key] = item
        else:
            where = f" at '{at}'" if at else ""
            raise invalid(f'Invalid JSON payload received. Unknown name "{key}"{where}: Cannot find field.')
    return out


def _join(at: str, name: str) -> str:
    return f"{at}.{snake(name)}" if at else snake(name)


def _check_scalar(schema: dict[str, Any], value: Any, at: str) -> None:
    kind = schema.get("type", "any")
    fmt = schema.get("format")
    if kind == "any":
        return
    if kind == "boolean" and not isinstance(value, bool):
        raise _bad_value(at, "TYPE_BOOL", value)
    if kind == "integer" and not _is_int(value):
        raise _bad_value(at, _INT_FORMATS.get(fmt or "int32", "TYPE_INT32"), value)
    if kind == "number" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise _bad_value(at, "TYPE_DOUBLE" if fmt == "double" else "TYPE_FLOAT", value)
    if kind == "string":
        if fmt in _INT_FORMATS:
            if not _is_int(value):
                raise _bad_value(at, _INT_FORMATS[fmt], value)
        elif not isinstance(value, str):
            raise _bad_value(at, "TYPE_STRING", value)
        if "enum" in schema and value not in schema["enum"]:
            raise _bad_value(at, "TYPE_ENUM", value)


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    return isinstance(value, str) and bool(_INT_STRING.match(value))


def _bad_value(at: str, type_name: str, value: Any) -> ApiError:
    return invalid(f"Invalid value at '{at or '(root)'}' ({type_name}), {json.dumps(value)}")
