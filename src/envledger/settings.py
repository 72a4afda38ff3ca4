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
    secure_cookies: bool = Field(
        False,
        description=(
            "Mark the session cookie Secure (sent over HTTPS only). Set it when the site is"
            " behind an HTTPS proxy; requests that arrive over HTTPS get it anyway."
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
