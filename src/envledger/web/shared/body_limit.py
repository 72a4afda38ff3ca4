"""A cap on the size of request bodies, enforced while they arrive (HTTP 413 beyond it).

A declared Content-Length over the cap is refused before any byte is read; the bytes
that do arrive are counted too, because a chunked body declares no length and a
declared one is only the client's word.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from envledger.io.limits import megabytes

# Room for the form fields and multipart boundaries around a file of exactly the limit.
FORM_ALLOWANCE = 64 * 1024  # [bytes]


class BodyTooLarge(HTTPException):
    """413: the request body is over the import file limit."""

    def __init__(self, max_file_bytes: int) -> None:
        super().__init__(413, (
            f"the upload is larger than {megabytes(max_file_bytes)}, the limit for import"
            " files (ENVLEDGER_MAX_IMPORT_MB): split the file and upload the parts"
        ))


class BodyLimit:
    """ASGI middleware refusing request bodies over ``max_file_bytes`` plus a form's allowance."""

    def __init__(self, app: ASGIApp, max_file_bytes: int) -> None:
        self.app = app
        self.max_file_bytes = max_file_bytes
        self.max_body_bytes = max_file_bytes + FORM_ALLOWANCE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with a ``receive`` that raises BodyTooLarge past the cap."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def capped_receive() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                raise BodyTooLarge(self.max_file_bytes)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise BodyTooLarge(self.max_file_bytes)
            return message

        await self.app(scope, capped_receive, send)
