"""CLI command groups beyond the core ones; each module has `register(app)`."""
