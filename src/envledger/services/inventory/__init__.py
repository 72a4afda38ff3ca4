"""The inventory of a year computed from the ledger, and the methodology it follows.

Owns ``calculate`` (prepare the ledger, calculate, explain, reporting years) and
``methodology`` (GWP set, factor series priority, base year and threshold, audited).
Imports ``ledger`` and below.
"""
