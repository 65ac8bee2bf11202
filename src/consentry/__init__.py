"""consentry: consent-first rights clearance for AI training data.

The public API, loaded lazily (PEP 562) so that a worker importing
``consentry.fingerprint`` loads no database or CLI code::

    import consentry
    ws = consentry.init("sqlite:///consentry.db")
    consentry.import_works(ws, Path("catalogue.jsonl"))
    report = consentry.consent_report(ws, "ruth", developer_ref="Northwind AI")
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # vocabulary
    "Use": "consentry.domain",
    "Party": "consentry.domain",
    "PartyKind": "consentry.domain",
    "Work": "consentry.domain",
    "WorkKind": "consentry.domain",
    "Consent": "consentry.domain",
    "ConsentState": "consentry.domain",
    "Licence": "consentry.domain",
    "Mandate": "consentry.domain",
    "Persona": "consentry.domain",
    "FeeTerms": "consentry.domain",
    "Reason": "consentry.domain",
    "ConsentryError": "consentry.errors",
    # rules
    "decide_work": "consentry.registry",
    # actions
    "init": "consentry.actions.workspace",
    "open_workspace": "consentry.actions.workspace",
    "Workspace": "consentry.actions.workspace",
    "add_party": "consentry.actions.parties",
    "list_parties": "consentry.actions.parties",
    "add_work": "consentry.actions.works",
    "import_works": "consentry.actions.works",
    "list_works": "consentry.actions.works",
    "set_consent": "consentry.actions.consent",
    "consent_report": "consentry.actions.consent",
    "grant_licence": "consentry.actions.licences",
    "revoke_licence": "consentry.actions.licences",
    "run_demo": "consentry.actions.demo",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from consentry.actions.consent import consent_report, set_consent
    from consentry.actions.demo import run_demo
    from consentry.actions.licences import grant_licence, revoke_licence
    from consentry.actions.parties import add_party, list_parties
    from consentry.actions.works import add_work, import_works, list_works
    from consentry.actions.workspace import Workspace, init, open_workspace
    from consentry.domain import (
        Consent,
        ConsentState,
        FeeTerms,
        Licence,
        Mandate,
        Party,
        PartyKind,
        Persona,
        Reason,
        Use,
        Work,
        WorkKind,
    )
    from consentry.errors import ConsentryError
    from consentry.registry import decide_work


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'consentry' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
