"""Use case: the methodology the ledger calculates with, held as versions in the ledger.

A signed inventory must say which GWP set and factor series it used, so these live in
the ledger (``methodology_version``; the highest version is current) rather than in
the environment. Until a methodology is set, the Settings defaults apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from envledger.errors import MethodologyError, NotFoundError
from envledger.methods.base_year import DEFAULT_SIGNIFICANCE_THRESHOLD, check_threshold
from envledger.methods.gwp import GWP_SETS
from envledger.services.audit.trail import record_event
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import EmissionFactor, Organization
from envledger.store.publication import MethodologyVersion


@dataclass(frozen=True)
class CalculationMethod:
    """The settings that change calculated figures: GWP set and factor series choice."""

    gwp_set: str
    series_priority: tuple[str, ...]
    excluded_series: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON form, as recorded in a snapshot."""
        return {
            "gwp_set": self.gwp_set,
            "series_priority": list(self.series_priority),
            "excluded_series": list(self.excluded_series),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CalculationMethod:
        """Inverse of :meth:`as_dict`."""
        return cls(
            data["gwp_set"], tuple(data["series_priority"]), tuple(data["excluded_series"])
        )


@dataclass(frozen=True)
class Methodology:
    """The company's methodology: calculation settings plus the base-year policy.

    ``version`` is None while the ledger holds none (Settings defaults apply).
    ``significance_threshold`` is a share [1] of base-year emissions.
    """

    calculation: CalculationMethod
    organization: str
    base_year: int | None
    significance_threshold: float
    version: int | None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """JSON form (for ``envledger methodology show --format json``)."""
        return {
            "version": self.version,
            "organization": self.organization,
            **self.calculation.as_dict(),
            "base_year": self.base_year,
            "significance_threshold": self.significance_threshold,
            "note": self.note,
        }


def current_methodology(settings: Settings) -> Methodology:
    """The ledger's current methodology, or the Settings defaults when none was set."""
    with session_scope(settings.database_url) as session:
        row = _latest(session)
        return _methodology(row) if row else _defaults(settings)


def methodology_version(settings: Settings, version: int) -> Methodology:
    """One version of the methodology; NotFoundError if the ledger has no such version."""
    with session_scope(settings.database_url) as session:
        row = session.scalars(
            select(MethodologyVersion).where(MethodologyVersion.version == version)
        ).first()
        if row is None:
            raise NotFoundError(f"methodology version {version} does not exist")
        return _methodology(row)


def set_methodology(
    settings: Settings,
    *,
    gwp_set: str | None = None,
    series_priority: Sequence[str] | None = None,
    excluded_series: Sequence[str] | None = None,
    base_year: int | None = None,
    significance_threshold: float | None = None,
    organization: str | None = None,
    note: str = "",
    actor: str = "cli",
) -> tuple[Methodology, bool]:
    """Record a new methodology version; arguments left None keep their current value.

    Returns the methodology now current and whether it changed (an identical setting is
    a no-op). The new version, the organization row (name, base year) and an audit
    event naming every changed setting are written in one transaction.

    Raises
    ------
    MethodologyError
        Unknown GWP set, a series the ledger's factors do not have, a threshold outside
        (0, 1) or an implausible base year; nothing is changed.
    """
    with session_scope(settings.database_url) as session:
        latest = _latest(session)
        old = _methodology(latest) if latest else _defaults(settings)
        calc = old.calculation
        new = Methodology(
            calculation=CalculationMethod(
                gwp_set=gwp_set if gwp_set is not None else calc.gwp_set,
                series_priority=_names(series_priority, calc.series_priority),
                excluded_series=_names(excluded_series, calc.excluded_series),
            ),
            organization=organization if organization is not None else old.organization,
            base_year=base_year if base_year is not None else old.base_year,
            significance_threshold=(
                significance_threshold if significance_threshold is not None
                else old.significance_threshold
            ),
            version=(latest.version + 1) if latest else 1,
            note=note,
        )
        _validate(session, new)
        changes = _changes(old.as_dict(), new.as_dict())
        if latest is not None and not changes:
            return old, False
        calc = new.calculation
        session.add(MethodologyVersion(
            version=new.version, organization=new.organization, gwp_set=calc.gwp_set,
            series_priority=list(calc.series_priority),
            excluded_series=list(calc.excluded_series), base_year=new.base_year,
            significance_threshold=new.significance_threshold, note=note, set_by=actor,
        ))
        _sync_organization(session, new)
        record_event(session, actor, "methodology.set", "methodology_version", {
            "version": new.version, "changes": changes, "note": note,
        }, rows={"methodology_version": {"version": new.version}, "organization": {}})
    return new, True


def _latest(session: Session) -> MethodologyVersion | None:
    return session.scalars(
        select(MethodologyVersion).order_by(MethodologyVersion.version.desc()).limit(1)
    ).first()


def _methodology(row: MethodologyVersion) -> Methodology:
    return Methodology(
        calculation=CalculationMethod(
            row.gwp_set, tuple(row.series_priority), tuple(row.excluded_series)
        ),
        organization=row.organization,
        base_year=row.base_year,
        significance_threshold=row.significance_threshold,
        version=row.version,
        note=row.note,
    )


def _defaults(settings: Settings) -> Methodology:
    return Methodology(
        calculation=CalculationMethod(settings.gwp_set, tuple(settings.series_priority)),
        organization="",
        base_year=None,
        significance_threshold=DEFAULT_SIGNIFICANCE_THRESHOLD,
        version=None,
    )


def _names(given: Sequence[str] | None, current: tuple[str, ...]) -> tuple[str, ...]:
    if given is None:
        return current
    return tuple(dict.fromkeys(name.strip() for name in given if name.strip()))


def _validate(session: Session, new: Methodology) -> None:
    calc = new.calculation
    problems = []
    if calc.gwp_set not in GWP_SETS:
        problems.append(f"GWP set '{calc.gwp_set}' is not one of {', '.join(GWP_SETS)}")
    known = set(session.scalars(select(EmissionFactor.series).distinct()))
    for label, names in (("series priority", calc.series_priority),
                         ("excluded series", calc.excluded_series)):
        unknown = [n for n in names if n not in known and n != "user"]
        if unknown:
            problems.append(
                f"{label} names {', '.join(unknown)}, not a factor series in the ledger"
                f" (known: {', '.join(sorted(known))}; 'user' = any imported factor)"
            )
    threshold_problem = check_threshold(new.significance_threshold)
    if threshold_problem:
        problems.append(threshold_problem)
    if new.base_year is not None and not 1990 <= new.base_year <= 2100:
        problems.append(f"base year {new.base_year} is not a plausible reporting year")
    if problems:
        raise MethodologyError("; ".join(problems) + "; nothing was changed")


def _changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{setting: [old, new]} for every setting that differs (the version and note aside)."""
    return {
        key: [old[key], new[key]]
        for key in new
        if key not in ("version", "note") and old[key] != new[key]
    }


def _sync_organization(session: Session, new: Methodology) -> None:
    """Keep the organization row (read by the disclosure site) in step with the name."""
    row = session.scalars(select(Organization).order_by(Organization.id).limit(1)).first()
    if row is None:
        if new.organization:
            session.add(Organization(name=new.organization, base_year=new.base_year))
        return
    row.name = new.organization or row.name
    row.base_year = new.base_year
