"""Search across MoU titles, notes, partner and contact names in any script.

Each live record has one document in ``search_docs``. On SQLite an FTS5 trigram index finds
any substring of three or more characters (Latin, Devanagari, Japanese alike) and a bigram
index finds one- and two-character Japanese words. Elsewhere (PostgreSQL) the same
documents are matched with ILIKE, helped by a pg_trgm index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Select, and_, delete, or_, select, text
from sqlalchemy.orm import Session

from mou_desk.storage.models import (
    Contact,
    Engagement,
    Mou,
    Officer,
    Partner,
    SearchDoc,
    Trip,
    mou_partners,
)

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_CJK_RUN = re.compile(f"[{CJK}]+")
_ONLY_CJK = re.compile(f"^[{CJK}]+$")


def cjk_grams(body: str) -> str:
    """Unigrams and overlapping bigrams of every CJK run, separated by spaces."""
    grams: list[str] = []
    for run in _CJK_RUN.findall(body):
        grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(grams)


def join_text(*parts: object) -> str:
    return " | ".join(str(p) for p in parts if p)


def mou_body(mou: Mou, partner_texts: Iterable[str]) -> str:
    return join_text(
        mou.ref,
        mou.title,
        mou.sector,
        mou.district,
        mou.policy,
        mou.tags,
        mou.next_action,
        mou.notes,
        *partner_texts,
    )


def _partner_text(session: Session, partner_id: str) -> str:
    partner = session.get(Partner, partner_id)
    if partner is None or partner.deleted_at is not None:
        return ""
    contacts = session.scalars(
        select(Contact).where(Contact.partner_id == partner_id, Contact.deleted_at.is_(None))
    )
    return join_text(
        partner.name, partner.name_local, *(f"{c.name} {c.name_local}" for c in contacts)
    )


def _body_of(session: Session, record_type: str, record_id: str) -> str | None:
    if record_type == "mou":
        mou = session.get(Mou, record_id)
        if mou is None or mou.deleted_at is not None:
            return None
        ids = [mou.lead_partner_id] if mou.lead_partner_id else []
        ids += session.scalars(
            select(mou_partners.c.partner_id).where(mou_partners.c.mou_id == record_id)
        ).all()
        return mou_body(mou, (_partner_text(session, pid) for pid in ids))
    if record_type == "partner":
        partner = session.get(Partner, record_id)
        if partner is None or partner.deleted_at is not None:
            return None
        return join_text(
            _partner_text(session, record_id),
            partner.city,
            partner.country,
            partner.sectors,
            partner.kind.value,
            partner.notes,
        )
    if record_type == "contact":
        contact = session.get(Contact, record_id)
        if contact is None or contact.deleted_at is not None:
            return None
        partner = session.get(Partner, contact.partner_id) if contact.partner_id else None
        return join_text(
            contact.honorific,
            contact.name,
            contact.name_local,
            contact.designation,
            contact.email,
            partner.name if partner else "",
            partner.name_local if partner else "",
        )
    if record_type == "officer":
        officer = session.get(Officer, record_id)
        if officer is None or officer.deleted_at is not None:
            return None
        return join_text(
            officer.name, officer.name_local, officer.designation, officer.organisation
        )
    if record_type == "trip":
        trip = session.get(Trip, record_id)
        if trip is None or trip.deleted_at is not None:
            return None
        return join_text(trip.name, trip.country, trip.notes)
    if record_type == "engagement":
        meeting = session.get(Engagement, record_id)
        if meeting is None or meeting.deleted_at is not None:
            return None
        return join_text(meeting.title, meeting.place, meeting.discussion)
    return None


def affected(session: Session, record_type: str, record_id: str) -> list[tuple[str, str]]:
    """The documents whose text depends on a record (a partner's name is in its MoUs' text)."""
    out = [(record_type, record_id)]
    partner_ids: list[str] = []
    if record_type == "partner":
        partner_ids = [record_id]
        out += [
            ("contact", cid)
            for cid in session.scalars(select(Contact.id).where(Contact.partner_id == record_id))
        ]
    elif record_type == "contact":
        contact = session.get(Contact, record_id)
        if contact is not None and contact.partner_id:
            partner_ids = [contact.partner_id]
            out.append(("partner", contact.partner_id))
    if partner_ids:
        lead = select(Mou.id).where(Mou.lead_partner_id.in_(partner_ids))
        other = select(mou_partners.c.mou_id).where(mou_partners.c.partner_id.in_(partner_ids))
        out += [("mou", mid) for mid in session.scalars(lead.union(other))]
    return out


def refresh(session: Session, record_type: str, record_id: str) -> None:
    """Bring the search documents that depend on one record up to date."""
    for kind, rid in affected(session, record_type, record_id):
        write_doc(session, kind, rid, _body_of(session, kind, rid))


def write_doc(session: Session, kind: str, record_id: str, body: str | None) -> None:
    session.execute(delete(SearchDoc).where(SearchDoc.record_id == record_id))
    if body is not None:
        session.add(SearchDoc(record_id=record_id, kind=kind, body=body, body_cjk=cjk_grams(body)))
    session.flush()


def trigram_query(terms: Sequence[str]) -> str:
    """The FTS5 query of the trigram index for words of three or more characters: each one a
    quoted phrase (so quotes and operators in it are literal), all of them required."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def is_cjk_word(term: str) -> bool:
    """Only Japanese or Chinese characters: one or two of them are looked up as bigrams."""
    return _ONLY_CJK.match(term) is not None


def matching_ids(query: str, kinds: Sequence[str], dialect: str) -> Select[str] | None:
    """A SELECT of record ids whose documents contain every word of ``query``; None if blank."""
    terms = query.split()
    if not terms:
        return None
    conditions: list[ColumnElement[bool]] = [SearchDoc.kind.in_(kinds)]
    if dialect == "sqlite":
        long_terms = [t for t in terms if len(t) >= 3]
        if long_terms:
            phrase = trigram_query(long_terms)
            conditions.append(
                SearchDoc.doc_id.in_(
                    select(text("rowid"))
                    .select_from(text("search_fts"))
                    .where(text("search_fts MATCH :trigram_query").bindparams(trigram_query=phrase))
                )
            )
        for term in (t for t in terms if len(t) < 3):
            if is_cjk_word(term):
                conditions.append(
                    SearchDoc.doc_id.in_(
                        select(text("rowid"))
                        .select_from(text("search_cjk"))
                        .where(text(f"search_cjk MATCH '\"{term}\"'"))
                    )
                )
            else:
                conditions.append(SearchDoc.body.icontains(term, autoescape=True))
    else:
        conditions += [or_(SearchDoc.body.icontains(t, autoescape=True)) for t in terms]
    return select(SearchDoc.record_id).where(and_(*conditions))
