"""Works import: parse, validate and resolve ``consentry works import FILE.jsonl|FILE.csv``.

Pure core (no database, CLI or web). :func:`parse_import` reads a file and
checks every row against the JSON Schema in ``consentry/schemas`` (linked from
``docs/schemas``) and against what a schema cannot say; it returns an
:class:`ImportPlan` or raises :class:`~consentry.errors.ImportRejected` naming
every bad row. :func:`resolve_plan` then matches the rows' parties to the
registry's through a :class:`PartyIndex` and returns the parties, works and
consents to write, all together or not at all. ``docs/works-import.md`` is the
user's description of the format.
"""

from consentry.work_import.model import (
    ImportPlan,
    PartyRef,
    ResolvedImport,
    ResolvedParty,
    WorkRow,
)
from consentry.work_import.parse import parse_import, parse_rows
from consentry.work_import.parties import PartyIndex, new_opaque_id
from consentry.work_import.resolve import ExistingWorkIds, resolve_plan
from consentry.work_import.schema import SCHEMA_FILE, load_schema

__all__ = [
    "SCHEMA_FILE",
    "ExistingWorkIds",
    "ImportPlan",
    "PartyIndex",
    "PartyRef",
    "ResolvedImport",
    "ResolvedParty",
    "WorkRow",
    "load_schema",
    "new_opaque_id",
    "parse_import",
    "parse_rows",
    "resolve_plan",
]
