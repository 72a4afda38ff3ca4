"""The signed-in web pages' use cases, with role and facility scope checked here.

Owns ``scoped_reads`` (ledger rows and evidence in the caller's scope) and
``use_cases`` (upload as a submission, review queue, approve/reject, audit log).
Imports ``evidence`` and below.
"""
