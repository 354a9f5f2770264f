"""Which records a partial replica holds: the MoUs of a trip or a sector, and what they need.

The MoUs chosen by the filter are the *core*. With them come what belongs to them — their
meetings, follow-ups, attached files, stage history — and, transitively, everything those
point at (partners, contacts, officers, trips, the other MoUs a meeting concerns), so every
reference in the replica resolves. What is only pointed at brings nothing of its own along
(a meeting's other MoUs come without their meetings), which keeps a sector's replica from
growing into the whole database. Contacts of every partner held come too (a clerk on a trip
wants the people), and all officers and trips (a handful of rows).

The scope is worked out again on the upstream at every sync, so an MoU added there to the
sector arrives on the next sync; records that leave it stay in the replica and keep syncing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, select

from mou_desk.domain.errors import ValidationError
from mou_desk.services.fields import link_fields
from mou_desk.services.sync.tables import table_of
from mou_desk.storage.models import (
    RECORD_TYPES,
    Attachment,
    Contact,
    Engagement,
    FollowUp,
    Mou,
    Officer,
    Trip,
    engagement_contacts,
    engagement_mous,
    engagement_partners,
    mou_partners,
)

CHUNK = 900


@dataclass(frozen=True)
class ScopeFilter:
    """A trip (by id) and/or a sector; neither: the whole database."""

    trip: str | None = None
    sector: str | None = None

    @property
    def whole(self) -> bool:
        return self.trip is None and self.sector is None

    def to_json(self) -> str:
        return json.dumps({"trip": self.trip, "sector": self.sector}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> ScopeFilter:
        data = json.loads(text or "{}")
        return cls(trip=data.get("trip"), sector=data.get("sector"))

    def describe(self, trip_name: str | None = None) -> str:
        parts = []
        if self.trip is not None:
            parts.append(f"the MoUs of trip {trip_name or self.trip}")
        if self.sector is not None:
            parts.append(f"sector {self.sector}")
        return " in ".join(parts) if parts else "the whole database"


def resolve_filter(connection: Connection, trip: str | None, sector: str | None) -> ScopeFilter:
    """The filter a clerk typed (a trip's name or id, a sector's name in any case), checked."""
    trip_id = None
    if trip:
        trip_t = table_of(Trip)
        rows = connection.execute(
            select(trip_t.c.id, trip_t.c.name).where(
                (trip_t.c.id == trip) | (func.lower(trip_t.c.name) == trip.strip().lower()),
                trip_t.c.deleted_at.is_(None),
            )
        ).all()
        if len(rows) != 1:
            names = connection.scalars(
                select(trip_t.c.name).where(trip_t.c.deleted_at.is_(None)).order_by(trip_t.c.name)
            ).all()
            known = "; ".join(names[:10]) or "none yet"
            what = "several trips are" if rows else "no trip is"
            raise ValidationError({"trip": f"{what} called {trip!r}. Trips: {known}."})
        trip_id = rows[0][0]
    chosen_sector = None
    if sector:
        mou_t = table_of(Mou)
        found = connection.scalars(
            select(mou_t.c.sector)
            .where(func.lower(mou_t.c.sector) == sector.strip().lower())
            .limit(1)
        ).first()
        if found is None:
            sectors = connection.scalars(
                select(mou_t.c.sector).where(mou_t.c.sector != "").distinct().order_by("sector")
            ).all()
            known = "; ".join(sectors[:15]) or "none yet"
            raise ValidationError(
                {"sector": f"No MoU has the sector {sector!r}. Sectors: {known}."}
            )
        chosen_sector = str(found)
    return ScopeFilter(trip=trip_id, sector=chosen_sector)


def _ids(
    connection: Connection,
    column: ColumnElement[Any],
    where: ColumnElement[Any],
    keys: Iterable[str],
) -> set[str]:
    """Values of ``column`` in rows whose ``where`` is one of ``keys`` (None values left out)."""
    found: set[str] = set()
    key_list = sorted(set(keys))
    for start in range(0, len(key_list), CHUNK):
        part = key_list[start : start + CHUNK]
        found.update(v for v in connection.scalars(select(column).where(where.in_(part))) if v)
    return found


def _all(connection: Connection, table: Table) -> set[str]:
    return set(connection.scalars(select(table.c.id)))


def scope_ids(connection: Connection, flt: ScopeFilter) -> dict[str, set[str]] | None:
    """Record type -> ids held by a replica with this filter; None for the whole database."""
    if flt.whole:
        return None
    mou_t, eng_t = table_of(Mou), table_of(Engagement)
    fu_t, att_t, contact_t = table_of(FollowUp), table_of(Attachment), table_of(Contact)
    engagements: set[str] = set()
    core: set[str] | None = None
    if flt.sector is not None:
        core = set(connection.scalars(select(mou_t.c.id).where(mou_t.c.sector == flt.sector)))
    if flt.trip is not None:
        engagements = set(connection.scalars(select(eng_t.c.id).where(eng_t.c.trip_id == flt.trip)))
        of_trip = _ids(
            connection, engagement_mous.c.mou_id, engagement_mous.c.engagement_id, engagements
        )
        core = of_trip if core is None else core & of_trip
    core = core or set()
    # what belongs to the core MoUs
    engagements |= _ids(connection, engagement_mous.c.engagement_id, engagement_mous.c.mou_id, core)
    followups = _ids(connection, fu_t.c.id, fu_t.c.mou_id, core)
    attachments = _ids(connection, att_t.c.id, att_t.c.mou_id, core)
    # everything those point at
    engagements |= _ids(connection, fu_t.c.engagement_id, fu_t.c.id, followups)
    mous = core | _ids(
        connection, engagement_mous.c.mou_id, engagement_mous.c.engagement_id, engagements
    )
    partners = (
        _ids(connection, mou_t.c.lead_partner_id, mou_t.c.id, mous)
        | _ids(connection, mou_partners.c.partner_id, mou_partners.c.mou_id, mous)
        | _ids(
            connection,
            engagement_partners.c.partner_id,
            engagement_partners.c.engagement_id,
            engagements,
        )
        | _ids(connection, fu_t.c.partner_id, fu_t.c.id, followups)
        | _ids(connection, att_t.c.partner_id, att_t.c.id, attachments)
    )
    contacts = _ids(
        connection,
        engagement_contacts.c.contact_id,
        engagement_contacts.c.engagement_id,
        engagements,
    )
    partners |= _ids(connection, contact_t.c.partner_id, contact_t.c.id, contacts)
    contacts |= _ids(connection, contact_t.c.id, contact_t.c.partner_id, partners)
    # every officer (a meeting's or a nodal officer) and every trip: a handful of rows
    return {
        "officer": _all(connection, table_of(Officer)),
        "partner": partners,
        "contact": contacts,
        "trip": _all(connection, table_of(Trip)),
        "mou": mous,
        "engagement": engagements,
        "followup": followups,
        "attachment": attachments,
    }


def references(record_type: str) -> dict[str, str]:
    """field -> the record type it points at (foreign keys and lists of ids alike)."""
    by_table = {m.__tablename__: t for t, m in RECORD_TYPES.items()}
    found: dict[str, str] = {}
    for column in table_of(RECORD_TYPES[record_type]).columns:
        for fk in column.foreign_keys:
            target = by_table.get(fk.column.table.name)
            if target is not None:
                found[column.key] = target
    for link in link_fields(record_type):
        other = link.table.c[link.other_column]
        target = by_table.get(next(iter(other.foreign_keys)).column.table.name)
        if target is not None:
            found[link.name] = target
    return found
