"""The demo company loaded end to end, and the verifier's story it tells.

Owns ``load`` (generate the files, import them with the commitments) and ``story``
(publish, check the base year, restate, republish). Imports any capability below it.
"""
