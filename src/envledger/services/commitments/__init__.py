"""What the company commits to and buys: targets, reduction measures, contractual instruments.

Owns ``targets`` (reduction or cap targets and their progress), ``measures`` (the
reduction-measures register) and ``instruments`` (certificates, PPAs and supplier rates
for market-based Scope 2). Imports ``inventory``, ``ledger`` and below.
"""
