"""The audit trail: append-only events in a SHA-256 hash chain, and its verification.

Owns ``trail`` (record an event inside the change's transaction), ``chain`` (canonical
JSON, append under a lock, verify link by link, the log), ``fingerprint`` (the hashes
of the rows an event wrote, kept in the event) and ``database_role`` (the
PostgreSQL role that cannot update or delete audit rows). Imports only ``store`` and
``errors``: every other capability records its changes here.
"""
