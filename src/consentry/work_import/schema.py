"""The works-import JSON Schema: load it, check rows against it, say what is wrong.

The schema file ``consentry/schemas/works-import.schema.json`` is the source of
truth (``docs/schemas`` links to it). Rows are checked by ``fastjsonschema``'s
compiled validator as a yes/no check (``jsonschema`` takes about half a
millisecond a row); a row it refuses is validated by ``jsonschema`` and each
error is put in plain words, naming the field (``creator 2 ('Ann Lee') share``).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from consentry import schema_check
from consentry.schema_check import yes_no_check

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

SCHEMA_FILE = "works-import.schema.json"

_TYPE_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}
_PARTY_LISTS = {"creators": "creator", "rightsholders": "rightsholder"}
_EXTRA_NOUN = {"consent": "use", "identifiers": "scheme", "fingerprints": "key"}
_DECIMAL_FIELDS = frozenset({"share", "creators", "rightsholders"})


@cache
def load_schema() -> Mapping[str, Any]:
    """The works-import row schema (draft 2020-12), as packaged."""
    text = resources.files("consentry").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    schema: Mapping[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator  # slow to import; only an import needs it

    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def row_check() -> Callable[[object], bool]:
    """The compiled yes/no check for one row (same verdict as ``jsonschema``)."""
    return yes_no_check(load_schema(), _SAME_IN_DRAFT_07)


_SAME_IN_DRAFT_07 = frozenset(
    {"type", "enum", "required", "minProperties", "minItems", "minLength", "maxLength"}
    | {"minimum", "maximum", "properties", "additionalProperties", "items", "allOf", "anyOf"}
    | {"$ref", "pattern", "dependentRequired"}
)


def as_draft_07(node: Any) -> Any:
    """The works-import schema ``node`` in draft-07 words (see ``schema_check.as_draft_07``)."""
    return schema_check.as_draft_07(node, _SAME_IN_DRAFT_07)


Refused = set[tuple[str | int, ...]]
"""Where the schema found problems: ``("split",)``, ``("creators", 1)``, ``("doi",)``.

A top-level field, or one party or one identifier scheme of the row.
"""

_ITEM_LEVEL = frozenset({"creators", "rightsholders", "identifiers"})


def row_problems(row: Mapping[str, Any]) -> tuple[list[str], Refused]:
    """Plain-words schema problems of ``row``, and where they are.

    Returns no problems for a valid row. The places (a top-level field, or one
    party or identifier scheme) let later checks skip what the schema refused.
    """
    if row_check()(row):
        return [], set()
    messages: dict[str, None] = {}
    refused: Refused = set()
    for error in _validator().iter_errors(row):
        path = tuple(error.absolute_path)
        if path:
            refused.add(path[:2] if path[0] in _ITEM_LEVEL and len(path) > 1 else path[:1])
        elif error.validator == "required":
            refused.update((r,) for r in _rule(error) if r not in row)
        for message in describe(error, row):
            messages[message] = None
    return list(messages), refused


def describe(error: ValidationError, row: Mapping[str, Any]) -> Iterator[str]:
    """Say in plain words what ``error`` (from validating ``row``) means."""
    keyword = str(error.validator)
    path = list(error.absolute_path)
    where = field_name(path, row)
    value: Any = error.instance
    rule = _rule(error)
    if keyword == "required":
        missing = [r for r in rule if r not in value]
        yield from (_at(where, f"{name} is missing") for name in missing)
    elif keyword == "additionalProperties":
        yield _extra(error, path, where)
    elif keyword == "enum":
        yield f"{where} {value!r} is not one of {', '.join(rule)}"
    elif keyword == "type":
        yield f"{where} must be {_expected(rule)}, not {_json_type(value)}"
    elif keyword == "anyOf":
        yield _any_of(rule)
    elif keyword == "dependentRequired":
        yield from _dependencies(where, rule, value)
    elif keyword == "pattern":
        yield _pattern(where, path, value)
    else:
        yield _bounds(keyword, where, path, error)


def _rule(error: ValidationError) -> Any:
    """The keyword's value in the schema (what the row failed to meet)."""
    return error.validator_value


def field_name(path: Sequence[str | int], row: Mapping[str, Any]) -> str:
    """``('creators', 1, 'share')`` as ``creator 2 ('Ann Lee') share``."""
    words: list[str] = []
    node: Any = row
    for i, step in enumerate(path):
        previous = path[i - 1] if i else None
        if isinstance(step, int):
            if isinstance(previous, str) and previous in _PARTY_LISTS:
                words[-1] = f"{_PARTY_LISTS[previous]} {step + 1}"
                name = node[step].get("name") if isinstance(node[step], dict) else None
                if isinstance(name, str) and name.strip():
                    words[-1] += f" ({name!r})"
            else:
                words[-1] += f" item {step + 1}"
        elif words and not isinstance(previous, int):
            words[-1] += f".{step}"
        else:
            words.append(str(step))
        node = _child(node, step)
    return " ".join(words)


def _child(node: Any, step: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return None


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message


def _extra(error: ValidationError, path: list[Any], where: str) -> str:
    allowed = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
    instance: Any = error.instance
    extras = [k for k in instance if k not in allowed]
    noun = _EXTRA_NOUN.get(str(path[-1]), "field") if path else "field"
    parts = []
    for name in extras:
        close = difflib.get_close_matches(str(name), allowed, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    plural = "s" if len(extras) > 1 else ""
    known = ", ".join(allowed)
    return _at(where, f"unknown {noun}{plural} {', '.join(parts)}; expected one of {known}")


def _expected(types: str | list[str]) -> str:
    names = [types] if isinstance(types, str) else types
    return " or ".join(_TYPE_NAMES.get(n, n) for n in names)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    for name, kind in (("object", dict), ("array", list), ("string", str)):
        if isinstance(value, kind):
            return _TYPE_NAMES[name]
    return "a number"


def _any_of(branches: list[Mapping[str, Any]]) -> str:
    names = [n for b in branches for n in b.get("required", ())]
    if "file" in names:
        return "nothing identifies the work: give file, fingerprints or identifiers"
    if "creators" in names:
        return "no creators or rightsholders: a work needs at least one"
    return f"give at least one of {', '.join(names)}"


def _dependencies(where: str, depends: Mapping[str, list[str]], value: object) -> Iterator[str]:
    if not isinstance(value, dict):
        return
    for key, needs in depends.items():
        for need in needs:
            if key in value and need not in value:
                yield f"{where} has {key} but no {need}"


def _pattern(where: str, path: list[Any], value: str) -> str:
    last = str(path[-1]) if path else ""
    if last in _DECIMAL_FIELDS:
        if value.strip().startswith("-"):
            return f"{where} {value!r} is negative"
        return f"{where} {value!r} is not a decimal from 0 to 1 (write it like 0.25)"
    if last in ("sha256", "content_sha256"):
        return f"{where} {value!r} is not 64 hexadecimal digits"
    if last in ("title", "name"):
        return f"{where} is empty"
    if last == "id":
        return f"{where} {value!r} may not contain spaces or control characters"
    if last == "email":
        return f"{where} {value!r} is not an email address"
    if last == "territory":
        return f"{where} {value!r} is not a two-letter ISO 3166 country code (like GB) or world"
    return f"{where} {value!r} is not in the expected form"


def _bounds(keyword: str, where: str, path: list[Any], error: ValidationError) -> str:
    limit, value = _rule(error), error.instance
    if keyword == "minLength" and limit == 1:
        return f"{where} is empty"
    if keyword == "maxLength":
        return f"{where} is longer than {limit} characters"
    if keyword in ("minItems", "minProperties"):
        return f"{where} is empty"
    if keyword == "minimum":
        negative = path and str(path[-1]) in _DECIMAL_FIELDS
        return f"{where} {value} is negative" if negative else f"{where} {value} is below {limit}"
    if keyword == "maximum":
        return f"{where} {value} is more than {limit}"
    return _at(where, error.message)
