"""Open the editor for any record that is not an MoU (the main window opens MoUs itself).

The main window calls this when a screen emits ``record_activated`` for a partner, contact,
officer, trip, meeting or follow-up. It returns True when the clerk saved a change, so the
caller knows to refresh what it shows.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from mou_desk.domain.errors import DeskError
from mou_desk.services.desk import Desk
from mou_desk.ui.contacts.editor import ContactEditor
from mou_desk.ui.followups.editor import FollowUpEditor
from mou_desk.ui.officers.editor import OfficerEditor
from mou_desk.ui.partners.editor import PartnerEditor
from mou_desk.ui.records.form import RecordEditor
from mou_desk.ui.trips.editor import TripEditor
from mou_desk.ui.trips.meeting_editor import MeetingEditor

EDITORS: dict[str, type[RecordEditor]] = {
    "partner": PartnerEditor,
    "contact": ContactEditor,
    "officer": OfficerEditor,
    "trip": TripEditor,
    "engagement": MeetingEditor,
    "followup": FollowUpEditor,
}


def editor_for(
    desk: Desk, record_type: str, record_id: str, parent: QWidget | None = None
) -> RecordEditor | None:
    """The editor dialog for a record, not yet shown; None for kinds edited elsewhere (MoUs)."""
    editor_class = EDITORS.get(record_type)
    if editor_class is None:
        return None
    record = desk.service(record_type).get(record_id)
    return editor_class(desk, record, parent)


def open_record_editor(
    desk: Desk, record_type: str, record_id: str, parent: QWidget | None = None
) -> bool:
    """Show the record's editor modally; True if the clerk saved a change."""
    try:
        editor = editor_for(desk, record_type, record_id, parent)
    except DeskError as exc:  # deleted meanwhile, or the database went away
        QMessageBox.warning(parent, QCoreApplication.translate("editors", "Cannot open"), str(exc))
        return False
    if editor is None:
        return False
    accepted = editor.exec() == QDialog.DialogCode.Accepted
    saved = accepted and editor.saved_record is not None
    editor.deleteLater()
    return saved
