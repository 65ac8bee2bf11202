"""``consentry demo --serve``: after the demo, the portal on the demo registry, with sign-ins.

The demo accounts (:mod:`consentry.actions.demo_portal`) are made if the demo
did not make them already, printed, and the service is started on loopback
with cookies allowed over plain HTTP (it is a local demo, not a deployment).
"""

from __future__ import annotations

from dataclasses import replace

from consentry.actions.demo import DemoContext
from consentry.actions.demo_portal import DEMO_ACCOUNTS, DEMO_PASSWORD, portal_accounts
from consentry.actions.workspace import open_workspace
from consentry.cli.common import console


def demo_url(ctx: DemoContext) -> str:
    """The demo registry's database URL."""
    return f"sqlite:///{ctx.paths['registry']}"


def ensure_accounts(ctx: DemoContext) -> None:
    """Make the demo accounts when the demo's steps did not."""
    if "accounts" in ctx.paths:
        return
    ws = open_workspace(demo_url(ctx))
    try:
        portal_accounts(replace(ctx, ws=ws))
        ctx.paths["accounts"] = ctx.root / "accounts.txt"
    finally:
        ws.close()


def print_accounts(host: str, port: int) -> None:
    """The sign-ins, and where to open the portal."""
    console.print(f"\n[bold]Demo accounts[/] (password for each: {DEMO_PASSWORD})")
    for account in DEMO_ACCOUNTS:
        line = f"  {account.email:<32} {account.kind:<14} {account.who}"
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    console.print(f"\nopen http://{host}:{port}/ and sign in; Ctrl-C stops the portal")


def serve_demo(ctx: DemoContext, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Start the portal on the demo registry (blocks until interrupted)."""
    import uvicorn

    from consentry.service.app import create_app
    from consentry.service.settings import ServiceSettings

    ensure_accounts(ctx)
    print_accounts(host, port)
    app = create_app(demo_url(ctx), settings=ServiceSettings(secure_cookies=False))
    uvicorn.run(app, host=host, port=port, log_level="warning", workers=1)
