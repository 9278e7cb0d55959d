"""Drift looks up the newest earlier observation by (site, url, run): index it in that order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:25:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index("ix_page_url_run")
        batch_op.create_index("ix_page_site_url_run", ["site_id", "url", "run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("page", schema=None) as batch_op:
        batch_op.drop_index("ix_page_site_url_run")
        batch_op.create_index("ix_page_url_run", ["url", "run_id"], unique=False)
