"""The coverage gate of a publish: refuse gaps unless accepted with a reason, and record them.

Definitions in docs/data-quality.md, "Coverage".
"""

from __future__ import annotations

from typing import Any

from envledger.engine.coverage import Coverage, coverage_to_dict, gap_lines
from envledger.errors import PublicationError


def coverage_block(coverage: Coverage, accept_gaps: str | None) -> dict[str, Any]:
    """What a snapshot records of the year's coverage; raise if the year may not publish.

    Raises
    ------
    PublicationError
        A facility has activity rows but no facility-year row (always: declare it in or
        out of the boundary), or the year has gaps and ``accept_gaps`` gives no reason;
        the message lists every one. Nothing is written.
    """
    year = coverage.year
    reason = (accept_gaps or "").strip()
    if coverage.unbounded.num_rows:
        raise PublicationError(
            f"{year} cannot be published: activity rows of facilities with no facility-year"
            f" row for {year} would be left out of every figure:\n"
            + "\n".join(f"  - {line}" for line in gap_lines(coverage)
                        if "facility-year" in line)
            + f"\nImport a facilities row for {year} (in_boundary yes or no) for each."
            " Nothing was published."
        )
    if coverage.gaps.num_rows and not reason:
        raise PublicationError(
            f"{year} cannot be published: {coverage.gap_months} facility-activity-months"
            " are not covered by activity data:\n"
            + "\n".join(f"  - {line}" for line in gap_lines(coverage))
            + "\nImport the missing data, declare a part-year facility (in_boundary_from,"
            " in_boundary_to), or publish with --accept-gaps \"reason\" to state the gaps"
            " in the disclosure. Nothing was published."
        )
    block = coverage_to_dict(coverage, matrix=False)
    block["accepted_gaps"] = {"reason": reason} if coverage.gaps.num_rows else None
    return block
