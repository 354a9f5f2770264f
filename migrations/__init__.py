"""Alembic migrations of MoU Desk (shipped inside the package as mou_desk.migrations)."""
