"""Who may do what: accounts, roles and permissions, API tokens and web sessions.

Owns ``roles`` (the role x permission table, facility scope), ``accounts`` (Argon2
passwords, lockout), ``api_tokens`` and ``web_sessions`` (server-side sessions, CSRF).
Imports ``audit`` only.
"""
