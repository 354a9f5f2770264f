"""The fields of each record kind and their canonical text form.

The change log, workbook round trips and sync all compare values in this one text form, so
"the value at version N" can be recovered and compared whatever the database.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Enum, Integer, Table, inspect

from mou_desk.domain.errors import ValidationError
from mou_desk.storage.base import ExactDecimal, Paise, Record
from mou_desk.storage.models import (
    RECORD_TYPES,
    engagement_contacts,
    engagement_mous,
    engagement_officers,
    engagement_partners,
    mou_partners,
)

#: bookkeeping columns, never edited through a field
SYSTEM_COLUMNS = frozenset(
    {"id", "version", "created_at", "updated_at", "updated_by", "deleted_at"}
)


@dataclass(frozen=True)
class LinkField:
    """A list of ids kept in a link table, edited and logged as one field of its owner."""

    name: str
    table: Table
    owner_column: str
    other_column: str


LINK_FIELDS: Mapping[str, tuple[LinkField, ...]] = {
    "mou": (LinkField("partner_ids", mou_partners, "mou_id", "partner_id"),),
    "engagement": (
        LinkField("partner_ids", engagement_partners, "engagement_id", "partner_id"),
        LinkField("contact_ids", engagement_contacts, "engagement_id", "contact_id"),
        LinkField("officer_ids", engagement_officers, "engagement_id", "officer_id"),
        LinkField("mou_ids", engagement_mous, "engagement_id", "mou_id"),
    ),
}


def column_fields(record_type: str) -> list[str]:
    model = RECORD_TYPES[record_type]
    return [c.key for c in inspect(model).columns if c.key not in SYSTEM_COLUMNS]


def link_fields(record_type: str) -> tuple[LinkField, ...]:
    return LINK_FIELDS.get(record_type, ())


def all_fields(record_type: str) -> list[str]:
    return column_fields(record_type) + [f.name for f in link_fields(record_type)]


def encode(value: Any) -> str | None:
    """The canonical text of a field value (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise TypeError("floats are never stored; use Decimal")
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


def decode(record_type: str, field: str, text: str | None) -> Any:
    """Turn canonical text back into the value the model column holds."""
    if field in {f.name for f in link_fields(record_type)}:
        return [] if not text else text.split(",")
    if text is None:
        return None
    column = inspect(RECORD_TYPES[record_type]).columns[field]
    kind = column.type
    if isinstance(kind, (Paise, ExactDecimal)):
        return Decimal(text)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(text)
    if isinstance(kind, Date):
        return date.fromisoformat(text)
    if isinstance(kind, Integer):
        return int(text)
    return text


def coerce(record_type: str, field: str, value: Any) -> Any:
    """Turn what a caller passed ("industry association", a date) into the column's type."""
    try:
        return decode(record_type, field, encode(value))
    except (ValueError, ArithmeticError) as exc:
        raise ValidationError({field: f"{value!r} is not a valid value."}) from exc


def same(a: Any, b: Any) -> bool:
    return encode(a) == encode(b)


def model_of(record_type: str) -> type[Record]:
    return RECORD_TYPES[record_type]
