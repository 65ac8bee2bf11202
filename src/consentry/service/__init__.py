"""The web service: a JSON API (``/api/v1``) and the portal, over :mod:`consentry.actions`.

Routes parse, authorise through the actions and serialise; they hold no
business rules and no SQL. ``create_app`` (in :mod:`consentry.service.app`)
builds the application; ``consentry serve`` runs it with uvicorn.
"""
