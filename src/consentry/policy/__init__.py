"""Policy: the decision for each corpus item, as a pure function (DESIGN's ``policy``).

:class:`Policy` decides one item from its :class:`ItemFacts`, the registered
works' decisions (``consentry.registry.decide_work``, taken at the frozen
as-of date) and its reservation signals; :func:`load_rules` reads the user's
rules for unregistered material. No I/O, no clock.
"""

from consentry.policy.decide import ItemFacts, Policy
from consentry.policy.rules import OpenLicenceRule, SourceRule, UnregisteredRule, load_rules
from consentry.policy.types import Decision, ItemReason, Regime, Reservation

__all__ = [
    "Decision",
    "ItemFacts",
    "ItemReason",
    "OpenLicenceRule",
    "Policy",
    "Regime",
    "Reservation",
    "SourceRule",
    "UnregisteredRule",
    "load_rules",
]
