"""Use case: estimate missing months of activity data, said out loud and reviewed.

An estimate is written as an activities file of its own (one row per missing month,
``data_source = estimated``, in the activity's canonical unit) and imported through the
same path as an upload (services.ledger.importing): checked, a batch, a *pending*
submission that a reviewer must approve (services.governance.review), an audit event.
Beside the rows, an ``estimation`` row keeps the method, its parameters and every input
figure, for the reviewer and the verifier.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from envledger.data import load_activity_catalog
from envledger.errors import EstimationError
from envledger.io.activities import OPTIONAL, REQUIRED, parse_activities
from envledger.methods.estimation import METHOD_UNCERTAINTY_PCT
from envledger.services.ledger.estimation_basis import load_basis
from envledger.services.ledger.estimation_plan import (
    EstimatedMonth,
    EstimateRequest,
    plan_months,
)
from envledger.services.ledger.importing import (
    Applied,
    ImportResult,
    activity_applier,
    import_generated,
)
from envledger.store.db import get_engine, session_scope
from envledger.store.estimation import Estimation
from envledger.store.models import ImportBatch


@dataclass(frozen=True)
class EstimatePlan:
    """The rows an estimate would submit, with the method's parameters and inputs."""

    request: EstimateRequest
    unit: str
    months: list[EstimatedMonth]

    @property
    def quantity(self) -> float:
        """Total of the estimated months [``unit``]."""
        return sum(month.quantity for month in self.months)

    @property
    def file_name(self) -> str:
        """The name the estimate's batch carries (what the submission list shows)."""
        r = self.request
        variant = f"-{r.variant}" if r.variant else ""
        return f"estimate-{r.facility}-{r.activity}{variant}-{r.year}-{r.method}.csv"

    def parameters(self) -> dict[str, Any]:
        """The request as recorded: year, facility, activity, variant, months, driver."""
        r = self.request
        found = {"year": r.year, "facility": r.facility, "activity": r.activity,
                 "variant": r.variant, "months": [m.month for m in self.months]}
        if r.method == "previous_year":
            found["by"] = r.by
        if r.method == "group_intensity":
            found["group"] = next(iter(self.months)).inputs["group"]
        return found

    def inputs(self) -> list[dict[str, Any]]:
        """Per month: the figures used, the result [``unit``] and the arithmetic."""
        return [{"month": m.month, "days": m.days, "quantity": m.quantity, "unit": self.unit,
                 "inputs": m.inputs, "arithmetic": m.arithmetic} for m in self.months]

    def content(self) -> bytes:
        """The estimate as an activities CSV file (the import template's columns)."""
        rule = _variant_column(self.request.activity)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(REQUIRED + OPTIONAL)
        for month in self.months:
            cells = {
                "facility_code": self.request.facility,
                "period_start": month.period_start.isoformat(),
                "period_end": month.period_end.isoformat(),
                "activity": self.request.activity, "quantity": repr(month.quantity),
                "unit": self.unit, "data_source": "estimated",
                "reference": f"estimate: {self.request.method}",
                # a method resting on other facilities is less certain than the default
                "uncertainty_pct": str(METHOD_UNCERTAINTY_PCT.get(self.request.method, "")),
            }
            if rule:
                cells[rule] = self.request.variant
            writer.writerow([cells.get(column, "") for column in REQUIRED + OPTIONAL])
        return buffer.getvalue().encode()

    def as_dict(self) -> dict[str, Any]:
        """JSON form: method, parameters, unit, total and the months with arithmetic."""
        return {"method": self.request.method, "parameters": self.parameters(),
                "unit": self.unit, "quantity": self.quantity, "months": self.inputs()}


def plan_estimate(url: str, request: EstimateRequest) -> EstimatePlan:
    """What ``request`` would submit, checked as an import would check it; nothing is written.

    Raises
    ------
    EstimationError
        If the method has no basis; the message names what is missing.
    NotFoundError
        For an unknown facility or activity.
    InputError
        If the rows would be refused as a file (e.g. a variant the activity has not).
    """
    _check_variant(request)
    with get_engine(url).connect() as connection:
        basis = load_basis(
            connection, request.year, request.facility, request.activity, request.variant)
    plan = EstimatePlan(request, basis.unit, plan_months(basis, request))
    parse_activities(plan.content(), plan.file_name)
    return plan


def submit_estimate(url: str, request: EstimateRequest, actor: str) -> ImportResult:
    """Submit the estimate of ``request`` for review (pending until a reviewer approves).

    The same estimate submitted again is a no-op naming the earlier batch. Raises what
    ``plan_estimate`` raises, and what an activities import raises (a locked year, rows
    already in the ledger).
    """
    plan = plan_estimate(url, request)
    base = activity_applier(submit=True, facilities=None)

    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        applied = base(session, table, batch)
        session.add(Estimation(
            batch_id=batch.id, method=request.method,
            parameters=_json(plan.parameters()), inputs=_json(plan.inputs()),
            quantity=plan.quantity, unit=plan.unit,
        ))
        detail = {**applied.detail, "estimation": {
            "method": request.method, **plan.parameters(), "quantity": plan.quantity,
            "unit": plan.unit}}
        message = (
            f"Submitted {applied.rows_added} estimated rows ({request.method}) as batch"
            f" {{batch}} ({applied.detail['review_status']}): they count once a reviewer"
            " approves them.")
        return replace(applied, message=message, detail=detail,
                       rows={"estimation": {"batch_id": batch.id}})

    return import_generated(
        url, "activities", plan.file_name, plan.content(), actor, parse_activities, apply)


def estimation_of(url: str, batch_id: int) -> dict[str, Any] | None:
    """The method, parameters and inputs behind an estimated batch; None for any other."""
    with session_scope(url) as session:
        found = session.get(Estimation, batch_id)
        if found is None:
            return None
        return {"method": found.method, "parameters": json.loads(found.parameters),
                "months": json.loads(found.inputs), "quantity": found.quantity,
                "unit": found.unit}


def _variant_column(activity: str) -> str:
    """The import column holding the activity's variant ('' if it has none)."""
    catalog = load_activity_catalog()
    entry = catalog.filter(pc.equal(catalog.column("activity"), activity))
    return str(entry.column("variant_column")[0].as_py() or "") if entry.num_rows else ""


def _check_variant(request: EstimateRequest) -> None:
    rule = _variant_column(request.activity)
    if request.variant and not rule:
        raise EstimationError(f"'{request.activity}' has no variant: leave out --variant")
    if rule == "treatment" and not request.variant:
        raise EstimationError(
            f"'{request.activity}' is estimated per treatment: give --variant (the treatment)")


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)
