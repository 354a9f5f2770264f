"""The dossier of one MoU and the report of one trip, gathered from the services.

Companion of ``services.reports`` (the entry point). Names are looked up once per record
(partners, contacts, officers) and everything is sorted, so the same data gives the same PDF.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mou_desk.domain.dates import format_date
from mou_desk.domain.errors import DeskError, NotFoundError, ValidationError
from mou_desk.domain.money import Currency, Money, format_inr, format_money
from mou_desk.domain.stages import DEFAULT_STALE_DAYS, Stage, Status, days_in_stage, is_stale
from mou_desk.exchange.pdf.report_model import (
    AttachmentLine,
    ChangeLine,
    DossierReport,
    FollowUpLine,
    Meeting,
    PartnerInfo,
    Person,
    ReportContext,
    StageStep,
    TouchedMou,
    TripReport,
)
from mou_desk.services.common import RecordData, RecordService
from mou_desk.services.desk import Desk
from mou_desk.storage.models import FollowUp, Mou, engagement_mous

RECENT_CHANGES = 25
#: kept in step by the stage service; their changes are noise in "recent changes"
_BOOKKEEPING = frozenset({"last_activity_on", "stage_since"})


class ReportInputError(DeskError):
    """The report cannot be made from what was named (no such MoU, trip or sector): exit 1."""

    exit_code = 1


class _Names:
    """Labels of records by id, each fetched once; deleted or missing ones are skipped."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._cache: dict[tuple[str, str], RecordData | None] = {}

    def record(self, service: RecordService, record_id: str | None) -> RecordData | None:
        if not record_id:
            return None
        key = (service.record_type, record_id)
        if key not in self._cache:
            try:
                self._cache[key] = service.get(record_id)
            except NotFoundError:
                self._cache[key] = None
        return self._cache[key]

    def partner(self, record_id: str | None) -> str:
        p = self.record(self.desk.partners, record_id)
        if p is None:
            return ""
        local = p.values.get("name_local") or ""
        return f"{p.label} ({local})" if local else p.label

    def contact(self, record_id: str) -> str:
        c = self.record(self.desk.contacts, record_id)
        if c is None:
            return ""
        name = " ".join(x for x in (c.values.get("honorific"), c.label) if x)
        return f"{name}, {c.values['designation']}" if c.values.get("designation") else name

    def officer(self, record_id: str | None) -> str:
        o = self.record(self.desk.officers, record_id)
        if o is None:
            return ""
        return f"{o.label}, {o.values['designation']}" if o.values.get("designation") else o.label

    def mou_ref(self, record_id: str) -> str:
        m = self.record(self.desk.mous, record_id)
        return m.label if m is not None else ""


def _sorted(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(v for v in values if v))


# -- dossier ---------------------------------------------------------------------------------
def find_mou(desk: Desk, ref: str) -> RecordData:
    wanted = ref.strip()
    with desk.db.read() as session:
        found = session.execute(
            select(Mou.id, Mou.ref, Mou.deleted_at).where(Mou.ref.in_({wanted, wanted.upper()}))
        ).first()
    if found is None:
        raise ReportInputError(
            f"No MoU has the reference {ref!r}. Check the reference in the list of MoUs."
        )
    if found.deleted_at is not None:
        raise ReportInputError(f"MoU {found.ref} is in the trash; restore it first.")
    return desk.mous.get(found.id)


def _mou_fields(mou: RecordData, names: _Names, as_of: date) -> list[tuple[str, Any]]:
    v = mou.values
    entered = ""
    if v.get("amount") is not None:
        try:
            entered = format_money(
                Money(Decimal(v["amount"]), Currency(v.get("currency") or "INR"))
            )
        except ValueError:
            entered = f"{v['amount']} {v.get('currency', '')}"
    rate = ""
    if v.get("rate_to_inr") is not None and (v.get("currency") or "INR") != "INR":
        rate = f"{v['rate_to_inr']} ({format_date(v.get('rate_date'))})"
    return [
        ("field.ref", v.get("ref")),
        ("field.doc_type", str(v.get("doc_type") or "")),
        ("field.status", None),
        ("field.stage_since", v.get("stage_since")),
        ("field.days_in_stage", days_in_stage(v["stage_since"], as_of)),
        ("field.sector", v.get("sector")),
        ("field.district", v.get("district")),
        ("field.region", v.get("region")),
        ("field.policy", v.get("policy")),
        ("field.priority", str(v.get("priority") or "")),
        ("field.nodal_officer", names.officer(v.get("nodal_officer_id"))),
        ("field.amount", entered),
        ("field.rate", rate),
        ("field.proposed_inr", v.get("proposed_inr")),
        ("field.proposed_jobs", v.get("proposed_jobs")),
        ("field.realised_inr", v.get("realised_inr")),
        ("field.realised_jobs", v.get("realised_jobs")),
        ("field.signed_on_ours", v.get("signed_on_ours")),
        ("field.signed_on_partner", v.get("signed_on_partner")),
        ("field.valid_until", v.get("valid_until")),
        ("field.land_allotted_on", v.get("land_allotted_on")),
        ("field.ground_breaking_on", v.get("ground_breaking_on")),
        ("field.commercial_production_on", v.get("commercial_production_on")),
        ("field.next_action", v.get("next_action")),
        ("field.next_action_due", v.get("next_action_due")),
        ("field.last_activity_on", v.get("last_activity_on")),
        ("field.tags", v.get("tags")),
    ]


def _partner_info(desk: Desk, names: _Names, partner_id: str, lead: bool) -> PartnerInfo | None:
    p = names.record(desk.partners, partner_id)
    if p is None:
        return None
    v = p.values
    contacts = tuple(
        Person(
            c.label,
            c.values.get("name_local") or "",
            c.values.get("designation") or "",
            honorific=c.values.get("honorific") or "",
            email=c.values.get("email") or "",
            phone=c.values.get("phone") or "",
        )
        for c in desk.partners.contacts(partner_id)
    )
    place = ", ".join(x for x in (v.get("city"), v.get("country")) if x)
    return PartnerInfo(
        p.label,
        v.get("name_local") or "",
        str(v.get("kind") or ""),
        place,
        lead,
        contacts,
        v.get("website") or "",
    )


def _meeting(names: _Names, e: RecordData) -> Meeting:
    v = e.values
    return Meeting(
        held_on=v["held_on"],
        title=v.get("title") or "",
        kind=str(v.get("kind") or ""),
        place=v.get("place") or "",
        discussion=v.get("discussion") or "",
        partners=_sorted(names.partner(i) for i in v.get("partner_ids") or ()),
        contacts=_sorted(names.contact(i) for i in v.get("contact_ids") or ()),
        officers=_sorted(names.officer(i) for i in v.get("officer_ids") or ()),
        mou_refs=_sorted(names.mou_ref(i) for i in v.get("mou_ids") or ()),
    )


def _meeting_key(m: Meeting) -> tuple[date, str, str]:
    return (m.held_on, m.title, m.place)


def _change_text(field: str, value: str | None, names: _Names) -> str:
    if value is None or value == "":
        return ""
    if field in ("lead_partner_id",):
        return names.partner(value) or value
    if field == "nodal_officer_id":
        return names.officer(value) or value
    if field == "partner_ids":
        return ", ".join(names.partner(i) or i for i in value.split(","))
    if field in ("proposed_inr", "realised_inr"):
        return format_inr(Decimal(value), 2 if "." in value else 0)
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def _changes(desk: Desk, mou_id: str, names: _Names) -> tuple[ChangeLine, ...]:
    lines = []
    for c in desk.mous.history(mou_id):
        if c.action == "create" and c.field:
            continue  # the values at creation are the fields above, or were changed since
        if c.field in _BOOKKEEPING:
            continue
        field = c.field.removesuffix("_id") if c.field.endswith("_id") else c.field
        label = c.action if not c.field else field
        lines.append(
            ChangeLine(
                c.at,
                c.actor,
                c.origin,
                label,
                _change_text(c.field, c.old, names),
                _change_text(c.field, c.new, names),
            )
        )
    lines.sort(key=lambda line: (line.at, line.field), reverse=True)
    return tuple(lines[:RECENT_CHANGES])


def dossier_report(
    desk: Desk, context: ReportContext, ref: str, *, stale_days: Mapping[Stage, int] | None = None
) -> DossierReport:
    mou = find_mou(desk, ref)
    names = _Names(desk)
    v = mou.values
    partner_ids = [v.get("lead_partner_id"), *sorted(v.get("partner_ids") or [])]
    partners = tuple(
        info
        for i, pid in enumerate(dict.fromkeys(p for p in partner_ids if p))
        if (info := _partner_info(desk, names, pid, lead=i == 0 and bool(v.get("lead_partner_id"))))
    )
    with desk.db.read() as session:
        engagement_ids = list(
            session.scalars(
                select(engagement_mous.c.engagement_id).where(engagement_mous.c.mou_id == mou.id)
            )
        )
    meetings = [
        _meeting(names, e)
        for i in engagement_ids
        if (e := names.record(desk.engagements, i)) is not None
    ]
    followups = sorted(
        (
            FollowUpLine(
                f.values["due_on"],
                f.values.get("title") or "",
                f.values.get("owner") or "",
                v["ref"],
                f.values.get("done_on"),
            )
            for f in desk.followups.for_mou(mou.id)
        ),
        key=lambda f: (f.due_on, f.title, f.owner),
    )
    attachments = sorted(
        (
            AttachmentLine(
                a.values["file_name"],
                int(a.values.get("size") or 0),
                a.values.get("description") or "",
            )
            for a in desk.attachments.for_mou(mou.id)
        ),
        key=lambda a: (a.file_name.casefold(), a.size),
    )
    history = tuple(
        StageStep(
            h.effective_on,
            h.from_stage and str(h.from_stage.value),
            str(h.to_stage.value),
            h.from_status and str(h.from_status.value),
            str(h.to_status.value),
            h.reason,
            h.actor,
        )
        for h in desk.mous.stage_history(mou.id)
    )
    stage, status = Stage(v["stage"]), Status(v["status"])
    due = v.get("next_action_due")
    fields = [(k, x) for k, x in _mou_fields(mou, names, context.as_of) if k != "field.status"]
    return DossierReport(
        context=context,
        ref=v["ref"],
        title=v.get("title") or "",
        stage=stage.value,
        status=status.value,
        fields=tuple(fields),
        notes=v.get("notes") or "",
        partners=partners,
        history=history,
        meetings=tuple(sorted(meetings, key=_meeting_key)),
        followups=tuple(followups),
        attachments=tuple(attachments),
        changes=_changes(desk, mou.id, names),
        overdue=status == Status.ACTIVE and due is not None and due < context.as_of,
        stale=is_stale(
            stage, status, v["last_activity_on"], context.as_of, stale_days or DEFAULT_STALE_DAYS
        ),
    )


# -- trip ------------------------------------------------------------------------------------
def find_trip(desk: Desk, name: str) -> RecordData:
    trips = sorted(desk.trips.all(), key=lambda t: (t.label, t.id))
    exact = [t for t in trips if t.label == name.strip()]
    loose = [
        t
        for t in trips
        if " ".join(t.label.split()).casefold() == " ".join(name.split()).casefold()
    ]
    found = exact or loose
    if len(found) == 1:
        return found[0]
    if found:
        raise ReportInputError(f"Several trips are named {name!r}; rename one of them.")
    known = "; ".join(t.label for t in trips[:10]) or "none recorded"
    raise ReportInputError(f"No trip is named {name!r}. Trips: {known}.")


def trip_report(desk: Desk, context: ReportContext, name: str) -> TripReport:
    try:
        trip = find_trip(desk, name)
    except ValidationError as exc:  # pragma: no cover - defensive: services raise it on bad ids
        raise ReportInputError(str(exc)) from exc
    names = _Names(desk)
    engagements = desk.trips.engagements(trip.id)
    meetings = sorted((_meeting(names, e) for e in engagements), key=_meeting_key)
    mou_ids = sorted({i for e in engagements for i in e.values.get("mou_ids") or ()})
    partner_ids = {i for e in engagements for i in e.values.get("partner_ids") or ()}
    touched = []
    for i in mou_ids:
        m = names.record(desk.mous, i)
        if m is None:
            continue
        mv = m.values
        lead = names.record(desk.partners, mv.get("lead_partner_id"))
        touched.append(
            TouchedMou(
                mv["ref"],
                mv.get("title") or "",
                lead.label if lead else "",
                (lead.values.get("name_local") or "") if lead else "",
                str(Stage(mv["stage"]).value),
                str(Status(mv["status"]).value),
                mv.get("proposed_inr"),
                mv.get("next_action") or "",
                mv.get("next_action_due"),
            )
        )
    touched.sort(key=lambda t: t.ref)
    followups: list[FollowUpLine] = []
    ids = [e.id for e in engagements]
    if ids:
        with desk.db.read() as session:
            rows = session.execute(
                select(FollowUp.due_on, FollowUp.title, FollowUp.owner, Mou.ref, FollowUp.done_on)
                .outerjoin(Mou, Mou.id == FollowUp.mou_id)
                .where(FollowUp.engagement_id.in_(ids), FollowUp.deleted_at.is_(None))
            ).all()
        followups = sorted(
            (FollowUpLine(d, t or "", o or "", r or "", done) for d, t, o, r, done in rows),
            key=lambda f: (f.due_on, f.title, f.mou_ref, f.owner),
        )
    v = trip.values
    return TripReport(
        context=context,
        name=trip.label,
        country=v.get("country") or "",
        start_on=v.get("start_on"),
        end_on=v.get("end_on"),
        notes=v.get("notes") or "",
        meetings=tuple(meetings),
        mous=tuple(touched),
        followups=tuple(followups),
        partner_count=len(partner_ids),
    )
