"""Global search (Ctrl+F): every kind of record, in any script."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mou_desk.services.database import Database
from mou_desk.storage import search_index
from mou_desk.storage.models import SearchDoc

KINDS = ("mou", "partner", "contact", "officer", "trip", "engagement")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: str
    label: str
    snippet: str


def _snippet(body: str, query: str, width: int = 80) -> str:
    words = query.split()
    lower = body.casefold()
    at = min((i for i in (lower.find(w.casefold()) for w in words) if i >= 0), default=0)
    start = max(0, at - width // 3)
    text = body[start : start + width].replace(" | ", " · ")
    return ("…" if start else "") + text + ("…" if start + width < len(body) else "")


def search(
    db: Database, query: str, kinds: tuple[str, ...] = KINDS, limit: int = 200
) -> list[SearchHit]:
    found = search_index.matching_ids(query, list(kinds), db.dialect)
    if found is None:
        return []
    with db.read() as session:
        rows = session.execute(
            select(SearchDoc.kind, SearchDoc.record_id, SearchDoc.body)
            .where(SearchDoc.record_id.in_(found))
            .order_by(SearchDoc.kind, SearchDoc.body)
            .limit(limit)
        ).all()
    return [
        SearchHit(
            kind,
            rid,
            body.split(" | ", 1)[0] if kind != "mou" else " ".join(body.split(" | ")[:2]),
            _snippet(body, query),
        )
        for kind, rid, body in rows
    ]
