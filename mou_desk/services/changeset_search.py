"""Search documents of the MoUs a changeset updated in bulk, rebuilt in a few queries.

storage.search_index rebuilds one record's document with an ORM load of the MoU, of each of
its partners and of their contacts; for the hundreds of MoUs a workbook changes that is most
of the time an import takes to write. Here the same text (search_index.mou_body: the MoU's own
fields, then its lead partner's and its other partners' names and contacts) is put together
from one query per kind of row for a whole chunk, and the documents are replaced with two
statements; the full-text index follows them through its triggers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from mou_desk.storage import search_index
from mou_desk.storage.models import Contact, Mou, Partner, SearchDoc, mou_partners

CHUNK = 500
ROWS_PER_INSERT = 200  # four values each: within SQLite's oldest limit of 999 per statement
_MOU_TEXT = ("ref", "title", "sector", "district", "policy", "tags", "next_action", "notes")


def refresh_documents(session: Session, targets: Iterable[tuple[str, str]]) -> None:
    """Bring the documents of (record type, id) up to date: MoUs in bulk, others one by one."""
    mous: list[str] = []
    for record_type, record_id in targets:
        if record_type == "mou":
            mous.append(record_id)
        else:
            search_index.refresh(session, record_type, record_id)
    for start in range(0, len(mous), CHUNK):
        _refresh_mous(session, mous[start : start + CHUNK])


def mou_bodies(session: Session, ids: Sequence[str]) -> dict[str, str | None]:
    """id -> the MoU's document text as search_index gives it (None: deleted or missing)."""
    table = Mou.__table__
    columns = [table.c[name] for name in _MOU_TEXT]
    query = select(table.c.id, table.c.lead_partner_id, table.c.deleted_at, *columns).where(
        table.c.id.in_(ids)
    )
    mous = {row[0]: row for row in session.execute(query)}
    partners: dict[str, list[str]] = defaultdict(list)
    links = select(mou_partners.c.mou_id, mou_partners.c.partner_id).where(
        mou_partners.c.mou_id.in_(ids)
    )
    for mou_id, partner_id in session.execute(links):
        partners[mou_id].append(partner_id)
    for others in partners.values():
        others.sort()  # as the link table's key gives them to search_index
    wanted = {row[1] for row in mous.values() if row[1]}
    wanted.update(p for others in partners.values() for p in others)
    texts = _partner_texts(session, sorted(wanted))
    bodies: dict[str, str | None] = {}
    for mou_id in ids:
        row = mous.get(mou_id)
        if row is None or row[2] is not None:
            bodies[mou_id] = None
            continue
        fields: Any = SimpleNamespace(**dict(zip(_MOU_TEXT, row[3:], strict=True)))
        linked = ([row[1]] if row[1] else []) + partners.get(mou_id, [])
        bodies[mou_id] = search_index.mou_body(fields, (texts.get(p, "") for p in linked))
    return bodies


def _partner_texts(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """Live partner id -> its name, its own-script name and its live contacts' names."""
    out: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        query = select(Partner.id, Partner.name, Partner.name_local).where(
            Partner.id.in_(part), Partner.deleted_at.is_(None)
        )
        names = {pid: (name, local) for pid, name, local in session.execute(query)}
        people: dict[str, list[str]] = defaultdict(list)
        contacts = select(Contact.partner_id, Contact.name, Contact.name_local).where(
            Contact.partner_id.in_(list(names)), Contact.deleted_at.is_(None)
        )
        for pid, name, local in session.execute(contacts):
            people[str(pid)].append(f"{name} {local}")
        for pid, (name, local) in names.items():
            out[pid] = search_index.join_text(name, local, *people.get(pid, ()))
    return out


def _refresh_mous(session: Session, ids: Sequence[str]) -> None:
    bodies = mou_bodies(session, ids)
    table: Any = SearchDoc.__table__
    # SQLite's full-text index (the triggers on search_docs) writes out what it holds at the
    # start of each statement and whenever a document comes out of the order of doc_id: the
    # documents go in a few statements, removed in the order of doc_id (a WHERE record_id
    # IN (...) visits them in the order of record_id), else a few hundred of them rewrite
    # tens of MB of the index.
    found = select(table.c.doc_id).where(table.c.record_id.in_(list(ids)))
    doc_ids = sorted(session.execute(found).scalars())
    if doc_ids:
        session.execute(delete(table).where(table.c.doc_id.in_(doc_ids)))
    rows = [
        {
            "record_id": mou_id,
            "kind": "mou",
            "body": body,
            "body_cjk": search_index.cjk_grams(body),
        }
        for mou_id, body in bodies.items()
        if body is not None
    ]
    for start in range(0, len(rows), ROWS_PER_INSERT):
        session.execute(insert(table).values(rows[start : start + ROWS_PER_INSERT]))
