"""One searchable text per record. SQLite indexes it with FTS5 (see the first migration)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mou_desk.storage.base import Base


class SearchDoc(Base):
    __tablename__ = "search_docs"

    # INTEGER PRIMARY KEY is SQLite's rowid: the external-content FTS5 tables key on it.
    doc_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    #: overlapping bigrams of CJK runs: trigrams cannot find two-character Japanese words
    body_cjk: Mapped[str] = mapped_column(Text, default="")
