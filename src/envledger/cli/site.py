"""CLI: the disclosure site, served live or built as static files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from envledger.cli._common import console, ready, user_errors
from envledger.errors import EnvledgerError

TemplateOption = Annotated[
    Path | None,
    typer.Option("--template", help="Disclosure template (YAML); default follows DISCLOSURE.md."),
]


def register(app: typer.Typer) -> None:
    """Add `serve` and `build-site` to the app."""

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
        template: TemplateOption = None,
    ) -> None:
        """Serve the disclosure site and its JSON API (http://HOST:PORT, /api/v1/, /docs)."""
        # The web stack loads only for the commands that need it: the CLI starts faster.
        from envledger.web import serve as run_server

        with user_errors():
            settings = ready()
            console.print(f"Disclosure site on http://{host}:{port}/ (Ctrl+C to stop)")
            run_server(settings, host=host, port=port, template_path=template)

    @app.command("build-site")
    def build_site_command(
        out: Annotated[Path, typer.Option(help="Folder for the static site.")] = Path("site"),
        template: TemplateOption = None,
    ) -> None:
        """Build the disclosure site as static files (any static host, or file://)."""
        from envledger.web import build_site

        with user_errors():
            if out.exists() and any(out.iterdir()) and not (out / "api" / "v1").is_dir():
                raise EnvledgerError(
                    f"{out} is not empty and holds no earlier envledger site; "
                    "choose another --out"
                )
            index = build_site(ready(), out, template_path=template)
        console.print(f"Wrote {index} (open it in a browser, or publish the folder)")
