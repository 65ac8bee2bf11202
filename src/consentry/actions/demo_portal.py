"""The demo's portal step: accounts to sign in with, standing for the demo's own parties.

``consentry demo --serve`` then starts the portal on the demo registry and
prints :data:`DEMO_ACCOUNTS`, so that a newcomer can sign in as Ada Quill (a
creator), Lantern Press (a publisher) or Northwind AI (a developer) and click
through their works, catalogue and scans. The demo's scan is kept where the
portal shows scans (:func:`consentry.actions.scan_results.keep_scan_output`),
and its model report where the portal shows reports
(:func:`consentry.actions.published.keep_report`).

The creator's account claims the demo creator's party and an administrator
confirms it, as a real creator would. The organisations' accounts are made
for the demo's existing parties directly, which signup (it always founds a new
organisation) cannot do; the password is public, so this is for demos only.
"""

from __future__ import annotations

from dataclasses import dataclass

from consentry.actions.accounts import HASHER, signup
from consentry.actions.claims import claim_work, decide_claim
from consentry.actions.demo import DEVELOPER, DemoContext
from consentry.actions.ids import new_id
from consentry.actions.published import keep_report
from consentry.actions.scan_results import keep_scan_output
from consentry.store.accounts import AccountStore

DEMO_PASSWORD = "consentry-demo-only"  # noqa: S105 - public on purpose: demo accounts only


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in: who it is, and the party it acts for."""

    email: str
    kind: str
    party_id: str | None
    who: str


DEMO_ACCOUNTS = (
    DemoAccount("ada@demo.consentry.test", "creator", "p_ada", "Ada Quill, an author"),
    DemoAccount("lantern@demo.consentry.test", "rightsholder", "p_lantern", "Lantern Press"),
    DemoAccount("northwind@demo.consentry.test", "developer", DEVELOPER, "Northwind AI"),
    DemoAccount("admin@demo.consentry.test", "administrator", None, "an administrator"),
)


def portal_accounts(ctx: DemoContext) -> None:
    """Make the demo accounts, keep the demo scan for the portal, list the sign-ins."""
    ws = ctx.ws
    admin = signup(ws, "admin@demo.consentry.test", DEMO_PASSWORD, "administrator", "")
    creator = signup(ws, "ada@demo.consentry.test", DEMO_PASSWORD, "creator", "Ada Quill")
    claim = claim_work(ws, creator, "ruth", "p_ada")
    decide_claim(ws, admin, claim.id, confirm=True)
    for account in DEMO_ACCOUNTS:
        if account.kind in {"rightsholder", "developer"} and account.party_id:
            _organisation_account(ctx, account)
    if ctx.scan is not None and ctx.scan.dataset_version:
        keep_scan_output(ws, ctx.scan.dataset_version, ctx.root / "scan")
    if "report" in ctx.paths:
        keep_report(ws, ctx.paths["report"])  # the public report page shows it
    listing = ctx.root / "accounts.txt"
    lines = [f"{a.email}\t{DEMO_PASSWORD}\t{a.kind}\t{a.who}\n" for a in DEMO_ACCOUNTS]
    listing.write_text("".join(lines), encoding="utf-8")
    ctx.paths["accounts"] = listing


def _organisation_account(ctx: DemoContext, account: DemoAccount) -> None:
    assert account.party_id is not None
    ws = ctx.ws
    at = ws.now()
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        org_id = new_id("org")
        store.add_organisation(org_id, account.party_id, account.kind, at)
        store.add_account(
            {
                "id": new_id("acc"),
                "email": account.email,
                "password_hash": HASHER.hash(DEMO_PASSWORD),
                "kind": account.kind,
                "party_id": account.party_id,
                "org_id": org_id,
                "org_role": "owner",
                "created_at": at,
            }
        )
