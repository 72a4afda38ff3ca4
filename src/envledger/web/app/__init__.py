"""The signed-in workflow app: sign-in, user administration, upload, review queue,
facility data and the audit log, each page with its JSON twin.
"""
