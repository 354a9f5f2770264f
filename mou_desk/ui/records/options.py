"""Choices offered by the editors' boxes and pickers: partners, contacts, officers, trips, MoUs.

Small lists are read whole; MoUs are searched in SQL with a limit, since there may be 100,000.
"""

from __future__ import annotations

from collections.abc import Callable

from mou_desk.domain.errors import DeskError
from mou_desk.services.common import RecordData
from mou_desk.services.desk import Desk
from mou_desk.services.listing import MouFilter, list_mous
from mou_desk.services.mou_grid import worth_searching
from mou_desk.services.record_lists import list_records
from mou_desk.ui.records.fields import Option, filter_options

MOU_RESULTS = 50


def with_local(name: str, local: str) -> str:
    """ "Tanaka Denki (田中電気株式会社)": the name as written, its own script beside it."""
    return f"{name} ({local})" if local and local != name else name


def record_label(record: RecordData) -> str:
    return with_local(record.label, str(record.values.get("name_local") or ""))


def sorted_options(records: list[RecordData], label: Callable[[RecordData], str]) -> list[Option]:
    return sorted(((r.id, label(r)) for r in records), key=lambda o: o[1].casefold())


def partner_options(desk: Desk) -> list[Option]:
    return sorted_options(list_records(desk.db, "partner"), record_label)


def officer_options(desk: Desk) -> list[Option]:
    return sorted_options(list_records(desk.db, "officer"), record_label)


def contact_options(desk: Desk) -> list[Option]:
    partners = {p.id: p.label for p in list_records(desk.db, "partner")}

    def label(contact: RecordData) -> str:
        at = partners.get(str(contact.values.get("partner_id") or ""), "")
        return record_label(contact) + (f" — {at}" if at else "")

    return sorted_options(list_records(desk.db, "contact"), label)


def trip_options(desk: Desk) -> list[Option]:
    return sorted_options(list_records(desk.db, "trip"), lambda t: t.label)


class SmallListSource:
    """Search and describe over a list read once (partners, contacts, officers)."""

    def __init__(self, options: list[Option]) -> None:
        self.options = options
        self._labels = dict(options)

    def search(self, text: str) -> list[Option]:
        return filter_options(self.options, text)

    def describe(self, ids: list[str]) -> dict[str, str]:
        return {i: self._labels.get(i, i) for i in ids}


class MouSource:
    """MoUs found by reference, title or partner through the search index, at most 50 at once."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def search(self, text: str) -> list[Option]:
        if text.strip() and not worth_searching(text):
            return []  # one or two Latin letters match nearly every MoU: wait for more
        rows = list_mous(self.desk.db, MouFilter(search=text), limit=MOU_RESULTS)
        return [(r.id, f"{r.ref} — {r.title}") for r in rows]

    def describe(self, ids: list[str]) -> dict[str, str]:
        labels = {}
        for mou_id in ids:
            try:
                mou = self.desk.mous.get(mou_id, include_deleted=True)
            except DeskError:
                labels[mou_id] = mou_id
                continue
            labels[mou_id] = f"{mou.values.get('ref')} — {mou.values.get('title')}"
        return labels
