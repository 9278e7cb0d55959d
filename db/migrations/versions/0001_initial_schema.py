"""Initial schema: institution, site, crawl_run, page, assertion, change_event (DESIGN.md §4).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 19:11:34.041541
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crawl_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("settings_hash", sa.String(length=64), nullable=True),
        sa.Column("seeds", sa.JSON(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("assertions", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "institution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("type", sa.String(length=100), nullable=True),
        sa.Column("wikidata", sa.String(length=32), nullable=True),
        sa.Column("website", sa.String(length=2000), nullable=True),
        sa.Column("survey_status", sa.String(length=32), nullable=True),
        sa.Column("survey_url", sa.String(length=2000), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institution_wikidata"), ["wikidata"], unique=False)

    op.create_table(
        "site",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=True),
        sa.Column("base_url", sa.String(length=2000), nullable=False),
        sa.Column("seeds", sa.JSON(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["institution.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("base_url"),
    )
    op.create_table(
        "change_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("from_run", sa.Integer(), nullable=False),
        sa.Column("to_run", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_run"],
            ["crawl_run.id"],
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
        ),
        sa.ForeignKeyConstraint(
            ["to_run"],
            ["crawl_run.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.create_index("ix_change_event_runs", ["from_run", "to_run"], unique=False)

    op.create_table(
        "page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("final_url", sa.String(length=2000), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("extraction_errors", sa.JSON(), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=8), nullable=False),
        sa.Column("licenses", sa.Text(), nullable=False),
        sa.Column("n_assertions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["crawl_run.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["site.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "url", name="uq_page_run_url"),
    )
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.create_index("ix_page_site_run", ["site_id", "run_id"], unique=False)
        batch_op.create_index("ix_page_url_run", ["url", "run_id"], unique=False)

    op.create_table(
        "assertion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("license", sa.String(length=100), nullable=True),
        sa.Column("jurisdiction", sa.String(length=16), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("match", sa.String(length=16), nullable=True),
        sa.Column("basis", sa.String(length=32), nullable=True),
        sa.Column("rule_source", sa.String(length=200), nullable=True),
        sa.Column("position", sa.String(length=64), nullable=True),
        sa.Column("source_url", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(["page_id"], ["page.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("assertion", schema=None) as batch_op:
        batch_op.create_index("ix_assertion_page", ["page_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assertion", schema=None) as batch_op:
        batch_op.drop_index("ix_assertion_page")

    op.drop_table("assertion")
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index("ix_page_url_run")
        batch_op.drop_index("ix_page_site_run")

    op.drop_table("page")
    with op.batch_alter_table("change_event", schema=None) as batch_op:
        batch_op.drop_index("ix_change_event_runs")

    op.drop_table("change_event")
    op.drop_table("site")
    with op.batch_alter_table("institution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_wikidata"))

    op.drop_table("institution")
    op.drop_table("crawl_run")
