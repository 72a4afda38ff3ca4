"""The README.md inside an evidence pack: what each file is and how to re-perform each figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from envledger.services.audit.chain import ChainReport
    from envledger.services.publication.publishing import Snapshot

_TEMPLATE = """\
# Evidence pack: {year} inventory, published version {version}

Snapshot {snapshot_id}, version {version} of {year}, published {published_at} by
{published_by}; content hash `{content_hash}`; inputs hash `{inputs_hash}`; GWP set
{gwp_set}; factor library {library_version}; envledger {code_version}.

Audit chain at export: head event {head_seq}, hash `{head_hash}` ({chain_state}). Keep
this pair: `envledger audit verify --anchor {head_seq}:{head_hash}` proves later that
no audit event up to this one was changed, deleted or reordered.

The content hash is the SHA-256 of `snapshot.json` re-serialized as canonical JSON
(keys sorted, no whitespace, UTF-8) after rounding every float to 12 significant digits.

Every number is unrounded. Files are UTF-8 CSV with a header row (empty cell = none)
or JSON. `manifest.json` lists the SHA-256 of every other file in the pack (and
`manifest.sig`, when present, is the base64 Ed25519 signature of `manifest.json`'s
bytes): `envledger evidence verify PACK.zip --public-key KEY.pem` checks both offline.
A text cell
that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return, and not a number) carries a leading ' so that it opens as text; numbers never do.

## Files

- `snapshot.json`: the published snapshot exactly as stored (canonical JSON); its
  `results` is the disclosed inventory (`envledger.inventory/1`).
- `figures.csv`: every disclosed figure: `figure` (its path), `value`, `unit`,
  `re_perform` (the rule below that reproduces it).
- `calculation_lines.csv`: one row per facility x activity x variant x gas x factor
  (x blend): `quantity` [canonical_unit], the factor, `kg_per_canonical`, `gwp`,
  `gas_kg` [kg], `t_co2e` [tCO2e], `scope`, `source`.
- `activity_rows.csv`: every activity row used: `record_id`, `batch_id`, `source_row`
  (row in the imported file, header = row 1), period, `quantity` [unit],
  `share_in_year`, `to_canonical`, `quantity_canonical` [canonical_unit].
- `factors.csv`: the emission factors used, as published, with `citation`,
  `confidence`, and `batch_id` for imported ones.
- `gwp.csv`: the 100-year GWP of each gas in the GWP set, with citation.
- `blends.csv`: mass fractions of the refrigerant blends split into component gases.
- `unit_conversions.csv`: `to_canonical` [canonical unit / unit] of each (activity,
  unit) used, with a note on how it was derived.
- `energy_coefficients.csv`: MWh and kgce per canonical unit as applied, and the
  GB/T 2589-2020 value as published.
- `facility_years.csv`, `group_members.csv`: floor area [m2], headcount [person] and
  boundary of each facility; the facility groups.
- `market_lines.csv`, `instruments.csv`: market-based Scope 2 per facility, activity
  and basis; the contractual instruments claimed (applied and excluded MWh, reason).
- `import_batches.csv`: the import batches of the rows, factors and facility data,
  with the file name and the SHA-256 of the file.
- `restatements.json`: every restatement of {year} (original beside revised, reason).
- `formulas.json`: the formulas and rules of this README, as data.

## Re-performing the figures

1. **Activity rows.** For each row of `activity_rows.csv`:
   `quantity_canonical = quantity x share_in_year x to_canonical`, where
   `share_in_year` = days of the row's inclusive period inside {year} / days of the
   period, and `to_canonical` is the row's (activity, unit) in `unit_conversions.csv`.
   Compare the file hashes in `import_batches.csv` with the files the company holds.
2. **Calculation lines.** A line's `quantity` is the sum of `quantity_canonical` of the
   activity rows with the same `facility_code`, `activity`, `variant` and
   `gas = activity_gas`. Then `gas_kg = quantity x kg_per_canonical` and
   `t_co2e = quantity x kg_per_canonical x gwp / 1000`. `kg_per_canonical` is the
   factor (`factor_value`, `factor_unit`, see `factors.csv`) expressed in kg of gas per
   canonical unit (`conversion_note` says how); for refrigerant lines it is 1, or the
   blend's mass fraction (`blends.csv`). `gwp` is the gas's value in `gwp.csv`, except
   AR6 methane, whose value depends on its origin and is given by the line's `gwp_note`
   (fossil 29.8 for fugitive methane, non-fossil 27.0 for combustion and wastewater).
3. **Emissions.** Company `emissions.scope1` in `snapshot.json` = sum of `t_co2e` of
   `calculation_lines.csv` where `scope = 1`; `scope2_location` likewise with
   `scope = 2`; `total = scope1 + scope2_location`; `scope2_market` = sum of `t_co2e` of
   `market_lines.csv`. A facility's figures: the same sums over its `facility_code`; a
   group's: over its member facilities (`group_members.csv`) inside the boundary.
   `by_source` and `by_gas` sum the lines by `scope`, `source` or `gas`.
4. **Energy, water, waste.** `energy.direct` (`indirect`) = sum of
   `quantity_canonical x mwh_per_canonical` over rows whose activity has
   `energy_class = direct` (`indirect`) in `energy_coefficients.csv`;
   `energy.standard_coal` = sum of `quantity_canonical x kgce_per_canonical / 1000`;
   water and waste = sum of `quantity_canonical` of the rows with activity
   `water_running`, `water_reclaimed`, `waste_hazardous`, `waste_non_hazardous`.
5. **Floor area, headcount, intensities.** Sums of `facility_years.csv` over
   in-boundary facilities; each intensity = its group's numerator / denominator as
   `formulas.json` names them (empty when the denominator is 0).
6. **Market-based Scope 2.** Each `market_lines.csv` row is contractual instruments
   (`applied_mwh x emission_rate_t_per_mwh` in `instruments.csv`), a supplier rate, the
   residual mix or the grid average (`factor_id`, `factors.csv`), in the order of the
   GHG Protocol Scope 2 Guidance (2015), Table 6.3.

A figure no row or line contributes to is null ("not reported") in `snapshot.json`,
never 0 (a row with quantity 0 gives 0); a sum is null only when every part is, and
an intensity with a null numerator is null.

`figures.csv` gives the rule for each figure. Sums are of unrounded values, so a
re-performed figure matches the published one to floating-point precision (relative
difference below 1e-9), not necessarily in the last digit.

## Approvals

`approvals.csv`: the review of every import batch in `activity_rows.csv` — `status`
(only `approved` batches enter a calculation), `submitted_by`, `submitted_at`,
`reviewer`, `comment`, `reviewed_at` (UTC). The inventory owner's own imports are
approved on import (the importer is the reviewer); a facility owner's submission is
approved by another person. Each decision is also an audit event
(`submission.approve`); the publication itself is the event `inventory.publish`, both
chained up to the head above.
"""


def readme(year: int, snapshot: Snapshot, chain: ChainReport) -> str:
    """The pack's README.md for ``snapshot`` and the audit-chain state at export."""
    state = "verified intact" if chain.ok else (
        f"BROKEN at event {chain.broken.seq}: {chain.broken.message}" if chain.broken else ""
    )
    return _TEMPLATE.format(
        year=year, version=snapshot.version, snapshot_id=snapshot.id,
        published_at=snapshot.published_at.isoformat(), published_by=snapshot.published_by,
        content_hash=snapshot.content_hash, inputs_hash=snapshot.inputs_hash,
        gwp_set=snapshot.gwp_set, library_version=snapshot.library_version,
        code_version=snapshot.code_version, head_seq=chain.head_seq,
        head_hash=chain.head_hash, chain_state=state,
    )
