"""Column mappings for workbooks of finance's own layout, saved by name in the ``meta`` table.

Each is stored under the key "mapping:<name>" as JSON (ColumnMapping.to_json), so the import
wizard and ``mou-desk import --mapping NAME`` share them across the department's database.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from mou_desk.exchange.workbook_import import ColumnMapping, MappingProblem
from mou_desk.services.database import Database
from mou_desk.storage.models import Meta

MAPPING_PREFIX = "mapping:"


def save_mapping(db: Database, mapping: ColumnMapping) -> None:
    name = mapping.name.strip()
    if not name:
        raise MappingProblem("Give the mapping a name to save it.")
    key = MAPPING_PREFIX + name
    if len(key) > 60:
        raise MappingProblem("A mapping name can have at most 52 characters.")
    with db.write() as session:
        row = session.get(Meta, key)
        if row is None:
            session.add(Meta(key=key, value=mapping.to_json()))
        else:
            row.value = mapping.to_json()


def load_mapping(db: Database, name: str) -> ColumnMapping:
    with db.read() as session:
        row = session.get(Meta, MAPPING_PREFIX + name.strip())
    if row is None:
        known = ", ".join(f"'{n}'" for n in mapping_names(db)) or "none yet"
        problem = MappingProblem(f"No mapping is saved as '{name}' (saved mappings: {known}).")
        problem.exit_code = 2
        raise problem
    return ColumnMapping.from_json(row.value)


def mapping_names(db: Database) -> list[str]:
    with db.read() as session:
        keys = session.scalars(select(Meta.key).where(Meta.key.like(MAPPING_PREFIX + "%")))
        return sorted((k[len(MAPPING_PREFIX) :] for k in keys), key=str.casefold)


def delete_mapping(db: Database, name: str) -> None:
    with db.write() as session:
        session.execute(delete(Meta).where(Meta.key == MAPPING_PREFIX + name.strip()))
