"""Fuzzing every operation of the OpenAPI document (schemathesis + hypothesis): no 5xx.

Schemathesis turns each operation's parameters into a hypothesis strategy; each case
goes to the small company's app as the public and as an admin with a token of every
scope, so the protected routes are reached too. (Schemathesis' pytest plugin is not
used: it does not run under this pytest; the strategies are driven directly.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from envledger.services.access.api_tokens import issue_token
from tests.support.access import SignedInApp, signed_in_app

EXAMPLES = 20
"""Cases per operation and caller (about 20 operations: a few seconds in all)."""


@pytest.fixture(scope="module", params=["sqlite"])
def web(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


def _fuzz(web: SignedInApp, headers: dict[str, str]) -> int:
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_server_error(case: schemathesis.Case) -> None:
            response = case.call(headers=headers)
            assert response.status_code < 500, (
                case.method, case.formatted_path, case.query, response.text)

        no_server_error()
    return len(operations)


def test_no_server_errors_for_the_public(web: SignedInApp) -> None:
    assert _fuzz(web, {}) >= 10


def test_no_server_errors_for_an_admin_token(web: SignedInApp) -> None:
    secret = issue_token(web.settings.database_url, "admin", "fuzz", ["read", "admin"]).secret
    assert _fuzz(web, {"Authorization": f"Bearer {secret}"}) >= 10
