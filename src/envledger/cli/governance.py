"""CLI: the audit chain (verify, log), the evidence pack and the database's application role."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from envledger.cli._common import Format, FormatOption, console, errors, ready, user_errors
from envledger.errors import EnvledgerError
from envledger.services.audit.chain import audit_log, verify_chain
from envledger.services.audit.database_role import grant_app_role
from envledger.services.evidence.ledger_verify import Divergence, seal_ledger, verify_ledger
from envledger.services.evidence.pack import write_evidence_pack
from envledger.services.evidence.pack_verify import verify_pack


def _anchor(text: str | None) -> tuple[int, str] | None:
    if text is None:
        return None
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise EnvledgerError(f"--anchor '{text}' must be SEQ:HASH (a 64-digit hex hash)")
    return int(seq), digest.lower()


def _print_divergences(divergences: list[Divergence]) -> None:
    if not divergences:
        return
    title = f"[bold red]{len(divergences)} divergence(s) from the audit trail[/]"
    table = Table("Table", "Row", "Expected", "Found", "What", title=title)
    for item in divergences:
        table.add_row(item.table, item.row, item.expected, item.found, item.message)
    errors.print(table)


def register(app: typer.Typer) -> None:
    """Add `audit verify`, `audit log`, `evidence` and `db grant-app-role` to the app."""

    audit_app = typer.Typer(help="The tamper-evident audit trail (a hash chain).")
    db_app = typer.Typer(help="Database administration (PostgreSQL roles).")
    app.add_typer(audit_app, name="audit")
    app.add_typer(db_app, name="db")

    @audit_app.command("verify")
    def audit_verify(
        anchor: Annotated[str | None, typer.Option(
            help="SEQ:HASH recorded earlier (e.g. in an evidence pack) that must still hold."
        )] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """Recompute the audit chain and the ledger's rows against it; exit 1 on any break."""
        with user_errors():
            settings = ready()
            report = verify_chain(settings.database_url, _anchor(anchor))
            ledger = verify_ledger(settings, _anchor(anchor))
        if format is Format.json:
            document = {**report.as_dict(), "ledger": ledger.as_dict()}
            sys.stdout.write(json.dumps(document, indent=2) + "\n")
            if not ledger.ok:
                raise typer.Exit(1)
        elif report.broken is None:
            console.print(f"[green]OK[/]: {report.count} events, head event"
                          f" {report.head_seq} hash {report.head_hash}", highlight=False)
        else:
            errors.print(f"[bold red]BROKEN[/] at event {report.broken.seq}"
                         f" ({report.broken.problem}): {report.broken.message}."
                         f" {report.count} events verified before it.", highlight=False)
        if format is not Format.json:
            _print_divergences([d for d in ledger.divergences if d.table != "audit_event"])
        if not ledger.ok:
            raise typer.Exit(1)

    @app.command("verify")
    def verify(
        anchor: Annotated[str | None, typer.Option(
            help="SEQ:HASH published earlier (site footer, evidence pack) that must still hold."
        )] = None,
        recompute: Annotated[bool, typer.Option(
            help="Also recalculate every published year: inputs and figures must reproduce."
        )] = False,
        format: FormatOption = Format.table,
    ) -> None:
        """Verify the whole ledger against its audit trail; exit 1 on any divergence."""
        with user_errors():
            report = verify_ledger(ready(), _anchor(anchor), recompute)
        if format is Format.json:
            sys.stdout.write(json.dumps(report.as_dict(), indent=2) + "\n")
        else:
            chain = report.chain
            years = f", {len(report.recomputed_years)} published years recalculated" if (
                recompute) else ""
            if report.ok:
                console.print(f"[green]OK[/]: {chain.count} events (head {chain.head_seq}:"
                              f"{chain.head_hash}), every tracked row, snapshot and decision"
                              f" matches the audit trail{years}.", highlight=False)
            _print_divergences(report.divergences)
        if not report.ok:
            raise typer.Exit(1)

    @audit_app.command("seal")
    def audit_seal(
        reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")],
    ) -> None:
        """Record the fingerprints of every tracked row as it is now (a ledger from before
        fingerprints; check its content first)."""
        with user_errors():
            seq = seal_ledger(ready(), reason)
        console.print(f"[green]Sealed[/]: audit event {seq} records every tracked row as it"
                      " is now; `envledger verify` checks against it.", highlight=False)

    @audit_app.command("log")
    def audit_log_command(
        limit: Annotated[int, typer.Option(min=1, help="How many events, newest first.")] = 20,
        format: FormatOption = Format.table,
    ) -> None:
        """Show the latest audit events."""
        with user_errors():
            events = audit_log(ready().database_url, limit)
        if format is Format.json:
            sys.stdout.write(json.dumps(events, indent=2, ensure_ascii=False) + "\n")
            return
        table = Table("Seq", "At (UTC)", "Actor", "Action", "Entity", "Detail", "Hash")
        for event in events:
            detail = json.dumps(event["detail"], ensure_ascii=False)
            table.add_row(str(event["seq"]), event["at"][:19].replace("T", " "),
                          event["actor"], event["action"], event["entity"],
                          detail if len(detail) <= 60 else detail[:57] + "...",
                          event["hash"][:12])
        console.print(table)

    evidence_app = typer.Typer(help="The verifier's evidence pack: write one, or check one.")
    app.add_typer(evidence_app, name="evidence")

    @evidence_app.command("verify")
    def evidence_verify(
        pack: Annotated[Path, typer.Argument(help="The evidence pack (zip) to check.")],
        public_key: Annotated[Path | None, typer.Option(
            help="The publisher's Ed25519 public key (PEM): the pack must be signed by it."
        )] = None,
        format: FormatOption = Format.table,
    ) -> None:
        """Check a pack offline: every file's SHA-256, the snapshot hash, the signature."""
        with user_errors():
            check = verify_pack(pack, public_key)
        if format is Format.json:
            sys.stdout.write(json.dumps(check.as_dict(), indent=2) + "\n")
        elif check.ok:
            signed = "signed by the given key" if check.signed else "not signed"
            console.print(f"[green]OK[/]: {pack}: {check.snapshot}, every file matches the"
                          f" manifest, {signed}; audit chain head {check.chain_head}"
                          " (compare it with the published anchor).", highlight=False)
        else:
            for problem in check.problems:
                errors.print(f"[bold red]BROKEN[/]: {problem}", highlight=False)
        if not check.ok:
            raise typer.Exit(1)

    @evidence_app.callback(invoke_without_command=True)
    def evidence(
        context: typer.Context,
        year: Annotated[int | None, typer.Option(help="Published reporting year.")] = None,
        out: Annotated[Path | None, typer.Option(
            help="The zip file to write (must not exist).")] = None,
    ) -> None:
        """Write the verifier's evidence pack of a published year (zip of CSV/JSON)."""
        if context.invoked_subcommand is not None:
            return
        if year is None or out is None:
            errors.print("[bold red]error:[/] give --year and --out (or: evidence verify"
                         " PACK.zip)", highlight=False)
            raise typer.Exit(2)
        with user_errors():
            pack = write_evidence_pack(ready(), year, out)
        chain = "intact" if pack.audit_chain.ok else "[red]BROKEN[/] (see README.md)"
        console.print(
            f"Wrote {pack.path}: {year} version {pack.snapshot.version} (hash"
            f" {pack.snapshot.content_hash[:12]}), {len(pack.files)} files; audit chain"
            f" {chain} at event {pack.audit_chain.head_seq}"
            f" ({pack.audit_chain.head_hash[:12]}).", highlight=False,
        )

    @db_app.command("grant-app-role")
    def grant_app_role_command(
        role: Annotated[str, typer.Option(help="Role the application connects as.")],
        password: Annotated[str | None, typer.Option(
            envvar="ENVLEDGER_APP_ROLE_PASSWORD",
            help="Password to set (or the ENVLEDGER_APP_ROLE_PASSWORD variable).",
        )] = None,
    ) -> None:
        """PostgreSQL: let ROLE use the ledger, with no UPDATE/DELETE on audit events."""
        with user_errors():
            statements = grant_app_role(ready().database_url, role, password)
        for statement in statements:
            console.print(statement, highlight=False)
        console.print(f"[green]Role {role} may append to audit_event but never change it.[/]")
