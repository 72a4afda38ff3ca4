"""The verifier's evidence pack of a published year, re-performable from its files alone.

Owns ``pack`` (build the zip), ``tables`` (ledger and trace tables in it), ``figures``
(the figures it states) and ``readme`` (the pack's README). Imports ``publication`` and
below.
"""
