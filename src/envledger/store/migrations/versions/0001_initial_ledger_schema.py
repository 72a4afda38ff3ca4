"""initial ledger schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 12:22:14.713993
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    op.create_table(
        "energy_coefficient",
        sa.Column("activity", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("basis", sa.String(length=60), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("confidence", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("activity", name=op.f("pk_energy_coefficient")),
    )
    op.create_table(
        "facility_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_group")),
        sa.UniqueConstraint("name", name=op.f("uq_facility_group_name")),
    )
    op.create_table(
        "fuel_property",
        sa.Column("activity", sa.String(length=40), nullable=False),
        sa.Column("property", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("confidence", sa.String(length=4), nullable=False),
        sa.PrimaryKeyConstraint("activity", "property", name=op.f("pk_fuel_property")),
    )
    op.create_table(
        "gas_blend_component",
        sa.Column("blend", sa.String(length=30), nullable=False),
        sa.Column("component", sa.String(length=30), nullable=False),
        sa.Column("mass_fraction", sa.Float(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("blend", "component", name=op.f("pk_gas_blend_component")),
    )
    op.create_table(
        "gwp_value",
        sa.Column("gwp_set", sa.String(length=10), nullable=False),
        sa.Column("gas", sa.String(length=30), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("gwp_set", "gas", name=op.f("pk_gwp_value")),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column(
            "imported_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        sa.UniqueConstraint("kind", "file_sha256", name=op.f("uq_import_batch_kind")),
    )
    op.create_table(
        "organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
    )
    op.create_table(
        "reference_data_version",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_data_version")),
    )
    op.create_table(
        "emission_factor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.String(length=100), nullable=False),
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("activity", sa.String(length=40), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("gas", sa.String(length=30), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("geography_code", sa.String(length=50), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("data_year", sa.Integer(), nullable=True),
        sa.Column("valid_from", sa.Integer(), nullable=True),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("confidence", sa.String(length=4), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("library_version", sa.String(length=20), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_emission_factor_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emission_factor")),
        sa.UniqueConstraint("factor_id", name=op.f("uq_emission_factor_factor_id")),
    )
    op.create_table(
        "facility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("province", sa.String(length=10), nullable=False),
        sa.Column("grid_region", sa.String(length=30), nullable=False),
        sa.Column("sector", sa.String(length=20), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_facility_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
        sa.UniqueConstraint("code", name=op.f("uq_facility_code")),
    )
    op.create_table(
        "activity_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("activity", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("gas", sa.String(length=30), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("data_source", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_activity_record_batch_id_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_activity_record_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_record")),
        sa.UniqueConstraint(
            "facility_id",
            "activity",
            "gas",
            "variant",
            "period_start",
            "period_end",
            name="uq_activity_record_natural_key",
        ),
    )
    with op.batch_alter_table("activity_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_record_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "facility_group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facility.id"],
            name=op.f("fk_facility_group_member_facility_id_facility"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["facility_group.id"],
            name=op.f("fk_facility_group_member_group_id_facility_group"),
        ),
        sa.PrimaryKeyConstraint("group_id", "facility_id", name=op.f("pk_facility_group_member")),
    )
    op.create_table(
        "facility_year",
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("floor_area_m2", sa.Float(), nullable=False),
        sa.Column("headcount", sa.Float(), nullable=False),
        sa.Column("in_boundary", sa.Boolean(), nullable=False),
        sa.Column("boundary_note", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_facility_year_batch_id_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_facility_year_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("facility_id", "year", name=op.f("pk_facility_year")),
    )


def downgrade() -> None:

    op.drop_table("facility_year")
    op.drop_table("facility_group_member")
    with op.batch_alter_table("activity_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_record_batch_id"))

    op.drop_table("activity_record")
    op.drop_table("facility")
    op.drop_table("emission_factor")
    op.drop_table("reference_data_version")
    op.drop_table("organization")
    op.drop_table("import_batch")
    op.drop_table("gwp_value")
    op.drop_table("gas_blend_component")
    op.drop_table("fuel_property")
    op.drop_table("facility_group")
    op.drop_table("energy_coefficient")
    op.drop_table("audit_event")
