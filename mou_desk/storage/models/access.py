"""Who may do what on a shared database: the clerks registered with a role.

The rules that use this table live in ``mou_desk.services.access``; this module only stores it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from mou_desk.storage.base import Base, UTCDateTime, utcnow
from mou_desk.storage.models.people import enum_column


class Role(enum.StrEnum):
    """What a clerk may do, each role allowing everything the one before it does."""

    #: reads, searches, reports and exports; changes nothing
    VIEWER = "viewer"
    #: also creates, edits, deletes and restores records, imports workbooks, syncs
    CLERK = "clerk"
    #: also grants roles, restores backups onto the database and undoes imports
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


class ClerkRole(Base):
    """One registered clerk: the name recorded in history, the role, who granted it and when."""

    __tablename__ = "clerk_roles"

    #: the name folded for matching (case and spacing ignored): "meena verma"
    name_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    #: the name as it was granted and as it appears in the change log: "Meena Verma"
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, length=10))
    granted_by: Mapped[str] = mapped_column(String(120), default="")
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
