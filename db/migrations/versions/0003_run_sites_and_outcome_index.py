"""crawl_run.sites (counted when a run ends) and an index on page (run_id, outcome).

`glamwatch runs` no longer counts distinct sites over every page of every run, and drift finds
the failed fetches of a run without reading all its pages.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sites", sa.Integer(), nullable=True))
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.create_index("ix_page_run_outcome", ["run_id", "outcome"], unique=False)
    op.execute(
        "UPDATE crawl_run SET sites = (SELECT count(DISTINCT page.site_id) FROM page "
        "WHERE page.run_id = crawl_run.id) WHERE status != 'running'"
    )


def downgrade() -> None:
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index("ix_page_run_outcome")
    with op.batch_alter_table("crawl_run", schema=None) as batch_op:
        batch_op.drop_column("sites")
