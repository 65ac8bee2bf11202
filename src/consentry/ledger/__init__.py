"""The usage ledger's arithmetic (pure): usage per work, fee models, exact splits, statements.

Nothing here reads a database or a file: the actions in
:mod:`consentry.actions.ledger` gather the data, call these functions and
record what they return. See ``docs/ledger.md``.
"""
