"""The public disclosure site: the page at ``/``, rendered per language and selected years,
and the same site written as static files.
"""
