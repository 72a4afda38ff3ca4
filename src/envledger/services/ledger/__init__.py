"""What the ledger holds: imports, reference data, the organisational boundary.

Owns ``importing`` (the one import template: batch, rows, audit event, no-op re-import)
and the per-kind writers ``import_activities``, ``import_facilities``,
``import_factors``; ``changes`` (refusing silent overwrites), ``tables`` (the ledger
read into the engine's Arrow inputs), ``reference`` (the built-in factor library),
``boundary`` (audited structural changes), ``database`` (opening a ledger: clear
errors for bad settings, no ledger created by accident) and ``estimation`` with
``estimation_basis`` and ``estimation_plan`` (missing months estimated by a documented
method and submitted for review). Imports ``governance``, ``access``, ``audit``.
"""
