"""Search-as-you-type over the MoU table, answered from the search index's document numbers.

The matching is services.listing.matching_mou_ids' (storage.search_index.matching_ids), but the
answer is mapped back to MoU ids in memory instead of joined in SQL: the document numbers of
every live MoU are loaded once with the table's rows. On SQLite, when the full-text indexes
alone can answer (no one- or two-letter Latin word), the query reads only the FTS5 indexes and
hands every match back as one comma-separated text: at 100,000 MoUs a word matching a third of
them costs a few milliseconds instead of a join and thousands of Python rows. The last answers
are kept, so deleting what was just typed costs nothing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable

from sqlalchemy import select

from mou_desk.services.database import Database
from mou_desk.storage import search_index
from mou_desk.storage.models import SearchDoc

KEPT_ANSWERS = 32

_TRIGRAM_ROWIDS = "SELECT rowid AS doc FROM search_fts WHERE search_fts MATCH ?"
_BIGRAM_ROWIDS = "SELECT rowid AS doc FROM search_cjk WHERE search_cjk MATCH ?"


def mou_documents(db: Database) -> dict[str, str]:
    """Document number (as text) -> MoU id, for every live MoU's search document."""
    query = select(SearchDoc.doc_id, SearchDoc.record_id).where(SearchDoc.kind == "mou")
    with db.read() as session:
        return {str(doc): str(record) for doc, record in session.execute(query)}


def index_only_query(text: str) -> tuple[str, tuple[str, ...]] | None:
    """SQLite: one statement giving the comma-separated numbers of every document (of any
    kind) that contains each word, read from the FTS5 indexes alone; None when a word needs
    the documents' text (one or two Latin letters) or the text is blank."""
    terms = text.split()
    short = [t for t in terms if len(t) < 3]
    if not terms or not all(search_index.is_cjk_word(t) for t in short):
        return None
    long_terms = [t for t in terms if len(t) >= 3]
    parts: list[str] = []
    params: list[str] = []
    if long_terms:
        parts.append(_TRIGRAM_ROWIDS)
        params.append(search_index.trigram_query(long_terms))
    for term in short:
        parts.append(_BIGRAM_ROWIDS)
        params.append(f'"{term}"')
    sql = f"SELECT group_concat(doc) FROM ({' INTERSECT '.join(parts)})"
    return sql, tuple(params)


class MouSearch:
    """Which MoUs contain every word of a text, for one load of the table's rows."""

    def __init__(self, db: Database, documents: dict[str, str]) -> None:
        self._db = db
        self._documents = documents
        self._answers: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._last: tuple[str, frozenset[str]] = ("", frozenset())  # index's text, its answer

    @classmethod
    def load(cls, db: Database) -> MouSearch:
        return cls(db, mou_documents(db))

    def matching_ids(self, text: str) -> frozenset[str] | None:
        """Ids of the live MoUs whose text contains every word; None when the text is blank."""
        key = " ".join(text.split())
        if not key:
            return None
        found = self._answers.get(key)
        if found is None:
            found = self._lookup(key)
            self._answers[key] = found
            if len(self._answers) > KEPT_ANSWERS:
                self._answers.popitem(last=False)
        else:
            self._answers.move_to_end(key)
        return found

    def _lookup(self, text: str) -> frozenset[str]:
        statement = index_only_query(text) if self._db.dialect == "sqlite" else None
        if statement is None:
            query = search_index.matching_ids(text, ["mou"], self._db.dialect)
            if query is None:
                return frozenset()
            with self._db.read() as session:
                found = session.scalars(query.with_only_columns(SearchDoc.doc_id))
                return self._mous_of(str(n) for n in found)
        sql, params = statement
        with self._db.read() as session:
            listed = session.connection().exec_driver_sql(sql, params).scalar() or ""
        if listed != self._last[0]:  # typing on often finds the very same documents
            self._last = (listed, self._mous_of(listed.split(",")))
        return self._last[1]

    def _mous_of(self, numbers: Iterable[str]) -> frozenset[str]:
        # Documents of other kinds (partners, contacts...) are not in the map: filter drops them.
        return frozenset(filter(None, map(self._documents.get, numbers)))
