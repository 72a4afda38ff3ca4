"""Settings: every one has a default and help text; override with ENVLEDGER_* variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """envledger configuration read from the environment (prefix ENVLEDGER_)."""

    model_config = SettingsConfigDict(env_prefix="ENVLEDGER_", env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite:///envledger.db",
        description="SQLAlchemy URL of the ledger: a SQLite file or postgresql+psycopg://...",
    )
    sqlite_busy_timeout_s: float = Field(
        30,
        gt=0,
        description=(
            "SQLite only: how long a write waits for another writer (e.g. a long import) to"
            " finish before it gives up with 'the ledger is busy' [s]."
        ),
    )
    gwp_set: str = Field("AR5", description="Default GWP set for inventories: AR4, AR5 or AR6.")
    series_priority: list[str] = Field(
        default_factory=lambda: ["user", "cn_mee_nbs_electricity", "cn_ets_grid"],
        description=(
            "Factor series preferred, first to last, when two factors of the same tier match."
            " 'user' stands for every series imported by the company."
        ),
    )
    instrument_vintage_years: int = Field(
        1,
        ge=0,
        description=(
            "Market-based Scope 2: how many years before the reporting year a contractual"
            " instrument's vintage may be (Scope 2 Quality Criterion 4); 1 = the reporting"
            " year or the year before."
        ),
    )
    session_hours: float = Field(
        8, gt=0, description="How long a web sign-in lasts before signing in again [h]."
    )
    signin_free_failures: int = Field(
        5, ge=1,
        description=(
            "Failed sign-ins in a row on one account before each further attempt must wait"
            " (exponential back-off, see docs/access-control.md)."
        ),
    )
    signin_address_free_failures: int = Field(
        20, ge=1,
        description="Failed sign-ins in a row from one client address (any account) before"
                    " each further attempt from it must wait.",
    )
    signin_backoff_seconds: float = Field(
        1, gt=0, description="First wait after the free failures; it doubles with each"
                             " further failure [s].",
    )
    signin_backoff_cap_seconds: float = Field(
        900, gt=0, description="Longest wait between sign-in attempts [s].",
    )
    login_form_key: str = Field(
        "",
        description=(
            "Key that signs the sign-in form's CSRF token (HMAC-SHA256). Empty: a random key"
            " per server process; set one (e.g. `python -c 'import secrets;"
            " print(secrets.token_urlsafe(32))'`) when several processes serve the site."
        ),
    )
    secure_cookies: bool = Field(
        False,
        description=(
            "Mark the session cookie Secure (sent over HTTPS only). Set it when the site is"
            " behind an HTTPS proxy; requests that arrive over HTTPS get it anyway."
        ),
    )
    max_import_mb: float = Field(
        50,
        gt=0,
        description=(
            "Largest import file [MB]: the web app refuses a larger request body (HTTP 413)"
            " while it arrives; `envledger import --max-file-mb` overrides it."
        ),
    )
    max_import_rows: int = Field(
        2_000_000,
        ge=1,
        description=(
            "Most rows below the header in one import file (blank rows count);"
            " `envledger import --max-rows` overrides it."
        ),
    )
    max_extra_columns: int = Field(
        10,
        ge=0,
        description="Columns an import file may have beyond those of its kind (notes, blanks).",
    )
    max_xlsx_unzipped_mb: float = Field(
        500,
        gt=0,
        description=(
            "Largest total uncompressed size of the parts of an XLSX workbook [MB], checked"
            " before the workbook is parsed."
        ),
    )
    max_xlsx_zip_ratio: float = Field(
        100,
        gt=1,
        description=(
            "Largest uncompressed/compressed size ratio of a part of an XLSX workbook over"
            " 1 MB; spreadsheets stay far below 100, zip bombs reach thousands."
        ),
    )
    evidence_signing_key: Path | None = Field(
        None,
        description=(
            "PEM file of an Ed25519 private key: evidence packs then carry manifest.sig, the"
            " signature of manifest.json (docs/audit-and-evidence.md: keep the key off the"
            " ledger host's database, publish the public key)."
        ),
    )


def get_settings() -> Settings:
    """Read the settings afresh (environment variables may change between CLI calls)."""
    return Settings()
