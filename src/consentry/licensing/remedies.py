"""A complaint remedy as carried out: plain data shared by the store, actions and CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RemedyDone:
    """A remedy carried out for a complaint at one step (``answer`` or ``resolution``).

    ``remove`` names the dataset version and the removal; ``license`` the
    licence; ``pay`` the amount (minor units) and each party's part of it.
    """

    complaint_id: str
    step: str
    remedy: str
    carried_out_at: datetime
    dataset_version_id: str | None = None
    removal_id: str | None = None
    licence_id: str | None = None
    currency: str | None = None
    amount_minor: int | None = None
    parts: tuple[tuple[str, int], ...] = ()
