"""list_records reads the same RecordData as RecordService.all(), in one query per table."""

from __future__ import annotations

import pytest

from mou_desk.services.desk import Desk
from mou_desk.services.fields import encode
from mou_desk.services.record_lists import list_records


@pytest.mark.parametrize(
    "record_type", ["partner", "contact", "officer", "trip", "engagement", "followup", "mou"]
)
def test_same_records_as_the_service(demo_desk: Desk, record_type: str) -> None:
    service = demo_desk.service(record_type)
    expected = {r.id: r for r in service.all()}
    found = {r.id: r for r in list_records(demo_desk.db, record_type)}
    assert found.keys() == expected.keys() and found
    for record_id, record in expected.items():
        got = found[record_id]
        assert (got.version, got.updated_at, got.updated_by) == (
            record.version, record.updated_at, record.updated_by
        )  # fmt: skip
        assert {k: encode(v) for k, v in got.values.items()} == {
            k: encode(v) for k, v in record.values.items()
        }
        assert type(got.values.get("held_on", None)) is type(record.values.get("held_on", None))


def test_deleted_records_are_listed_apart(demo_desk: Desk) -> None:
    partner = demo_desk.partners.all()[0]
    demo_desk.partners.delete(partner.id)
    assert partner.id not in {r.id for r in list_records(demo_desk.db, "partner")}
    [gone] = list_records(demo_desk.db, "partner", deleted=True)
    assert gone.id == partner.id and gone.deleted
