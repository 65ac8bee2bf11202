"""A fast yes/no check compiled from the works-import JSON Schema.

``jsonschema`` takes about half a millisecond per import row, which would make
a 100,000-row import spend a minute in validation. This module compiles the
same schema (the JSON file stays the one source of truth) into plain Python
closures for the keywords that schema uses, and answers only "valid or not".
Rows it rejects are validated again by ``jsonschema`` to explain what is
wrong, so every message still comes from the standard validator.

Any keyword outside :data:`SUPPORTED` makes :func:`compile_check` refuse the
schema, so a schema change can never be silently half-checked; the unit tests
hold this check to ``jsonschema``'s verdict on generated rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

Check = Callable[[object], bool]

ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default"}
)
SUPPORTED = frozenset(
    {
        "type",
        "enum",
        "properties",
        "additionalProperties",
        "required",
        "minProperties",
        "dependentRequired",
        "items",
        "minItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "$ref",
        "allOf",
        "anyOf",
    }
)


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this compiler does not implement."""


_JSON_TYPES: Mapping[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    Decimal: "number",
    bool: "boolean",
    type(None): "null",
}


def _base_type(value: object) -> type:
    """The JSON-model Python type of ``value`` (``bool`` before ``int``)."""
    for kind in (bool, dict, list, str, int, float, Decimal):
        if isinstance(value, kind):
            return kind
    return type(None)


def _true(_value: object) -> bool:
    return True


def _false(_value: object) -> bool:
    return False


def _all(checks: Sequence[Check]) -> Check:
    if not checks:
        return _true
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def check(value: object) -> bool:
        for c in checks:  # noqa: SIM110 (a plain loop is faster than all() here)
            if not c(value):
                return False
        return True

    return check


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self._root = root
        self._refs: dict[str, Check] = {}
        self._compiling: set[str] = set()

    def compile(self, node: Mapping[str, Any] | bool) -> Check:
        if isinstance(node, bool):
            return _true if node else _false
        unknown = set(node) - SUPPORTED - ANNOTATIONS
        if unknown:
            raise UnsupportedSchema(f"keywords not supported: {sorted(unknown)}")
        general: list[Check] = []
        if "$ref" in node:
            general.append(self._ref(node["$ref"]))
        general.extend(self.compile(sub) for sub in node.get("allOf", ()))
        if "anyOf" in node:
            general.append(self._any_of([self.compile(sub) for sub in node["anyOf"]]))
        by_type = self._by_type(node, general)
        if all(c is _true for c in by_type.values()):
            return _true
        if len(set(by_type.values())) == 1:
            return next(iter(by_type.values()))

        def check(value: object) -> bool:
            specific = by_type.get(type(value))
            if specific is None:
                specific = by_type[_base_type(value)]
            return specific(value)

        return check

    def _by_type(self, node: Mapping[str, Any], general: list[Check]) -> dict[type, Check]:
        """For each JSON-model Python type, everything ``node`` checks about such a value."""
        names = node.get("type")
        allowed = {names} if isinstance(names, str) else set(names or _JSON_TYPES.values())
        if not allowed <= set(_JSON_TYPES.values()):
            raise UnsupportedSchema(f"types not supported: {sorted(allowed)}")
        specific: Mapping[str, list[Check]] = {
            "object": self._object(node),
            "array": self._array(node),
            "string": self._string(node),
            "number": self._number(node),
        }
        enum = self._enum(node["enum"]) if "enum" in node else None
        by_type: dict[type, Check] = {}
        for kind, name in _JSON_TYPES.items():
            if name not in allowed or (enum is not None and name != "string"):
                by_type[kind] = _false
                continue
            checks = [*specific.get(name, []), *([enum] if enum else []), *general]
            by_type[kind] = _all(checks)
        return by_type

    @staticmethod
    def _any_of(branches: list[Check]) -> Check:
        def check(value: object) -> bool:
            for branch in branches:  # noqa: SIM110 (a plain loop is faster than any() here)
                if branch(value):
                    return True
            return False

        return check

    def _ref(self, ref: str) -> Check:
        if not ref.startswith("#/$defs/"):
            raise UnsupportedSchema(f"only local $defs references are supported, not {ref!r}")
        if ref in self._compiling:  # a cycle: look the check up when it runs
            refs = self._refs
            return lambda v: refs[ref](v)
        if ref not in self._refs:
            self._compiling.add(ref)
            self._refs[ref] = self.compile(self._root["$defs"][ref.removeprefix("#/$defs/")])
            self._compiling.discard(ref)
        return self._refs[ref]

    @staticmethod
    def _enum(values: list[object]) -> Check:
        if not all(isinstance(v, str) for v in values):
            raise UnsupportedSchema("only enums of strings are supported")
        allowed = frozenset(values)
        return lambda v: v in allowed

    @staticmethod
    def _string(node: Mapping[str, Any]) -> list[Check]:
        low, high = node.get("minLength", 0), node.get("maxLength")
        pattern = re.compile(node["pattern"]) if "pattern" in node else None
        if low == 0 and high is None and pattern is None:
            return []

        def check(v: Any) -> bool:
            if len(v) < low or (high is not None and len(v) > high):
                return False
            return pattern is None or pattern.search(v) is not None

        return [check]

    @staticmethod
    def _number(node: Mapping[str, Any]) -> list[Check]:
        low, high = node.get("minimum"), node.get("maximum")
        if low is None and high is None:
            return []

        def check(v: Any) -> bool:
            return (low is None or v >= low) and (high is None or v <= high)

        return [check]

    def _array(self, node: Mapping[str, Any]) -> list[Check]:
        low = node.get("minItems", 0)
        item = self.compile(node["items"]) if "items" in node else None
        if low == 0 and item is None:
            return []

        def check(v: Any) -> bool:
            if len(v) < low:
                return False
            if item is not None:
                for x in v:
                    if not item(x):
                        return False
            return True

        return [check]

    def _object(self, node: Mapping[str, Any]) -> list[Check]:
        props = {k: self.compile(s) for k, s in node.get("properties", {}).items()}
        extra = self.compile(node.get("additionalProperties", True))
        required = tuple(node.get("required", ()))
        low = node.get("minProperties", 0)
        depends = {k: tuple(v) for k, v in node.get("dependentRequired", {}).items()}
        if not (props or required or low or depends or "additionalProperties" in node):
            return []

        def check(v: Any) -> bool:
            if len(v) < low:
                return False
            for key in required:
                if key not in v:
                    return False
            for key, deps in depends.items():
                if key in v:
                    for dep in deps:
                        if dep not in v:
                            return False
            for key, value in v.items():  # noqa: SIM110 (faster than all())
                if not props.get(key, extra)(value):
                    return False
            return True

        return [check]


def compile_check(schema: Mapping[str, Any]) -> Check:
    """Compile ``schema`` (the keyword subset in :data:`SUPPORTED`) to a yes/no check."""
    return _Compiler(schema).compile(schema)
