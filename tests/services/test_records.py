"""Create, update, delete, restore; the change log; conflicts named field by field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from mou_desk.domain.errors import ConflictError, NotFoundError, ValidationError
from mou_desk.services.desk import Desk
from mou_desk.storage.models import ChangeLogEntry


def log_of(desk: Desk, record_id: str) -> list[ChangeLogEntry]:
    with desk.db.read() as session:
        query = select(ChangeLogEntry).where(ChangeLogEntry.record_id == record_id)
        return list(session.scalars(query.order_by(ChangeLogEntry.version, ChangeLogEntry.field)))


def test_create_gives_a_uuid_version_one_and_logs_every_field(desk: Desk) -> None:
    partner = desk.partners.create({"name": "Tanaka Electric", "name_local": "田中電気株式会社"})
    assert len(partner.id) == 36 and partner.version == 1
    entries = log_of(desk, partner.id)
    fields = {e.field: e.new_value for e in entries if e.field}
    assert fields["name"] == "Tanaka Electric"
    assert fields["name_local"] == "田中電気株式会社"
    assert {e.actor for e in entries} == {"Test Clerk"}
    assert {e.origin for e in entries} == {"desktop"}


def test_update_bumps_the_version_and_logs_old_and_new(desk: Desk) -> None:
    partner = desk.partners.create({"name": "KPIA", "city": "Osaka"})
    updated = desk.partners.update(partner.id, {"city": "Kobe", "name": "KPIA"}, partner.version)
    assert updated.version == 2 and updated["city"] == "Kobe"
    change = [e for e in log_of(desk, partner.id) if e.action == "update"]
    assert [(e.field, e.old_value, e.new_value, e.version) for e in change] == [
        ("city", "Osaka", "Kobe", 2)
    ]


def test_saving_nothing_new_keeps_the_version(desk: Desk) -> None:
    partner = desk.partners.create({"name": "KPIA"})
    assert desk.partners.update(partner.id, {"name": "KPIA"}, partner.version).version == 1


def test_same_field_changed_on_both_sides_is_a_conflict(desk: Desk) -> None:
    partner = desk.partners.create({"name": "NITE", "city": "Osaka"})
    desk.partners.update(partner.id, {"city": "Tokyo"}, partner.version)  # another clerk
    with pytest.raises(ConflictError) as caught:
        desk.partners.update(partner.id, {"city": "Kyoto"}, partner.version)
    conflict = caught.value
    assert conflict.record_id == partner.id and "NITE" in str(conflict) and "city" in str(conflict)
    [field] = conflict.conflicts
    assert (field.field, field.mine, field.theirs, field.original) == (
        "city",
        "Kyoto",
        "Tokyo",
        "Osaka",
    )
    assert conflict.current_version == 2
    assert desk.partners.get(partner.id)["city"] == "Tokyo"  # nothing overwritten


def test_different_fields_changed_on_each_side_merge(desk: Desk) -> None:
    partner = desk.partners.create({"name": "NITE", "city": "Osaka", "country": "Japan"})
    desk.partners.update(partner.id, {"city": "Tokyo"}, partner.version)
    merged = desk.partners.update(partner.id, {"country": "日本", "city": "Osaka"}, partner.version)
    # city was untouched by me (still the original) so theirs stays; country is mine.
    assert merged["city"] == "Tokyo" and merged["country"] == "日本" and merged.version == 3


def test_both_sides_typing_the_same_value_is_no_conflict(desk: Desk) -> None:
    partner = desk.partners.create({"name": "Link-J", "city": "Tokyo"})
    desk.partners.update(partner.id, {"city": "Osaka"}, partner.version)
    assert desk.partners.update(partner.id, {"city": "Osaka"}, partner.version)["city"] == "Osaka"


def test_conflict_original_comes_from_the_version_the_save_was_based_on(desk: Desk) -> None:
    partner = desk.partners.create({"name": "A", "city": "one"})
    v2 = desk.partners.update(partner.id, {"city": "two"}, 1)
    desk.partners.update(partner.id, {"city": "three"}, v2.version)
    with pytest.raises(ConflictError) as caught:
        desk.partners.update(partner.id, {"city": "mine"}, v2.version)
    assert caught.value.conflicts[0].original == "two"
    assert caught.value.conflicts[0].theirs == "three"


def test_delete_is_a_tombstone_that_can_be_restored(desk: Desk) -> None:
    partner = desk.partners.create({"name": "Morabu Hanshin"})
    desk.partners.delete(partner.id)
    with pytest.raises(NotFoundError):
        desk.partners.get(partner.id)
    assert [p.id for p in desk.partners.all(deleted=True)] == [partner.id]
    assert desk.partners.get(partner.id, include_deleted=True).deleted
    restored = desk.partners.restore(partner.id)
    assert not restored.deleted and restored.version == 3
    assert [e.action for e in log_of(desk, partner.id) if not e.field][-2:] == ["delete", "restore"]
    with pytest.raises(ValidationError):
        desk.partners.restore(partner.id)


def test_editing_a_deleted_record_is_refused(desk: Desk) -> None:
    partner = desk.partners.create({"name": "Gone"})
    desk.partners.delete(partner.id)
    with pytest.raises(NotFoundError):
        desk.partners.update(partner.id, {"city": "x"}, 2)


def test_unknown_fields_and_bad_values_are_refused(desk: Desk) -> None:
    with pytest.raises(ValidationError) as caught:
        desk.partners.create({"name": "X", "colour": "blue"})
    assert "colour" in caught.value.problems
    with pytest.raises(ValidationError) as caught:
        desk.partners.create({"name": "X", "kind": "spaceship"})
    assert "kind" in caught.value.problems
    with pytest.raises(ValidationError):
        desk.partners.create({"name": "  "})
    with pytest.raises(ValidationError):
        desk.contacts.create({"name": "HAYASHI Yoshikazu", "email": "not-an-address"})


def test_contact_names_are_stored_as_typed(desk: Desk) -> None:
    contact = desk.contacts.create({"name": "HAYASHI Yoshikazu", "honorific": "Dr."})
    assert desk.contacts.get(contact.id)["name"] == "HAYASHI Yoshikazu"


def test_link_fields_are_edited_and_logged_as_one_field(desk: Desk) -> None:
    a = desk.partners.create({"name": "A"})
    b = desk.partners.create({"name": "B"})
    mou = desk.mous.create({"title": "Joint plant", "lead_partner_id": a.id, "partner_ids": [b.id]})
    assert mou["partner_ids"] == [b.id]
    updated = desk.mous.update(mou.id, {"partner_ids": [a.id, b.id]}, mou.version)
    assert sorted(updated["partner_ids"]) == sorted([a.id, b.id]) and updated.version == 2
    [entry] = [e for e in log_of(desk, mou.id) if e.field == "partner_ids" and e.action == "update"]
    assert entry.old_value == b.id and set(entry.new_value.split(",")) == {a.id, b.id}


def test_money_is_never_a_float(desk: Desk) -> None:
    with pytest.raises(TypeError):
        desk.mous.create({"title": "Float", "amount": 1.5, "currency": "INR"})
    mou = desk.mous.create({"title": "Exact", "amount": Decimal("0.10"), "currency": "INR"})
    assert desk.mous.get(mou.id)["proposed_inr"] == Decimal("0.10")
