"""The database's side of a chunk of changes, and how an incoming value is compared with it.

Blanks are equal whatever their form (None, "", []), text is compared without its outer
spaces and with any line ends, and amounts that came back through a float in a workbook are
equal within a paisa.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Enum, String, select, type_coerce
from sqlalchemy.orm import Session

from mou_desk.domain.dates import format_date
from mou_desk.services.changeset_sync import DELETED
from mou_desk.services.fields import column_fields, encode, link_fields, model_of


def canonical(value: Any) -> str:
    """The text two values are compared by: blanks equal, line ends and outer spaces ignored."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return encode(value) or ""


def same(a: Any, b: Any) -> bool:
    return bool(a == b) or canonical(a) == canonical(b)


def close(a: Any, b: Any) -> bool:
    """Equal, or amounts within a paisa (a float shown in a workbook comes back inexact)."""
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int):
        return abs(Decimal(a) - Decimal(b)) <= max(Decimal("0.01"), abs(Decimal(b)) / 10**9)
    return same(a, b)


def shown(value: Any) -> str:
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return canonical(value)


class CurrentRows:
    """The database's rows for one chunk of one record kind."""

    def __init__(self, session: Session, record_type: str, ids: Sequence[str]) -> None:
        table = model_of(record_type).__table__
        # "deleted" last: a sync compares tombstones like a field (services.changeset_sync)
        links_names = [lk.name for lk in link_fields(record_type)]
        self.fields = [*column_fields(record_type), *links_names, DELETED]
        self.position = {name: i for i, name in enumerate(self.fields)}
        self.rows: dict[str, tuple[int, bool, tuple[Any, ...]]] = {}
        if not ids:
            return
        names = column_fields(record_type)
        columns = [
            # enums as their stored text: equal to what a workbook gives, and no enum objects
            type_coerce(c, String) if isinstance(c.type, Enum) else c
            for c in (table.c[n] for n in names)
        ]
        deleted = table.c.deleted_at.is_not(None)
        query = select(table.c.id, table.c.version, deleted, *columns).where(table.c.id.in_(ids))
        links: dict[str, dict[str, list[str]]] = {}
        for link in link_fields(record_type):
            found: dict[str, list[str]] = defaultdict(list)
            owner, other = link.table.c[link.owner_column], link.table.c[link.other_column]
            for key, value in session.execute(select(owner, other).where(owner.in_(ids))):
                found[key].append(value)
            links[link.name] = found
        for row in session.execute(query):
            values = (
                *row[3:],
                *(sorted(found.get(row[0], ())) for found in links.values()),
                bool(row[2]),
            )
            self.rows[row[0]] = (row[1], bool(row[2]), values)

    def values(self, record_id: str) -> dict[str, Any]:
        return dict(zip(self.fields, self.rows[record_id][2], strict=True))
