"""What a replica remembers about its upstream: the peer, the base of each record, kept conflicts.

The rules that use these tables live in ``mou_desk.services.sync``; this module only stores them.
Every database also carries its own id in the meta table (key ``database_id``, written by
migration 0004), so that a replica can tell which database it was made from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mou_desk.storage.base import Base, UTCDateTime, new_id, timestamp, uuid_pk

#: the meta key holding a database's own id
DATABASE_ID_KEY = "database_id"


class SyncPeer(Base):
    """The database this replica was made from and syncs with (one row in a replica)."""

    __tablename__ = "sync_peers"

    id: Mapped[uuid_pk]
    #: where it is, without any password ("postgresql+psycopg://clerk@db.example/mou")
    url: Mapped[str] = mapped_column(String(500))
    #: the upstream's own id (its meta database_id): a sync with another database is refused
    database_id: Mapped[str] = mapped_column(String(36))
    #: which part of it this replica holds: JSON {"trip": id or null, "sector": name or null}
    filter: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[timestamp]
    last_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    #: the last sync file written for the upstream (a hand-over without a connection)
    last_exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class SyncBase(Base):
    """The common ancestor of a record in this replica and upstream, as of the last sync.

    Versions are counted separately in each copy, so both are kept. The base values are this
    copy's values at ``local_version`` (recovered from its change log) except the fields in
    ``base_values`` (JSON field -> canonical text), which hold where they differ: fields of a
    kept conflict, or a change one side has not taken yet.
    """

    __tablename__ = "sync_base"
    __table_args__ = (Index(None, "record_type"),)

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(20))
    local_version: Mapped[int]
    remote_version: Mapped[int]
    base_values: Mapped[str | None] = mapped_column(Text, default=None)


class SyncConflict(Base):
    """A field changed on both sides to different values, kept until a clerk decides it.

    ``mine`` is this replica's value, ``theirs`` upstream's, ``original`` the base, all in
    canonical text (the field ``deleted`` holds "1" or "0": a deletion against an edit).
    ``decision`` ("mine"/"theirs") is the clerk's choice; the next sync carries it out and
    sets ``resolved_at`` and ``resolution`` ("mine", "theirs", or "agreed" when both sides
    came to the same value on their own).
    """

    __tablename__ = "sync_conflicts"
    __table_args__ = (Index(None, "record_id"), Index(None, "resolved_at"))

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(36))
    label: Mapped[str] = mapped_column(String(300), default="")
    field: Mapped[str] = mapped_column(String(40))
    mine: Mapped[str | None] = mapped_column(Text, default=None)
    theirs: Mapped[str | None] = mapped_column(Text, default=None)
    original: Mapped[str | None] = mapped_column(Text, default=None)
    detected_at: Mapped[timestamp]
    decision: Mapped[str | None] = mapped_column(String(10), default=None)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution: Mapped[str | None] = mapped_column(String(10), default=None)
