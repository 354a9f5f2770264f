"""One object holding every service of an open database: what the UI and CLI are handed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mou_desk.services.activity import (
    AttachmentService,
    EngagementService,
    FollowUpService,
    TripService,
)
from mou_desk.services.common import RecordService
from mou_desk.services.database import Database
from mou_desk.services.directory import ContactService, OfficerService, PartnerService
from mou_desk.services.mous import MouService
from mou_desk.storage.lifecycle import OpenedDatabase, open_database


@dataclass(frozen=True)
class Desk:
    db: Database
    mous: MouService
    partners: PartnerService
    contacts: ContactService
    officers: OfficerService
    trips: TripService
    engagements: EngagementService
    followups: FollowUpService
    attachments: AttachmentService
    opened: OpenedDatabase | None = None

    @classmethod
    def for_database(cls, db: Database, opened: OpenedDatabase | None = None) -> Desk:
        return cls(
            db=db,
            mous=MouService(db),
            partners=PartnerService(db),
            contacts=ContactService(db),
            officers=OfficerService(db),
            trips=TripService(db),
            engagements=EngagementService(db),
            followups=FollowUpService(db),
            attachments=AttachmentService(db),
            opened=opened,
        )

    @classmethod
    def open(
        cls,
        path_or_url: str | Path,
        *,
        clerk: str = "",
        origin: str = "desktop",
        passphrase: str | None = None,
    ) -> Desk:
        """Open (create or upgrade) a database and wire the services to it.

        ``passphrase``: the SQLite file is encrypted with it (see storage.encryption).
        ``desk.db.role`` is then the clerk's role on it (see services.access).
        """
        opened = open_database(path_or_url, passphrase=passphrase)
        return cls.for_database(Database(opened.engine, clerk=clerk, origin=origin), opened)

    def service(self, record_type: str) -> RecordService:
        for service in (
            self.mous,
            self.partners,
            self.contacts,
            self.officers,
            self.trips,
            self.engagements,
            self.followups,
            self.attachments,
        ):
            if service.record_type == record_type:
                return service
        raise KeyError(record_type)

    def close(self) -> None:
        self.db.engine.dispose()
