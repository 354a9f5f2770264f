"""Kept conflicts: listed for the clerk with mine / theirs / original, and decided by hand.

A sync never decides a conflict itself. ``resolve(db, id, "mine" | "theirs")`` records the
clerk's choice; the next sync carries it out on both copies — as long as the two values are
still the ones the clerk chose between (if either side changed the field again meanwhile,
the conflict is shown again with the new values, to be decided afresh).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, func, select, update

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import ValidationError
from mou_desk.domain.money import format_inr
from mou_desk.services.changeset_rules import field_title
from mou_desk.services.changeset_sync import DELETED, value_of
from mou_desk.services.database import Database
from mou_desk.services.fields import link_fields, model_of
from mou_desk.services.sync.tables import table_of
from mou_desk.storage.base import Paise, utcnow
from mou_desk.storage.models import RECORD_TYPES, SyncConflict

MINE = "mine"
THEIRS = "theirs"
CHOICES = (MINE, THEIRS)
#: the shortest start of an id a clerk may type to name a conflict
SHORT_ID = 8


@dataclass(frozen=True)
class ConflictView:
    """One kept conflict, with its values as a clerk reads them."""

    id: str
    record_type: str
    record_id: str
    label: str
    field: str
    title: str
    mine: str
    theirs: str
    original: str
    detected_at: datetime
    #: the clerk's choice, waiting for the next sync to carry it out (None: undecided)
    decision: str | None

    @property
    def short_id(self) -> str:
        return self.id[:SHORT_ID]


def list_conflicts(db: Database, *, decided: bool = True) -> list[ConflictView]:
    """The conflicts not yet settled, oldest first (``decided=False``: undecided only)."""
    table = table_of(SyncConflict)
    query = select(table).where(table.c.resolved_at.is_(None))
    if not decided:
        query = query.where(table.c.decision.is_(None))
    with db.read() as session:
        connection = session.connection()
        rows = connection.execute(query.order_by(table.c.detected_at, table.c.label)).all()
        return [_view(connection, row._mapping) for row in rows]


def waiting(db: Database) -> int:
    """How many conflicts wait for a clerk's decision."""
    table = table_of(SyncConflict)
    with db.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(table)
                .where(table.c.resolved_at.is_(None), table.c.decision.is_(None))
            )
            or 0
        )


def resolve(db: Database, conflict_id: str, choice: str) -> ConflictView:
    """Decide a conflict: keep ``mine`` (this replica's value) or ``theirs`` (upstream's)."""
    choice = choice.strip().lower()
    if choice not in CHOICES:
        raise ValidationError({"choice": f"{choice!r}: choose mine or theirs."})
    table = table_of(SyncConflict)
    with db.write() as session:
        connection = session.connection()
        row = _find(connection, conflict_id)
        connection.execute(
            update(table)
            .where(table.c.id == row["id"])
            .values(decision=choice, decided_by=db.clerk, decided_at=utcnow())
        )
        found = connection.execute(select(table).where(table.c.id == row["id"])).one()
        return _view(connection, found._mapping)


def _find(connection: Connection, conflict_id: str) -> dict[str, object]:
    table = table_of(SyncConflict)
    key = conflict_id.strip().lower()
    if len(key) < SHORT_ID:
        raise ValidationError(
            {"id": f"{conflict_id!r}: give at least the first {SHORT_ID} characters of the id."}
        )
    rows = connection.execute(
        select(table).where(table.c.id.like(key + "%"), table.c.resolved_at.is_(None))
    ).all()
    if len(rows) != 1:
        what = "several conflicts" if rows else "no conflict waiting"
        raise ValidationError(
            {
                "id": f"{what} {'have' if rows else 'has'} the id {conflict_id!r} "
                "(list them with: mou-desk conflicts)."
            }
        )
    return dict(rows[0]._mapping)


def _view(connection: Connection, row: object) -> ConflictView:
    data = dict(row)  # type: ignore[call-overload]
    record_type, name = str(data["record_type"]), str(data["field"])
    title = "Deleted" if name == DELETED else field_title(record_type, name)
    return ConflictView(
        id=str(data["id"]),
        record_type=record_type,
        record_id=str(data["record_id"]),
        label=str(data["label"] or data["record_id"]),
        field=name,
        title=title,
        mine=shown(connection, record_type, name, data["mine"]),
        theirs=shown(connection, record_type, name, data["theirs"]),
        original=shown(connection, record_type, name, data["original"]),
        detected_at=data["detected_at"],
        decision=data["decision"],
    )


def shown(connection: Connection, record_type: str, name: str, text: object) -> str:
    """A canonical value as a clerk reads it: dates DD-MM-YYYY, rupees, names for ids."""
    if name == DELETED:
        return {"1": "deleted", "0": "kept"}.get(str(text), "(unknown)")
    if text is None or text == "":
        return "(empty)"
    try:
        value = value_of(record_type, name, str(text))
    except (ValueError, ArithmeticError, KeyError):
        return str(text)
    if isinstance(value, list) or name.endswith("_id"):
        ids = value if isinstance(value, list) else [str(value)]
        return ", ".join(_names(connection, record_type, name, ids)) or "(none)"
    if isinstance(value, date):
        return format_date(value)
    column = table_of(model_of(record_type)).c.get(name)
    if isinstance(value, Decimal) and column is not None and isinstance(column.type, Paise):
        return format_inr(value)
    return str(text)


def _names(connection: Connection, record_type: str, name: str, ids: list[str]) -> list[str]:
    target = _target_of(record_type, name)
    if target is None:
        return ids
    table = table_of(RECORD_TYPES[target])
    labels = [table.c[c] for c in ("ref", "name", "title", "file_name") if c in table.c]
    found: dict[str, str] = {}
    for row in connection.execute(select(table.c.id, *labels).where(table.c.id.in_(ids))):
        found[row[0]] = next((str(v) for v in row[1:] if v), row[0])
    return [found.get(i, i) for i in ids]


def _target_of(record_type: str, name: str) -> str | None:
    for link in link_fields(record_type):
        if link.name == name:
            other = link.table.c[link.other_column]
            fk = next(iter(other.foreign_keys))
            return _type_of_table(fk.column.table.name)
    column = table_of(model_of(record_type)).c.get(name)
    if column is None or not column.foreign_keys:
        return None
    return _type_of_table(next(iter(column.foreign_keys)).column.table.name)


def _type_of_table(table: str) -> str | None:
    return next((t for t, m in RECORD_TYPES.items() if m.__tablename__ == table), None)
