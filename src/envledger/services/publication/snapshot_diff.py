"""What differs between two snapshot contents: changed figures and a readable list of causes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from envledger.services.publication.snapshot_content import comparable

_SHOWN = 8


@dataclass(frozen=True)
class FigureChange:
    """A company figure whose published value differs: original and revised, same unit."""

    figure: str  # path in the company measures, e.g. "emissions.total"
    unit: str
    original: float | None
    revised: float | None

    @property
    def difference(self) -> float | None:
        """revised - original [unit], None if either is missing."""
        if self.original is None or self.revised is None:
            return None
        return self.revised - self.original


def company_figures(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every figure of the payload's company measures by path: {"emissions.total": Q, ...}."""
    return dict(_leaves(payload["company"], ""))


def _leaves(node: dict[str, Any], prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for key, item in node.items():
        if isinstance(item, dict) and {"value", "unit"} <= set(item):
            # the figure itself; its uncertainty and data-quality mix are not restated
            yield prefix + key, {"value": item["value"], "unit": item["unit"]}
        elif isinstance(item, dict):
            yield from _leaves(item, f"{prefix}{key}.")


def changed_figures(old: dict[str, Any], new: dict[str, Any]) -> list[FigureChange]:
    """Company figures of two payloads that differ (compared at the hashed precision)."""
    before, after = company_figures(old), company_figures(new)
    changes = []
    for figure in [*after, *(f for f in before if f not in after)]:
        was, now = before.get(figure), after.get(figure)
        if was is not None and now is not None and comparable(was) == comparable(now):
            continue
        unit = (now or was or {}).get("unit", "")
        changes.append(FigureChange(
            figure, unit, was["value"] if was else None, now["value"] if now else None
        ))
    return changes


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Readable lines naming what differs between two snapshot contents."""
    lines = [
        f"methodology {key}: {old['methodology'][key]} -> {value}"
        for key, value in new["methodology"].items()
        if old["methodology"].get(key) != value
    ]
    lines += _boundary_changes(old["boundary"], new["boundary"])
    lines += _input_changes(old["inputs"], new["inputs"])
    if old["factors"]["library_version"] != new["factors"]["library_version"]:
        lines.append(
            f"factor library {old['factors']['library_version']} -> "
            f"{new['factors']['library_version']}"
        )
    lines += _factor_changes(old["factors"]["used"], new["factors"]["used"])
    if old["code_version"] != new["code_version"]:
        lines.append(f"envledger {old['code_version']} -> {new['code_version']}")
    lines += _library_changes(old.get("libraries", {}), new.get("libraries", {}))
    lines += [_figure_line(change) for change in changed_figures(old["results"], new["results"])]
    return lines


def _boundary_changes(old: list[dict], new: list[dict]) -> list[str]:
    was = {row["code"]: row for row in old}
    lines = []
    for row in new:
        before = was.get(row["code"])
        if before is not None and before["in_boundary"] == row["in_boundary"]:
            continue
        if row["in_boundary"]:
            lines.append(f"boundary: {row['code']} entered ({row['note'] or 'no note'})")
        elif before is not None:
            lines.append(f"boundary: {row['code']} left ({row['note'] or 'no note'})")
    return lines


def _input_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    if old["sha256"] == new["sha256"]:
        return []
    before, after = old["facilities"], new["facilities"]
    changed = sorted(
        code for code in set(before) | set(after)
        if before.get(code, {}).get("sha256") != after.get(code, {}).get("sha256")
    )
    return [
        f"activity data: {old['rows']:,} -> {new['rows']:,} rows; rows differ at "
        f"{len(changed)} facilities ({_listed(changed)})"
    ]


def _factor_changes(old: list[dict], new: list[dict]) -> list[str]:
    before = {row["factor_id"] for row in old}
    after = {row["factor_id"] for row in new}
    lines = []
    if after - before:
        lines.append(f"factors now used: {_listed(sorted(after - before))}")
    if before - after:
        lines.append(f"factors no longer used: {_listed(sorted(before - after))}")
    return lines


def _figure_line(change: FigureChange) -> str:
    share = ""
    if change.difference is not None and change.original:
        share = f" ({change.difference / change.original:+.1%})"
    return (
        f"{change.figure}: {_number(change.original)} -> {_number(change.revised)} "
        f"{change.unit}{share}"
    )


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def _listed(names: list[str]) -> str:
    more = f", ... {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return ", ".join(names[:_SHOWN]) + more


def _library_changes(old: dict[str, str], new: dict[str, str]) -> list[str]:
    """One line per computing library whose version differs (snapshots before 0.1.0's
    lock file recorded none: shown as 'not recorded')."""
    return [
        f"{name} {old.get(name, 'not recorded')} -> {new.get(name, 'not recorded')}"
        for name in sorted(old.keys() | new.keys()) if old.get(name) != new.get(name)
    ]
