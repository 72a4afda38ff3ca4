"""Use cases over the ledger, one package per capability.

Each package's docstring says what it owns and which sibling packages it may import.
Capabilities point down (``pyproject.toml`` ``[tool.importlinter]``, checked by
``tests/test_architecture.py``)::

    demo -> workflow -> evidence -> publication -> commitments -> inventory -> ledger
         -> governance | access -> audit

A service opens its own transaction (``store.db.session_scope``); the engine below it
never sees the database, and nothing here imports ``web`` or ``cli``.
"""
