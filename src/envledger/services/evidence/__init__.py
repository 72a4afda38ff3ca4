"""The verifier's evidence: the pack of a published year, and the whole ledger verified.

Owns ``pack`` (build the zip), ``tables`` (ledger and trace tables in it), ``figures``
(the figures it states), ``readme`` (the pack's README), ``pack_verify`` (sign a pack,
check one offline) and ``ledger_verify`` (every tracked row, snapshot and decision
against the audit chain). Imports ``publication`` and below.
"""
