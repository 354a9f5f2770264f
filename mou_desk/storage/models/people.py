"""Organisations we talk to, the people there, and our own officers."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from mou_desk.storage.base import Record, long_text, name_text, short_text


class PartnerKind(enum.StrEnum):
    COMPANY = "company"
    INDUSTRY_ASSOCIATION = "industry association"
    GOVERNMENT_BODY = "government body"
    RESEARCH_INSTITUTE = "research institute"
    UNIVERSITY = "university"
    NETWORK = "network"


def enum_column(enum_cls: type[enum.StrEnum], length: int = 24) -> Enum:
    """Store an enum by its value (readable in SQL and workbooks), without a native DB type."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


class Officer(Record):
    """People on our side: department officers, the consul general who joined a meeting."""

    __tablename__ = "officers"
    record_type = "officer"

    name: Mapped[name_text]
    name_local: Mapped[short_text]
    designation: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[short_text]
    phone: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[long_text]


class Partner(Record):
    """An organisation that may become a partner."""

    __tablename__ = "partners"
    __table_args__ = (Index(None, "name"),)
    record_type = "partner"

    name: Mapped[name_text]
    name_local: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[PartnerKind] = mapped_column(enum_column(PartnerKind), default=PartnerKind.COMPANY)
    country: Mapped[str] = mapped_column(String(80), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    sectors: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[long_text]


class Contact(Record):
    """A person at a partner. Names are kept exactly as typed (HAYASHI Yoshikazu stays so)."""

    __tablename__ = "contacts"
    __table_args__ = (Index(None, "partner_id"), Index(None, "name"))
    record_type = "contact"

    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), default=None)
    name: Mapped[name_text]
    name_local: Mapped[short_text]
    honorific: Mapped[str] = mapped_column(String(40), default="")
    designation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[short_text]
    phone: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[long_text]
