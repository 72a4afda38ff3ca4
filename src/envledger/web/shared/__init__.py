"""What the site, the API and the workflow app share: access dependencies, JSON documents.

``auth`` resolves the caller (session cookie or bearer token) and checks permissions and
CSRF; ``documents`` turns the published site data into the JSON the API serves and the
static build writes. Imports ``services`` and ``disclosure``, never a sibling web part.
"""
