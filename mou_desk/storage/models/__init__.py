"""Every table of MoU Desk. Import from here: ``from mou_desk.storage.models import Mou``."""

from mou_desk.storage.base import Base, Record
from mou_desk.storage.models.access import ClerkRole, Role
from mou_desk.storage.models.activity import (
    Attachment,
    AttachmentBlob,
    Engagement,
    FollowUp,
    Trip,
    engagement_contacts,
    engagement_mous,
    engagement_officers,
    engagement_partners,
)
from mou_desk.storage.models.history import ChangeLogEntry, Meta, StageEvent
from mou_desk.storage.models.mous import Mou, mou_partners
from mou_desk.storage.models.people import Contact, Officer, Partner
from mou_desk.storage.models.search import SearchDoc
from mou_desk.storage.models.sync import SyncBase, SyncConflict, SyncPeer

RECORD_TYPES: dict[str, type[Record]] = {
    cls.record_type: cls
    for cls in (Officer, Partner, Contact, Trip, Engagement, Mou, FollowUp, Attachment)
}

__all__ = [
    "RECORD_TYPES",
    "Attachment",
    "AttachmentBlob",
    "Base",
    "ChangeLogEntry",
    "ClerkRole",
    "Contact",
    "Engagement",
    "FollowUp",
    "Meta",
    "Mou",
    "Officer",
    "Partner",
    "Record",
    "Role",
    "SearchDoc",
    "StageEvent",
    "SyncBase",
    "SyncConflict",
    "SyncPeer",
    "Trip",
    "engagement_contacts",
    "engagement_mous",
    "engagement_officers",
    "engagement_partners",
    "mou_partners",
]
