"""Fast yes/no checks against a draft 2020-12 JSON Schema, with ``fastjsonschema``.

``jsonschema`` is the reference validator and words the errors, but importing
it can take a second (it loads optional format checkers such as
``rfc3987_syntax``, which compiles dozens of grammars), and it is slow per
document. ``fastjsonschema`` compiles a schema into a function in
milliseconds, but knows only draft 07. :func:`as_draft_07` rewrites a schema
into draft-07 words, letting through only the keywords a caller has listed as
meaning the same in both drafts; :func:`yes_no_check` compiles it. Callers
use the check first and ``jsonschema`` only for a document it refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import Any

import fastjsonschema

ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description"})
DRAFT_07 = "http://json-schema.org/draft-07/schema#"
_DOLLAR = re.compile(r"(?<!\\)\$")  # an end anchor, as fastjsonschema finds it


def as_draft_07(node: Any, same: Collection[str]) -> Any:
    """The draft 2020-12 schema ``node`` in the draft-07 words fastjsonschema knows.

    Only ``same`` (keywords the caller knows to mean the same to both drafts)
    and annotations are let through; anything else raises, so that a schema
    change cannot go silently half-checked. ``dependentRequired`` is draft-07's
    ``dependencies``; ``#/$defs/...`` are plain JSON pointers to fastjsonschema.
    In a pattern, ``jsonschema`` (Python's ``re.search``) lets ``$`` match
    before a final newline; fastjsonschema turns each ``$`` into ``\\Z``, so
    ``$`` is written ``(?=\\n?$)``: Python's ``$``.
    """
    if isinstance(node, bool):
        return node
    unknown = set(node) - ANNOTATIONS - set(same)
    if "$ref" in node:  # draft 07 ignores every keyword beside a $ref
        unknown |= set(node) - ANNOTATIONS - {"$ref"}
    if unknown:
        raise ValueError(f"keywords not known to mean the same in draft 07: {sorted(unknown)}")
    out = dict(node)
    for key in ("properties", "$defs"):
        if key in node:
            out[key] = {name: as_draft_07(schema, same) for name, schema in node[key].items()}
    for key in ("items", "additionalProperties"):
        if key in node:
            out[key] = as_draft_07(node[key], same)
    for key in ("allOf", "anyOf"):
        if key in node:
            out[key] = [as_draft_07(schema, same) for schema in node[key]]
    if "pattern" in node:
        out["pattern"] = _DOLLAR.sub(lambda _: r"(?=\n?$)", node["pattern"])
    if "dependentRequired" in node:
        out["dependencies"] = out.pop("dependentRequired")
    return out


def yes_no_check(
    schema: Any, same: Collection[str], *, formats: bool = True
) -> Callable[[object], bool]:
    """A compiled check: does a document fit ``schema`` (see :func:`as_draft_07`)?

    ``formats=False`` leaves ``format`` an annotation, as ``jsonschema`` does
    unless it is given a format checker.
    """
    validate = fastjsonschema.compile(
        {**as_draft_07(schema, same), "$schema": DRAFT_07},
        use_default=False,
        use_formats=formats,
    )

    def check(document: object) -> bool:
        try:
            validate(document)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return check
