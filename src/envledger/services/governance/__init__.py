"""Review and locks: submissions a reviewer approves or rejects, locked reporting years.

Owns ``review`` (pending batches, approve/reject, rejected rows kept apart) and
``period_locks`` (a published year is locked; unlocking is audited). Imports ``audit``.
"""
