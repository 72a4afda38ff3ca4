"""Who may do what: accounts, roles and permissions, API tokens and web sessions.

Owns ``roles`` (the role x permission table, facility scope), ``accounts`` (Argon2
passwords, the last admin kept), ``throttle`` (failed sign-ins counted atomically per
account and client address, exponential back-off), ``api_tokens`` and ``web_sessions``
(server-side sessions, CSRF).
Imports ``audit`` only.
"""
