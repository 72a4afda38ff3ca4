"""Parameter types shared by the signed-in routes: ids bounded to what the database holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Row id.")]
"""A table row id in a path: a larger number is refused with 422 before any query runs."""
